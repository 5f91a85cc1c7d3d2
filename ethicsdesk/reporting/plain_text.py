"""Plain-text views for the terminal (`show`, `samples show`): readable in 80 columns, no colour."""

from __future__ import annotations

import re
import textwrap
from typing import TYPE_CHECKING

from ethicsdesk.domain.analysis import analyse_record
from ethicsdesk.domain.client_part import CLIENT_PART_FIELDS, CLIENT_PART_LABELS, shown_value
from ethicsdesk.domain.frameworks import Framework
from ethicsdesk.domain.obligations import Catalogue
from ethicsdesk.domain.record import CONSULTANT_KIND_NAMES, OUTCOME_FIELDS, PLAN_FIELDS, SITUATION_FIELDS, RecordState
from ethicsdesk.reporting.method_view import non_concurrence_lines, safety_and_framing_lines
from ethicsdesk.reporting.text_layout import PAGE_WIDTH as WIDTH
from ethicsdesk.reporting.text_layout import underlined_heading as _heading

if TYPE_CHECKING:
    from ethicsdesk.knowledge.dilemma_files import Dilemma

FIELD_LABELS = {
    "summary": "Summary",
    "facts": "Facts",
    "assumptions": "Assumptions",
    "unknowns": "Unknowns",
    "client_wishes": "Client's wishes",
    "capacity": "Capacity",
    "quality_of_life": "Quality of life",
    "context": "Context",
    "cultural": "Cultural factors",
    "medical_facts": "Medical or service facts",
    "own_values": "Own values and feelings",
    "setting": "Setting",
    "question": "Ethics question",
    "outcome": "Outcome",
    "lessons": "Lessons",
    "moral_distress": "Moral distress and self-care",
    # the implementation plan and how the outcome went against it
    "against_plan": "Against the plan",
    "plan_actions": "Who does what, by when",
    "plan_communication": "Communicated, and to whom",
    "plan_revisit": "Revisit if",
    "follow_up": "Follow-up date",
}


