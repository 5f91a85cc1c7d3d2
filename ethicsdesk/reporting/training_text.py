"""The debrief and the cohort view as plain text: what the training screens show and what
`ethicsdesk debrief` / `ethicsdesk cohort` print. At most 76 columns (an 80-column screen less the
pane's padding and scrollbar), marks in characters (never colour alone), no markup.

Options are named "opt 1", "opt 2" … with a legend, as the walk's Weigh step names them (one name
for an option on every screen), because their labels are sentences and a matrix of four or five
options must fit an 80-column terminal.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from ethicsdesk.domain.training import PLAN_KEYS, PLAN_LABELS, CellComparison, Cohort, Debrief, Reference
from ethicsdesk.reporting.render import percent
from ethicsdesk.reporting.text_layout import PANE_WIDTH as WIDTH
from ethicsdesk.reporting.text_layout import heading as _heading
from ethicsdesk.reporting.text_layout import signed
from ethicsdesk.terminal_text import replaced

NAME = 16  # the principle column


def clean(text: str) -> str:
    """User text with its control characters as U+FFFD: a debrief printed in a terminal must not be
    able to move the cursor or change the title."""
    return replaced(text)


def option_mark(index: int) -> str:
    """The short name of the option at `index` (0-based): the walk's matrix heads its columns so."""
    return f"opt {index + 1}"


def option_marks(reference: Reference) -> dict[str, str]:
    return {k: option_mark(i) for i, k in enumerate(reference.keys)}


def mark(cell: CellComparison) -> str:
    """= the same score, ~ one step apart, ! two or more apart or not scored."""
    if cell.trainee is None:
        return "!"
    gap = abs(cell.trainee - cell.reference)
    return "=" if gap == 0 else "~" if gap == 1 else "!"


def _wrap(text: str, indent: str = "  ") -> list[str]:
    out: list[str] = []
    for para in clean(text).strip().splitlines() or [""]:
        out += textwrap.wrap(para, WIDTH - len(indent), initial_indent=indent, subsequent_indent=indent) or [""]
    return out


def _option_lines(mark: str, label: str) -> list[str]:
    """`mark  label`, the label's later lines under its first word."""
    hang = " " * (2 + len(mark) + 2)
    return textwrap.wrap(f"{mark}  {clean(label)}", WIDTH - 2, initial_indent="  ", subsequent_indent=hang)


def _legend(reference: Reference) -> list[str]:
    marks = option_marks(reference)
    return [line for key, label in reference.options for line in _option_lines(marks[key], label)]


def _named(ids: tuple[str, ...], names: Mapping[str, str]) -> str:
    return ", ".join(names.get(i, i) for i in ids)


def _choice(reference: Reference, key: str | None) -> str:
    if key is None:
        return "(not decided)"
    if key not in reference.keys:
        return f"{key} (not an option of the sample)"
    return f"{option_marks(reference)[key]}  {clean(reference.label(key))}"


# --- the debrief ----------------------------------------------------------------------------------
def matrix_lines(debrief: Debrief) -> list[str]:
    """Principles as rows, options as columns: 'yours/reference mark' in each cell, agreement at the
    end of each row and under each column, weighted totals last."""
    ref = debrief.reference
    col = 9
    head = f"  {'principle':<{NAME}}" + "".join(f"{option_marks(ref)[k]:>{col - 2}}  " for k in ref.keys) + "  agree"
    lines = [head]
    for p in ref.principles:
        row = f"  {clean(ref.name(p))[:NAME]:<{NAME}}"
        for k in ref.keys:
            c = debrief.cell(k, p)
            row += f"{signed(c.trainee):>3}/{signed(c.reference):<3}{mark(c)} "
        lines.append(row + f"{percent(debrief.principle_agreement(p)):>7}")
    lines.append(
        f"  {'agree':<{NAME}}" + "".join(f"{percent(debrief.option_agreement(k)):>{col - 2}}  " for k in ref.keys)
    )
    lines.append(
        f"  {'weighted total':<{NAME}}"
        + "".join(f"{debrief.trainee_totals[k]:>+4d}/{debrief.reference_totals[k]:<+4d}" for k in ref.keys)
    )
    return lines


