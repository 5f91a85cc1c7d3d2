"""The debrief and the cohort as text: options named as the walk names them, labels folding under
their own first word."""

from __future__ import annotations

import re
from dataclasses import replace

from ethicsdesk.reporting.training_text import cohort_text, debrief_text
from ethicsdesk.service import Service

SAMPLE = "threat-to-third-party"


def _attempt(service: Service) -> str:
    rid = service.training.start_training(SAMPLE)
    options = service.record(rid).options
    service.editing.decide(rid, "chosen", options[1].key)
    return rid


def test_the_debrief_names_options_opt_1_opt_2_as_the_walk_does(service: Service) -> None:
    """The walk's matrix heads its columns "opt 1", "opt 2" (tui/widgets/matrix.py); the debrief
    names them alike, never A, B, C."""
    rid = _attempt(service)
    options = service.record(rid).options
    text = debrief_text(service.training.debrief(rid))
    header = next(line for line in text.splitlines() if line.strip().startswith("principle"))
    assert [f"opt {n}" for n in range(1, len(options) + 1)] == re.findall(r"opt \d+", header)
    assert f"  opt 2  {options[1].label[:30]}" in text  # the legend
    assert re.search(r"You chose:\s+opt 2  ", text)
    assert not re.search(r"^\s+[A-D]  \S", text, re.MULTILINE)  # no lettered legend line
    assert not re.search(r"\b[A-D] × ", text)


def test_the_cohort_names_options_the_same_way(service: Service) -> None:
    _attempt(service)
    text = cohort_text(service.training.cohort(SAMPLE))
    assert re.search(r"^  opt 2    1  #", text, re.MULTILINE)  # one attempt chose the second option
    assert not re.search(r"^  [A-D]  ", text, re.MULTILINE)


def test_a_long_label_folds_under_its_first_word(service: Service) -> None:
    rid = _attempt(service)
    long_label = "Consult now, notify and protect, then tell him when it is safe, " * 2
    key = service.record(rid).options[1].key
    # the sample's labels are given in training: the debrief reads the reference's own, so set it there
    debrief = service.training.debrief(rid)
    options = tuple((k, long_label if k == key else v) for k, v in debrief.reference.options)
    debrief = replace(debrief, reference=replace(debrief.reference, options=options))
    lines = debrief_text(debrief).splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("  opt 2  Consult now"))
    assert lines[first + 1].startswith(" " * len("  opt 2  ")) and lines[first + 1][len("  opt 2  ")] != " "
    chose = next(i for i, line in enumerate(lines) if line.startswith("  You chose:"))
    column = lines[chose].index("Consult now")
    assert lines[chose + 1].startswith(" " * column) and lines[chose + 1][column] != " "