_NEW_LINE = re.compile(r"\s*(?:[-*•]|\d+[.)])\s")  # a line that starts a list item keeps its own line


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a passage, each on one line: a single line break (an imported file's own
    wrapping) reads as a space; a blank line, or a line that starts a list item, starts anew."""
    out: list[str] = []
    current: list[str] = []
    for line in text.strip().splitlines():
        if not line.strip() or _NEW_LINE.match(line):
            if current:
                out.append(" ".join(current))
            current = [line.strip()] if line.strip() else []
            if not line.strip():
                out.append("")
            continue
        current.append(line.strip())
    if current:
        out.append(" ".join(current))
    return out or [""]


def _block(label: str, text: str, width: int = WIDTH) -> list[str]:
    """A labelled passage wrapped once, to `width`, with a two-space indent."""
    lines = [label if label.endswith("?") else f"{label}:"]  # a question takes no colon after it
    for para in paragraphs(text):
        lines += textwrap.wrap(para, max(20, width), initial_indent="  ", subsequent_indent="  ") or [""]
    return lines


def weighing_table(
    option_keys: list[str],
    option_labels: dict[str, str],
    framework: Framework,
    scores: dict[tuple[str, str], int],
    weights: dict[str, int],
    totals: dict[str, int] | None = None,
    width: int = WIDTH,
) -> list[str]:
    """Principles as rows, options as columns (by number), weights and totals; '.' is unscored.
    The options are listed above it by number, each label folding under itself. Laid out by rich
    in terminal cells (terminal_tables.py), so wide (CJK) text lines up, one cell apart."""
    from ethicsdesk.reporting.terminal_tables import Column, table_lines

    numbers = range(1, len(option_keys) + 1)
    listed = [[f"{n}.", option_labels[k]] for n, k in zip(numbers, option_keys, strict=True)]
    numbered = [Column("No.", "right"), Column("Option", wrap=True)]
    lines = table_lines(numbered, listed, width=width, gap=1, indent=2, header=False)
    # the widths the table has always had in 80 columns: the principle, its weight, then six cells an option
    columns = [Column("principle", min_width=15), Column("wt", "right", min_width=3)]
    columns += [Column(str(n), "right", min_width=6 if n == 1 else 5) for n in numbers]

    def score(key: str, principle: str) -> str:
        return f"{scores[key, principle]:+d}" if (key, principle) in scores else "."

    rows = [[p.name, str(weights.get(p.id, 1)), *(score(k, p.id) for k in option_keys)] for p in framework.principles]
    if totals is not None:
        rows.append(["weighted total", "", *(f"{totals[k]:+d}" for k in option_keys)])
    return [*lines, "", *table_lines(columns, rows, width=width, gap=1, indent=2)]


def _asked_during_walk(state: RecordState, width: int) -> list[str]:
    """Consultations asked from a step before sign-off: where, whom, question, answer."""
    from ethicsdesk.domain.walk import STEP_TITLES

    out: list[str] = []
    for c in state.step_consultations:
        kind = CONSULTANT_KIND_NAMES.get(c.kind, c.kind)
        urgent = " (urgent)" if c.urgent else ""
        out += textwrap.wrap(
            f"{c.number}. At {STEP_TITLES.get(c.step, c.step)}: {c.supervisor} ({kind}), {c.state}{urgent}; "
            f"asked by {c.requested_by} on {c.requested_at[:10]}",
            max(20, width),
            subsequent_indent="   ",
        )
        out += _block("Question", c.question or "None written.", width)
        if c.state == "answered":
            verdict = f": {c.outcome.replace('-', ' ').upper()}" if c.outcome else ""
            written = f", written in by {c.recorded_by}" if c.recorded_by else ""
            out += _block(f"Answer ({c.answered_by}{written}{verdict})", c.notes, width)
            if c.conditions:
                out += _block("Conditions", c.conditions, width)
    return out


def record_summary(
    state: RecordState, framework: Framework, catalogue: Catalogue, head_hash: str, width: int = WIDTH
) -> str:
    """The record as plain text, wrapped once to `width` (the terminal's, or the pane's)."""
    out = _header_lines(state, framework, width)
    # asked before the situation: a yes puts the safety floor's steps before everything else
    out += _heading("Immediate danger and kind of problem")
    out += safety_and_framing_lines(state, catalogue, width)
    out += _situation_lines(state, width)
    out += _obligation_lines(state, catalogue)
    out += _weighing_lines(state, framework, catalogue, width)
    out += _decision_lines(state, width)
    out += _check_lines(state, framework, catalogue, width)
    out += _consultation_lines(state, width)
    out += _outcome_lines(state, width)
    out += _heading("Integrity")
    out.append(f"{state.events} event(s); head hash {head_hash}")
    out.append(f"Check it with: ethicsdesk verify {state.id}")
    return "\n".join(line for long in out for line in _fit(long, width))


def _header_lines(state: RecordState, framework: Framework, width: int) -> list[str]:
    """The title, the record's id, kind and status, who made and last changed it, its framework."""
    title = state.title or "(untitled)"
    out = [*(textwrap.wrap(title, width) or [title]), "=" * min(width, len(title))]
    out.append(f"Record {state.id}  ·  {state.kind} record  ·  status {state.status}")
    if state.case_code:
        out.append(f"Case code {state.case_code}")
    out.append(
        f"Created {state.created_at[:16].replace('T', ' ')} by {state.created_by}; "
        f"last change {state.updated_at[:16].replace('T', ' ')} by {state.updated_by}"
    )
    out.append(f"Framework: {framework.name} (version {state.framework_version})")
    return out