def cell_line(debrief: Debrief, cell: CellComparison) -> list[str]:
    ref = debrief.reference
    out = [
        f"  {option_marks(ref)[cell.option]} × {clean(ref.name(cell.principle))}: "
        f"you {'did not score it' if cell.trainee is None else signed(cell.trainee)}, "
        f"reference {signed(cell.reference)} (agreement {percent(cell.agreement)})"
    ]
    note = ref.notes.get((cell.option, cell.principle))
    if note:
        out += _wrap("Reference note: " + note, "      ")
    return out


def debrief_text(debrief: Debrief, obligation_names: Mapping[str, str] | None = None, most: int = 5) -> str:
    names = obligation_names or {}
    ref = debrief.reference
    if debrief.same_choice:
        choice = "the same option as the reference"
    elif debrief.chosen is None:
        choice = "not decided yet"
    else:
        choice = "a different option from the reference"
    byline = f"Sample {ref.sample_id} · attempt {debrief.record_id} by {clean(debrief.trainee) or 'unknown'}"
    byline += f" · {debrief.attempted_at[:10]}" if debrief.attempted_at else ""
    out = [*_wrap(f"DEBRIEF  {ref.title}", ""), *_wrap(byline, "")]
    out += _heading("AGREEMENT WITH THE REFERENCE")
    out += [
        f"  Overall (scores)  {percent(debrief.overall):>5}   {debrief.scored} of {len(debrief.cells)} cells scored"
        " (unscored: 0%)",
        f"  Weights           {percent(debrief.weights_agreement):>5}",
        f"  Choice            {choice}",
    ]
    out += _heading("SCORES, YOURS/REFERENCE   = same · ~ one apart · ! further apart or unscored")
    out += matrix_lines(debrief)
    out += ["", *_legend(ref)]
    out += _heading("WHERE YOU DIFFER MOST")
    differing = debrief.most_different(most)
    for c in differing:
        out += cell_line(debrief, c)
    if not differing:
        out.append("  Nowhere: every cell has the reference's score.")
    elif len(debrief.differences) > len(differing):
        out.append(f"  … and {len(debrief.differences) - len(differing)} more cell(s) that differ.")
    out += _heading("WEIGHTS, YOURS/REFERENCE   (0 = does not matter here … 3 = matters most)")
    out += [
        f"  {clean(ref.name(w.principle))[:NAME]:<{NAME}}{w.trainee}/{w.reference}"
        + ("" if w.trainee == w.reference else f"   (agreement {percent(w.agreement)})")
        for w in debrief.weights
    ]
    out += _obligation_lines(debrief, names)
    out += _decision_lines(debrief)
    out += _heading("REFERENCE RATIONALE")
    out += _wrap(ref.rationale)
    out += _sources_and_plan(debrief)
    out += domain_lines(debrief)
    out += _heading("DEBRIEF QUESTIONS")
    out += [line for n, q in enumerate(ref.discussion, 1) for line in _numbered(n, q)] or ["  (none in this sample)"]
    return "\n".join(out)


def _obligation_lines(debrief: Debrief, names: Mapping[str, str]) -> list[str]:
    """The duties missed, added and shared, then each floor against each option as judged."""
    ref = debrief.reference
    out = _heading("OBLIGATIONS")
    both = tuple(o for o in ref.obligations if o in debrief.obligations_ticked)
    out += _wrap(
        "Missed (the reference names them, you did not tick them): "
        + (_named(debrief.obligations_missed, names) or "none"),
        "  ",
    )
    out += _wrap(
        "Added (you ticked them, the reference does not name them): "
        + (_named(debrief.obligations_added, names) or "none"),
        "  ",
    )
    out += _wrap("Both: " + (_named(both, names) or "none"), "  ")
    verdict = {True: "meets", False: "fails", None: "not judged"}
    for ob, opt, given, meets in debrief.floor_rows():  # the rules screen, yours beside the reference's
        judged = f"yours: {verdict[given]}; reference: {verdict[meets]}"
        out += _wrap(f"{names.get(ob, ob)}, {_choice(ref, opt)}: {judged}", "  ")
    return out


