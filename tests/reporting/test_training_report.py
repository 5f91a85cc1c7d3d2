"""The debrief and cohort files (reporting/training_report.py over reports/debrief.md.j2 and
reports/cohort.md.j2): compared whole with golden files, and hostile text kept inert.

The attempts are walked through the service; the ids and dates that differ from run to run are then
fixed on the domain's own dataclasses, so the files are byte-for-byte repeatable. The golden files
were written by the string-building code these templates replaced: a diff here is a change in what
a trainer's file says. Accept one on purpose with ETHICSDESK_UPDATE_GOLDEN=1 (see test_golden.py).
"""

from __future__ import annotations

import dataclasses
import json
import re

import pytest

from ethicsdesk.domain.training import Cohort, Debrief, Reference, aggregate, compare
from ethicsdesk.errors import BadInput
from ethicsdesk.reporting.training_report import cohort_file, cohort_markdown, debrief_file, debrief_markdown
from ethicsdesk.service import Service
from ethicsdesk.settings import User
from tests.reporting.test_golden import check_golden

SAMPLE = "discharge-against-advice"
HOSTILE = "Her <b>choice</b> | *matters* ~~x~~ -- `c` [l](u) \x1b[2J \u202eRTL 中文\n# h\n\n1. one"


def attempts(service: Service) -> list[str]:
    """Three attempts: one close to the reference, one far from it and undecided, one not begun."""
    close = service.training.start_training(SAMPLE)
    service.editing.score(close, "support-return-home", "autonomy", 2)
    service.editing.score(close, "seek-override", "autonomy", 1)
    service.editing.set_weight(close, "autonomy", 3)
    service.editing.set_obligation(close, "capacity", True)
    service.editing.set_obligation(close, "confidentiality", True)
    service.editing.decide(close, "chosen", "support-return-home")
    service.editing.decide(close, "rationale", "She is capable.\n\nShe decides.")
    service.user = User("Ben Trainee", "case manager")
    far = service.training.start_training(SAMPLE)
    for principle in ("autonomy", "beneficence", "veracity"):
        service.editing.score(far, "seek-override", principle, -2)
    service.user = User("Cy Trainee", "case manager")
    return [close, far, service.training.start_training(SAMPLE)]


def fixed(service: Service, ids: list[str], reference: Reference) -> tuple[list[Debrief], Cohort]:
    states = [
        dataclasses.replace(service.record(rid), id=f"attempt-{n}", created_at=f"2026-01-0{n}T09:00:00Z")
        for n, rid in enumerate(ids, 1)
    ]
    # the four domains come from the service (it folds the sample's reference to set beside them)
    debriefs = [dataclasses.replace(compare(s, reference), domains=service.training.debrief(rid).domains) for s, rid in
                zip(states, ids, strict=True)]
    cohort = aggregate(reference, states)
    served = {a.record_id: a.domains_done for a in service.training.cohort(SAMPLE).attempts}
    done = [served[rid] for rid in ids]
    kept = tuple(dataclasses.replace(a, domains_done=n) for a, n in zip(cohort.attempts, done, strict=True))
    return debriefs, dataclasses.replace(cohort, attempts=kept)


def hostile(reference: Reference) -> Reference:
    return dataclasses.replace(
        reference,
        title=HOSTILE,
        options=tuple((key, f"{HOSTILE} {key}") for key, _ in reference.options),
        notes={cell: HOSTILE for cell in reference.cells()[:3]},
        discussion=(HOSTILE,),
        names={p: f"{p} | {HOSTILE}" for p in reference.principles},
    )


@pytest.mark.parametrize("variant", ["sample", "hostile"])
def test_the_files_match_their_golden_copies(service: Service, variant: str) -> None:
    reference = service.training.reference(SAMPLE)
    if variant == "hostile":
        reference = hostile(reference)
    debriefs, cohort = fixed(service, attempts(service), reference)
    names = service.training.obligation_names()
    check_golden(f"debrief-{variant}.md", "".join(debrief_markdown(d, names) for d in debriefs))
    empty = aggregate(reference, [])
    check_golden(f"cohort-{variant}.md", cohort_markdown(cohort, names) + cohort_markdown(empty, names))


def cells(line: str) -> int:
    """The cells of a Markdown table line: its pipes, less any that are escaped."""
    return len(re.findall(r"(?<!\\)\|", line)) - 1


def test_hostile_text_neither_breaks_a_table_nor_starts_a_block(service: Service) -> None:
    debriefs, cohort = fixed(service, attempts(service), hostile(service.training.reference(SAMPLE)))
    for text in (debrief_markdown(debriefs[0]), cohort_markdown(cohort)):
        tables = [block.splitlines() for block in text.split("\n\n") if block.startswith("|")]
        assert tables
        for table in tables:
            assert len({cells(line) for line in table}) == 1, table
        assert "<b>" not in text and "\x1b" not in text and "\n# h" not in text
        assert "\\~\\~x\\~\\~" in text  # the user's ~ escaped ...
    assert "| -- / -2 ! |" in debrief_markdown(debriefs[0])  # ... the file's own marks are not
    assert "| +2 / +2 = |" in debrief_markdown(debriefs[0])
    assert "| +1 / -2 ! |" in debrief_markdown(debriefs[0])


def test_json_files_decode_to_the_domains_figures(service: Service) -> None:
    debriefs, cohort = fixed(service, attempts(service), service.training.reference(SAMPLE))
    assert json.loads(debrief_file(debriefs[0], "json")) == debriefs[0].to_json()
    assert json.loads(cohort_file(cohort, "json")) == cohort.to_json()


@pytest.mark.parametrize("fmt", ["html", "pdf", "MD", ""])
def test_other_formats_are_refused_in_one_sentence(service: Service, fmt: str) -> None:
    debriefs, cohort = fixed(service, attempts(service)[:1], service.training.reference(SAMPLE))
    with pytest.raises(BadInput, match="is not a format of the debrief or the cohort view; use md or json"):
        debrief_file(debriefs[0], fmt)
    with pytest.raises(BadInput, match="use md or json"):
        cohort_file(cohort, fmt)
