"""The debrief of a training attempt and the cohort view of a sample, as files a trainer keeps:
Markdown for people, JSON for other programs.

Every piece of user text (titles, labels, names, rationales, notes, questions) goes through the
report layer's Markdown escaper (ethicsdesk.reporting.render): Markdown has no autoescape, so a rationale
holding `<script>` or `| --- |` must stay text. The figures are the domain's (domain/training.py).
Files are written atomically beside their final place, so a failed write never leaves half a file.
Samples are fictional, and a debrief holds no facts of the situation, so nothing is masked here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ethicsdesk.domain.training import Cohort, Debrief, Reference
from ethicsdesk.errors import BadInput
from ethicsdesk.reporting.render import markdown_inline, markdown_paragraphs
from ethicsdesk.reporting.terminal_text import shown
from ethicsdesk.reporting.training_text import letters, mark, percent, signed

FORMATS = ("md", "json")


def _md(text: str) -> str:
    return markdown_inline(text)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(head: list[str], rows: list[list[str]], align: str = "---") -> list[str]:
    return [_row(head), _row([align] * len(head)), *(_row(r) for r in rows), ""]


def _options(reference: Reference) -> list[str]:
    marks = letters(reference)
    return [f"- **{marks[k]}**: {_md(label)}" for k, label in reference.options] + [""]


def _choice(reference: Reference, key: str | None) -> str:
    if key is None:
        return "not decided"
    if key not in reference.keys:
        return f"{_md(key)} (not an option of the sample)"
    return f"**{letters(reference)[key]}**: {_md(reference.label(key))}"


def _names(ids: tuple[str, ...], names: Mapping[str, str]) -> str:
    return ", ".join(_md(names.get(i, i)) for i in ids) or "none"


# --- the debrief ----------------------------------------------------------------------------------
def debrief_markdown(debrief: Debrief, obligation_names: Mapping[str, str] | None = None) -> str:
    names = obligation_names or {}
    ref = debrief.reference
    marks = letters(ref)
    if debrief.same_choice:
        choice = "the same option as the reference"
    elif debrief.chosen is None:
        choice = "not decided yet"
    else:
        choice = "a different option from the reference"
    out = [
        f"# Debrief: {_md(ref.title)}",
        "",
        f"Sample `{ref.sample_id}` · attempt `{debrief.record_id}` by {_md(debrief.trainee) or 'unknown'}"
        + (f" · started {debrief.attempted_at[:10]}" if debrief.attempted_at else ""),
        "",
        "## Agreement with the reference",
        "",
        "A cell's agreement is 1 − |your score − the reference's| / 4; a cell you did not score counts as 0%.",
        "",
    ]
    out += _table(
        ["Measure", "Agreement"],
        [
            ["Overall (scores)", f"{percent(debrief.overall)} ({debrief.scored} of {len(debrief.cells)} cells scored)"],
            ["Weights", percent(debrief.weights_agreement)],
            ["Choice", choice],
        ],
    )
    out += [
        "## Scores, yours / reference",
        "",
        "`=` the same, `~` one step apart, `!` further apart or not scored.",
        "",
    ]
    rows = [
        [
            _md(ref.name(p)),
            *(f"{signed(c.trainee)} / {signed(c.reference)} {mark(c)}" for c in (debrief.cell(k, p) for k in ref.keys)),
            percent(debrief.principle_agreement(p)),
        ]
        for p in ref.principles
    ]
    rows.append(["Agreement", *(percent(debrief.option_agreement(k)) for k in ref.keys), percent(debrief.overall)])
    rows.append(
        [
            "Weighted total",
            *(f"{debrief.trainee_totals[k]:+d} / {debrief.reference_totals[k]:+d}" for k in ref.keys),
            "",
        ]
    )
    out += _table(["Principle", *(marks[k] for k in ref.keys), "Agreement"], rows)
    out += _options(ref)
    out += ["## Where you differ most", ""]
    for c in debrief.most_different():
        given = "not scored" if c.trainee is None else signed(c.trainee)
        line = (
            f"- **{marks[c.option]} × {_md(ref.name(c.principle))}**: you {given}, "
            f"reference {signed(c.reference)} (agreement {percent(c.agreement)})"
        )
        note = ref.notes.get((c.option, c.principle))
        out.append(line + (f". Reference note: {_md(note)}" if note else ""))
    if not debrief.differences:
        out.append("Nowhere: every cell has the reference's score.")
    out += ["", "## Weights, yours / reference", ""]
    out += _table(
        ["Principle", "Yours", "Reference", "Agreement"],
        [[_md(ref.name(w.principle)), str(w.trainee), str(w.reference), percent(w.agreement)] for w in debrief.weights],
    )
    both = tuple(o for o in ref.obligations if o in debrief.obligations_ticked)
    out += [
        "## Obligations",
        "",
        f"- Missed (the reference names them, you did not tick them): {_names(debrief.obligations_missed, names)}",
        f"- Added (you ticked them, the reference does not name them): {_names(debrief.obligations_added, names)}",
        f"- Both: {_names(both, names)}",
        "",
        "## Decision",
        "",
        f"- You chose {_choice(ref, debrief.chosen)}",
        f"- The reference chose {_choice(ref, ref.chosen)}",
        "",
    ]
    if debrief.rationale.strip():
        out += ["### Your rationale", "", markdown_paragraphs(debrief.rationale), ""]
    out += ["## Reference rationale", "", markdown_paragraphs(ref.rationale), "", "## Debrief questions", ""]
    out += [f"{n}. {_md(q)}" for n, q in enumerate(ref.discussion, 1)] or ["None in this sample."]
    return "\n".join(out) + "\n"


# --- the cohort -----------------------------------------------------------------------------------
def cohort_markdown(cohort: Cohort, obligation_names: Mapping[str, str] | None = None) -> str:
    names = obligation_names or {}
    ref = cohort.reference
    marks = letters(ref)
    n = len(cohort.attempts)
    out = [f"# Cohort: {_md(ref.title)}", "", f"Sample `{ref.sample_id}` · {n} attempt(s)", ""]
    if not n:
        return "\n".join([*out, "Nobody has attempted this sample yet.", ""])
    out += [f"Mean agreement with the reference: {percent(cohort.overall)}.", "", "## Attempts", ""]
    out += _table(
        ["Trainee", "Started", "Chose", "Agreement", "Weights", "Obligations missed"],
        [
            [
                _md(a.trainee),
                a.attempted_at[:10],
                marks.get(a.chosen, "?") if a.chosen else "–",
                percent(a.overall),
                percent(a.weights_agreement),
                _names(a.obligations_missed, names),
            ]
            for a in cohort.attempts
        ],
    )
    choice_rows = [
        [marks[k], _md(label) + (" (reference)" if k == ref.chosen else ""), str(cohort.choices.get(k, 0))]
        for k, label in ref.options
    ]
    if cohort.undecided:
        choice_rows.append(["–", "not decided", str(cohort.undecided)])
    out += ["## Choices", "", *_table(["", "Option", "Attempts"], choice_rows)]
    out += ["## Obligations missed most", ""]
    out += [f"- {_md(names.get(o, o))}: {c} of {n}" for o, c in cohort.missed] or [
        "None: every attempt ticked them all."
    ]
    if cohort.added:
        out += ["", "## Obligations added (ticked, not in the reference)", ""]
        out += [f"- {_md(names.get(o, o))}: {c} of {n}" for o, c in cohort.added]
    out += ["", "## Widest spread of scores", ""]
    out += [
        f"- **{marks[c.option]} × {_md(ref.name(c.principle))}**: {signed(c.minimum)} to {signed(c.maximum)}, "
        f"reference {signed(c.reference)}, mean {c.mean:+.1f}"
        for c in cohort.widest()
        if c.mean is not None
    ] or ["Every cell was scored alike."]
    out += ["", "## Scores given per cell", "", "How many attempts gave each score; `--` is not scored.", ""]
    for key, label in ref.options:
        out += [f"### {marks[key]}: {_md(label)}", ""]
        rows = []
        for p in ref.principles:
            c = cohort.cell(key, p)
            rows.append(
                [
                    _md(ref.name(p)),
                    signed(c.reference),
                    *(str(c.counts.get(s, 0)) for s in (-2, -1, 0, 1, 2)),
                    str(c.unscored),
                    "" if c.mean is None else f"{c.mean:+.1f}",
                    percent(c.agreement),
                ]
            )
        out += _table(["Principle", "Reference", "−2", "−1", "0", "+1", "+2", "--", "Mean", "Agreement"], rows)
    return "\n".join(out).rstrip("\n") + "\n"


# --- files ----------------------------------------------------------------------------------------
def as_json(data: dict[str, Any]) -> str:
    return shown(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"  # C1 and bidi as \u escapes


def _target(default_name: str, out: Path | None) -> Path:
    if out is None:
        return Path.cwd() / default_name
    return out / default_name if out.is_dir() else out


def _write(text: str, path: Path) -> Path:
    from ethicsdesk.store.durable_files import write_atomically

    write_atomically(path, text.encode("utf-8"), replace=True)
    return path


def _check(fmt: str) -> None:
    if fmt not in FORMATS:
        raise BadInput(f"'{fmt}' is not a format of the debrief or the cohort view; use md or json.")


def write_debrief(
    debrief: Debrief, fmt: str = "md", out: Path | None = None, obligation_names: Mapping[str, str] | None = None
) -> Path:
    """Write `ethicsdesk-debrief-<record id>.<md|json>` (in the current folder unless `out` names a
    folder or a file); returns where it went."""
    _check(fmt)
    text = debrief_markdown(debrief, obligation_names) if fmt == "md" else as_json(debrief.to_json())
    return _write(text, _target(f"ethicsdesk-debrief-{debrief.record_id}.{fmt}", out))


def write_cohort(
    cohort: Cohort, fmt: str = "md", out: Path | None = None, obligation_names: Mapping[str, str] | None = None
) -> Path:
    """Write `ethicsdesk-cohort-<sample id>.<md|json>`, as write_debrief does."""
    _check(fmt)
    text = cohort_markdown(cohort, obligation_names) if fmt == "md" else as_json(cohort.to_json())
    return _write(text, _target(f"ethicsdesk-cohort-{cohort.reference.sample_id}.{fmt}", out))


def write_comparison(
    found: Debrief | Cohort, fmt: str = "md", out: Path | None = None, obligation_names: Mapping[str, str] | None = None
) -> Path:
    """Write a debrief or a cohort view, whichever `found` is (the faces show either the same way)."""
    if isinstance(found, Debrief):
        return write_debrief(found, fmt, out, obligation_names)
    return write_cohort(found, fmt, out, obligation_names)