def _decision_lines(debrief: Debrief) -> list[str]:
    """The two choices, the trainee's rationale and the client's part beside the sample's."""
    ref = debrief.reference
    out = _heading("DECISION")
    marks = option_marks(ref)
    for who, key in (("You chose:", debrief.chosen), ("Reference chose:", ref.chosen)):
        hang = 2 + 18 + (len(marks[key]) + 2 if key in marks else 0)  # under the label's first word
        out += textwrap.wrap(
            f"{who:<18}{_choice(ref, key)}", WIDTH - 2, initial_indent="  ", subsequent_indent=" " * hang
        )
    if debrief.rationale.strip():
        out += ["", "  Your rationale:", *_wrap(debrief.rationale, "    ")]
    for question, mine, theirs in debrief.client_part_rows():  # who decides, the client's part
        out += ["", *_wrap(question, "  "), *_wrap(f"You: {mine or '(not answered)'}", "    ")]
        out += _wrap(f"Reference: {theirs or '(not in this sample)'}", "    ")
    return out


def _sources_and_plan(debrief: Debrief) -> list[str]:
    """The sources consulted and the plan, yours beside the reference's, where the sample's
    reference has them."""
    ref = debrief.reference
    if not ref.sources and not ref.plan:
        return []
    out = _heading("SOURCES CONSULTED AND PLAN")
    for who, sources in (("Yours", debrief.sources), ("Reference", ref.sources)):
        out.append(f"  {who}:")
        out += [line for kind, detail in sources for line in _wrap(f"- {kind}: {detail}", "    ")] or ["    (none)"]
    for key in PLAN_KEYS:
        if key in ref.plan or key in debrief.plan:
            out += ["", f"  {PLAN_LABELS[key]}:"]
            out += _wrap("Yours: " + debrief.plan.get(key, "(not written)"), "    ")
            out += _wrap("Reference: " + ref.plan.get(key, "(not written)"), "    ")
    return out


def domain_lines(debrief: Debrief) -> list[str]:
    """The four domains after ECQAT, the trainee's marks beside the reference's (domain/quality.py),
    and the trainer's rating of the attempt beside them once given."""
    from ethicsdesk.domain.quality import DOMAIN_NAMES, MARK_NAMES, SOURCE

    if not debrief.domains:
        return []
    words = {"met": "written", "partly": "partly", "not-met": "not yet"}
    r = debrief.rating
    out = _heading("FOUR DOMAINS, YOURS/REFERENCE" + (", AND THE TRAINER'S RATING" if r else ""))
    out += _wrap(f"What each has written on the four domains {SOURCE}: a prompt for the debrief, not a grade.")
    out += [
        f"  {DOMAIN_NAMES[d]:<38}{words.get(mine, mine)}/{words.get(theirs, theirs)}".ljust(59)
        + (MARK_NAMES.get(r.marks.get(d, ""), "") if r else "")
        for d, mine, theirs in debrief.domains
    ]
    return [line.rstrip() for line in out] + rating_lines(debrief)


def rating_lines(debrief: Debrief) -> list[str]:
    """The trainer's overall level of the attempt, who gave it and when, and the note; or that it
    is not rated yet."""
    from ethicsdesk.domain.quality import LEVEL_NAMES

    r = debrief.rating
    if r is None:
        return ["", "  Trainer's rating: not rated yet."]
    level = f"level {r.level} of 4, {LEVEL_NAMES.get(r.level, '')}"
    said = f"Trainer's rating: {level}, by {r.rated_by} on {r.rated_at[:10]}."
    out = ["", *_wrap(said)]
    if r.note:
        out += _wrap(f"Note: {r.note}", "    ")
    return out


def _numbered(n: int, text: str) -> list[str]:
    lines = textwrap.wrap(clean(text), WIDTH - 6, initial_indent=f"  {n:>2}. ", subsequent_indent="      ")
    return lines or [f"  {n:>2}."]


# --- the cohort -----------------------------------------------------------------------------------
def _count(n: int) -> str:
    return "." if n == 0 else str(n)