def _situation_lines(state: RecordState, width: int) -> list[str]:
    out = _heading("Situation")
    shown = [f for f in SITUATION_FIELDS if state.text.get(f)]
    for f in shown:
        out += _block(FIELD_LABELS[f], state.text[f], width)
    if state.stakeholders:
        out.append("Stakeholders:")
        out += [f"  - {s.name}: {s.interest}" if s.interest else f"  - {s.name}" for s in state.stakeholders]
    if not shown and not state.stakeholders:
        out.append("Nothing recorded yet.")
    return out


def _obligation_lines(state: RecordState, catalogue: Catalogue) -> list[str]:
    """The ticked duties with their provisions (floors marked), then the sources consulted."""
    out = _heading("Obligations")
    for oid in state.obligations:
        ob = catalogue.get(oid)
        if ob is None:
            out.append(f"  - {oid} (not in this catalogue)")
            continue
        floor = f"  [{ob.floor_name.upper()}]" if ob.floor else ""
        out.append(f"  - {ob.name}{floor}  ({', '.join(ob.provisions)})")
    if not state.obligations:
        out.append("None ticked.")
    if state.sources:  # what was read, beside the duties it was read for
        out.append("Sources consulted:")
        out += [f"  - {x.kind}: {x.detail}" for x in state.sources]
    return out


def _weighing_lines(state: RecordState, framework: Framework, catalogue: Catalogue, width: int) -> list[str]:
    """The weighing table and what the analysis says of it (rules, tensions, robustness, ranking)."""
    analysis = analyse_record(state, framework, catalogue)
    out = _heading("Options and weighing")
    if state.options:
        labels = {o.key: o.label for o in state.options}
        out += weighing_table(
            [o.key for o in state.options], labels, framework, state.scores, state.weights, analysis.totals, width
        )
    else:
        out.append("No options yet.")
    if analysis.rules.applies:
        out += _block("Rules screen", analysis.rules.text, width)
    for t in analysis.tensions:
        out += _block("Tension", t.text, width)
    if analysis.robustness_text:
        out += _block("Robustness", analysis.robustness_text, width)
    if analysis.ranked.text:
        out += _block("Ranked view", f"{analysis.ranked.basis} {analysis.ranked.text}", width)
    return out


def _decision_lines(state: RecordState, width: int) -> list[str]:
    """The chosen option, its rationale and mitigation, the implementation plan and the client's part."""
    out = _heading("Decision")
    chosen = state.option(state.decision.get("chosen", ""))
    out.append(f"Chosen: {chosen.label}" if chosen else "No option chosen yet.")
    for key, label in (("rationale", "Rationale"), ("mitigation", "Mitigation")):
        if state.decision.get(key):
            out += _block(label, state.decision[key], width)
    plan = [(p, state.text.get(p, "")) for p in PLAN_FIELDS] + [("follow_up", state.decision.get("follow_up", ""))]
    if any(v for _p, v in plan):  # the implementation plan, its follow-up date last
        out.append("Implementation plan:")
        for part, v in plan:
            out += _block(f"  {FIELD_LABELS[part]}", v, width) if v else []
    out += client_part_lines(dict(state.text), width)
    return out


def _check_lines(state: RecordState, framework: Framework, catalogue: Catalogue, width: int) -> list[str]:
    """The decision's test questions as answered, then what the walk still lacks."""
    from ethicsdesk.domain.checks import decision_questions, quality_checks

    out: list[str] = []
    questions = decision_questions(state, framework)
    if questions:
        out += _heading("Checks")
    for q in questions:
        where = f"{framework.name_of(q.principle)}, {q.prompt.title.lower()}" if q.principle else q.prompt.title
        for para in paragraphs(f"{where}: {q.answer or 'not answered.'}"):
            out += textwrap.wrap(para, max(20, width), initial_indent="  ", subsequent_indent="    ") or [""]
    # the same list as the walk's step line, its Decide box and the report (quality_checks)
    out += _heading("What is still missing")
    findings = quality_checks(state, framework, catalogue)
    for finding in findings:
        out += textwrap.wrap(f"  - [{finding.step}] {finding.text}", max(20, width), subsequent_indent="    ")
    if not findings:
        out.append("Nothing: every check of the walk is complete.")
    return out