def cohort_text(cohort: Cohort, obligation_names: Mapping[str, str] | None = None, widest: int = 5) -> str:
    names = obligation_names or {}
    ref = cohort.reference
    marks = option_marks(ref)
    n = len(cohort.attempts)
    out = [
        *_wrap(f"COHORT  {ref.title}", ""),
        f"Sample {ref.sample_id} · {n} attempt(s)" + (f" · mean agreement {percent(cohort.overall)}" if n else ""),
    ]
    if not n:
        out += ["", "  Nobody has attempted this sample yet: 'ethicsdesk train " + ref.sample_id + "' starts one."]
        return "\n".join(out)
    out += _heading("ATTEMPTS")
    out.append(f"  {'trainee':<16}{'started':<11}{'chose':<6}{'agree':>6}{'weights':>8}  missed  done  level")
    for a in cohort.attempts:
        chose = marks.get(a.chosen, "?") if a.chosen else "-"
        done = "" if a.domains_done is None else f"{a.domains_done}/4"
        level = "not rated" if a.level is None else str(a.level)
        out.append(
            f"  {clean(a.trainee)[:15]:<16}{a.attempted_at[:10]:<11}{chose:<6}{percent(a.overall):>6}"
            f"{percent(a.weights_agreement):>8}  {len(a.obligations_missed):<6}  {done:<4}  {level}"
        )
    out += _wrap("Done: of the four domains after ECQAT, how many the attempt has written in full. Level: the "
                 "trainer's overall rating of the attempt, 1 poor to 4 strong (3 and 4 are acceptable).", "  ")
    out += _heading("CHOICES")
    for key in ref.keys:
        count = cohort.choices.get(key, 0)
        suffix = "  (reference)" if key == ref.chosen else ""
        out.append(f"  {marks[key]}  {count:>3}  {'#' * count}{suffix}")
    if cohort.undecided:
        out.append(f"  -  {cohort.undecided:>3}  {'#' * cohort.undecided}  (not decided)")
    out += ["", *_legend(ref)]
    out += _heading("OBLIGATIONS MISSED MOST")
    out += [f"  {clean(names.get(o, o)):<34}{c:>3} of {n}" for o, c in cohort.missed] or [
        "  None: every attempt ticked them all."
    ]
    if cohort.added:
        out += _heading("OBLIGATIONS ADDED (ticked, not in the reference)")
        out += [f"  {clean(names.get(o, o)):<34}{c:>3} of {n}" for o, c in cohort.added]
    out += _heading("WIDEST SPREAD OF SCORES")
    spread = cohort.widest(widest)
    out += [
        f"  {marks[c.option]} × {clean(ref.name(c.principle))}: {signed(c.minimum)} to {signed(c.maximum)}, "
        f"reference {signed(c.reference)}, mean {c.mean:+.1f}"
        for c in spread
        if c.mean is not None
    ] or ["  Every cell was scored alike."]
    out += _heading("SCORES GIVEN PER CELL   (how many gave each score; -- not scored)")
    for key, label in ref.options:
        out += ["", *_option_lines(marks[key], label)]
        out.append(f"    {'principle':<{NAME}}{'ref':>4}   -2  -1   0  +1  +2   --   mean  agree")
        for p in ref.principles:
            c = cohort.cell(key, p)
            counts = "".join(f"{_count(c.counts.get(s, 0)):>4}" for s in (-2, -1, 0, 1, 2))
            mean = "" if c.mean is None else f"{c.mean:+.1f}"
            out.append(
                f"    {clean(ref.name(p))[:NAME]:<{NAME}}{signed(c.reference):>4} {counts}{_count(c.unscored):>5}"
                f"{mean:>7}{percent(c.agreement):>7}"
            )
    return "\n".join(out)


def comparison_text(found: Debrief | Cohort, obligation_names: Mapping[str, str] | None = None) -> str:
    """A debrief or a cohort view as text, whichever `found` is (the faces show either the same way)."""
    if isinstance(found, Debrief):
        return debrief_text(found, obligation_names)
    return cohort_text(found, obligation_names)