def _consultation_lines(state: RecordState, width: int) -> list[str]:
    """Those asked during the walk, the sign-off consultation and its answer, and the signature."""
    out = _heading("Consultation")
    out += _asked_during_walk(state, width)
    c = state.consultation
    if c is None:
        # said of the sign-off alone: under a consultation asked mid-walk, "Not requested." read as about it
        out.append("Sign-off consultation: not requested." if state.step_consultations else "Not requested.")
    else:
        urgent = " (urgent)" if c.urgent else ""
        kind = CONSULTANT_KIND_NAMES.get(c.kind, c.kind)
        whom = c.supervisor if c.kind == "supervisor" else f"{c.supervisor} ({kind})"
        sign_off = "Sign-off consultation: " if state.step_consultations else ""
        out.append(
            f"{sign_off}{c.state.capitalize()}{urgent}: {whom}, asked by {c.requested_by} on {c.requested_at[:10]}"
        )
        if c.question:
            out += _block("Question", c.question, width)
        if c.state == "answered":
            verdict = c.outcome.replace("-", " ")
            written = f" (written in by {c.recorded_by})" if c.recorded_by else ""
            out.append(
                f"Answered by {c.answered_by}{written} on {c.answered_at[:16].replace('T', ' ')}: {verdict.upper()}"
            )
            out += _block("Supervisor's notes", c.notes or "None written.", width)
            if c.conditions:
                out += _block("Conditions", c.conditions, width)
    out += rating_lines(state, width)
    out += non_concurrence_lines(state, width)
    sig = state.signature
    if sig is not None:
        from ethicsdesk.domain.trust import short

        out.append(
            f"Signed by {sig.signer} ({sig.role}) on {sig.at[:16].replace('T', ' ')}, key "
            f"{short(sig.fingerprint)}; signed head {sig.signed_head}. The record is frozen."
        )
    return out


def _outcome_lines(state: RecordState, width: int) -> list[str]:
    """The outcome fields, each under its own heading, then the addenda of a signed record."""
    out: list[str] = []
    for f in OUTCOME_FIELDS:
        if state.text.get(f):
            out += _heading(FIELD_LABELS[f]) + _block(FIELD_LABELS[f], state.text[f], width)[1:]
    if state.addenda:
        out += _heading("Addenda")
        for n, a in enumerate(state.addenda, 1):
            label = f"{n}. {a.topic.replace('-', ' ')}, {a.at[:16].replace('T', ' ')}, by {a.author}"
            out += _block(label, a.reason, width)
            out += _block("  Text", a.text, width)
    return out


def client_part_lines(values: dict[str, str], width: int = WIDTH) -> list[str]:
    """Who decides and the client's part, each answered field as a labelled block."""
    out: list[str] = []
    for name in CLIENT_PART_FIELDS:
        if values.get(name, "").strip():
            out += _block(CLIENT_PART_LABELS[name], shown_value(name, values[name]), width)
    return out


def _hanging(text: str, first: str, later: str, width: int = WIDTH) -> list[str]:
    """`text` after `first`, wrapped to `width`, its later lines indented by `later`: a terminal wraps
    a long line back to its left edge, which lost the indent of every list item."""
    return textwrap.wrap(text, width, initial_indent=first, subsequent_indent=later) or [first.rstrip()]


def _fit(line: str, width: int) -> list[str]:
    """A line longer than `width` (a header, a list item) wrapped under its own indent; passages were
    wrapped by _block already, so nothing is wrapped twice. A hash is never split."""
    if len(line) <= width:
        return [line]
    stripped = line.lstrip()
    indent = " " * (len(line) - len(stripped)) + ("  " if stripped.startswith("- ") else "")
    return textwrap.wrap(line, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)


def dilemma_text(dilemma: Dilemma) -> str:
    from ethicsdesk.domain.frameworks import DEFAULT_FRAMEWORK
    from ethicsdesk.knowledge import load_framework

    d = dilemma.data
    out = [d.title, "=" * min(WIDTH, len(d.title)), f"Sample {d.id}  ·  {dilemma.path.name}"]
    if d.tags:
        out += _hanging("Tags: " + ", ".join(d.tags), "", "  ")
    for label, text in (
        ("Summary", d.summary),
        ("Setting", d.setting),
        ("Facts", d.facts),
        ("Client's wishes", d.client_wishes),
        ("Capacity", d.capacity),
        ("Medical or service facts", d.medical_facts),
        ("Own values and feelings", d.own_values),
        ("Question", d.question),
    ):
        if text:
            out += _block(label, text)
    if d.obligations:
        out += _hanging("Obligations: " + ", ".join(d.obligations), "", "  ")
    out += _heading("Options")
    for n, o in enumerate(d.options, 1):  # each option's later lines under its label, not at the edge
        out += _hanging(o.label + (f" — {o.description}" if o.description else ""), f"  {n}. ", " " * len(f"  {n}. "))
    ref = d.reference
    if ref is not None:
        fw = load_framework(DEFAULT_FRAMEWORK)  # the dilemma format is written against the CCMC principles
        keys = [o.key for o in d.options]
        scores = {(k, p): s for k, row in ref.scores.items() for p, s in row.items()}
        totals = {k: sum(scores.get((k, p), 0) * ref.weights.get(p, 1) for p in fw.ids) for k in keys}
        out += _heading("Reference weighing")
        out += weighing_table(keys, {o.key: o.label for o in d.options}, fw, scores, dict(ref.weights), totals)
        chosen = next(o.label for o in d.options if o.key == ref.chosen)
        out += ["", *_hanging(f"Reference choice: {chosen}", "", "  "), *_block("Rationale", ref.rationale)]
        if ref.sources:  # the reference's reading, to set beside the trainee's
            out.append("Sources consulted:")
            for x in ref.sources:
                out += textwrap.wrap(f"{x.kind}: {x.detail}", WIDTH, initial_indent="  - ", subsequent_indent="    ")
        for part, text in (ref.plan.model_dump() if ref.plan else {}).items():
            if text:
                out += _block(f"Plan: {FIELD_LABELS['plan_' + part].lower()}", text)
        if ref.follow_up:
            out += _block("Follow-up", ref.follow_up)
        out += client_part_lines({name: getattr(d, name) for name in CLIENT_PART_FIELDS})
        if ref.discussion:
            out.append("Debrief questions:")
            out += [line for q in ref.discussion for line in _hanging(q, "  - ", "    ")]
    return "\n".join(out)


def rating_lines(state: RecordState, width: int) -> list[str]:
    """The supervisor's rating of the sign-off rationale (domain/quality.py), when one was given."""
    from ethicsdesk.domain import quality

    r = state.rating
    if r is None:
        return []
    out = [f"Rating of the rationale, by {r.rated_by} on {r.rated_at[:16].replace('T', ' ')} ({quality.SOURCE}):"]
    for d in quality.RATING_DOMAINS:
        mark = quality.MARK_NAMES.get(r.marks.get(d, ""), r.marks.get(d, ""))
        line = f"  {quality.DOMAIN_NAMES[d]}: {mark}. {quality.DOMAIN_CRITERIA[d]}"
        out += textwrap.wrap(line, max(20, width), subsequent_indent="    ")
    name = quality.LEVEL_NAMES.get(r.level, "")
    out.append(f"  Overall level: {r.level} of 4 ({name}); 3 and 4 are acceptable.")
    if r.note:
        out += _block("  Note", r.note, width)
    return out
