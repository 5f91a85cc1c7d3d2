"""The method's own parts of a record as report view data and as `show` lines: the danger question
asked before the situation, the classification of the problem, and the next steps when the one
consulted does not concur. Plain data for the templates and the JSON report (new keys
`safety_screen`, `problem_framing` and `non_concurrence`: shared/DESIGN.md lets keys be added).
Pure Python, no I/O.
"""

from __future__ import annotations

import textwrap
from typing import Any

from ethicsdesk.domain.non_concurrence import NON_CONCURRENCE_STEPS, NON_CONCURRENCE_TITLE, non_concurrences
from ethicsdesk.domain.obligations import Catalogue
from ethicsdesk.domain.problem_framing import (
    DANGER_BANNER,
    DANGER_FLOOR,
    DANGER_QUESTION,
    DILEMMA_TYPE,
    IMMEDIATE_DANGER,
    PROBLEM_KIND_LABELS,
    PROBLEM_KINDS_FIELD,
    RIGHT_VS_WRONG_STEPS,
    danger_raised,
    danger_steps,
    problem_kinds,
    shown_framing,
)
from ethicsdesk.domain.record import CONSULTANT_KIND_NAMES, RecordState


def safety_screen(state: RecordState, catalogue: Catalogue) -> dict[str, Any]:
    answer = state.text.get(IMMEDIATE_DANGER, "")
    raised = danger_raised(state.text)
    return {
        "question": DANGER_QUESTION,
        "answer": answer,
        "answer_text": shown_framing(IMMEDIATE_DANGER, answer),
        "raised": raised,
        "banner": DANGER_BANNER if raised else "",
        "floor": DANGER_FLOOR,
        "floor_ticked": DANGER_FLOOR in state.obligations,
        "steps": danger_steps(catalogue) if raised else [],
    }


def problem_framing(state: RecordState) -> dict[str, Any]:
    kinds = problem_kinds(state.text.get(PROBLEM_KINDS_FIELD, ""))
    dilemma_type = state.text.get(DILEMMA_TYPE, "")
    return {
        "kinds": kinds,
        "kind_labels": [PROBLEM_KIND_LABELS[k] for k in kinds],
        "dilemma_type": dilemma_type,
        "dilemma_type_text": shown_framing(DILEMMA_TYPE, dilemma_type),
        "right_vs_wrong_steps": list(RIGHT_VS_WRONG_STEPS) if dilemma_type == "right-vs-wrong" else [],
        "empty": not kinds and not dilemma_type,
    }


def non_concurrence(state: RecordState) -> dict[str, Any]:
    """Who did not concur (whom, of which kind, their notes) and, if anyone, the next steps."""
    found = non_concurrences(state)
    return {
        "applies": bool(found),
        "title": NON_CONCURRENCE_TITLE,
        "by": [
            {
                "whom": c.supervisor,
                "kind": c.kind,
                "kind_label": CONSULTANT_KIND_NAMES.get(c.kind, c.kind),
                "answered_at": c.answered_at,
                "notes": c.notes,
            }
            for c in found
        ],
        "steps": list(NON_CONCURRENCE_STEPS) if found else [],
    }


def _numbered(steps: list[str], width: int) -> list[str]:
    out: list[str] = []
    for n, step in enumerate(steps, 1):
        out += textwrap.wrap(f"  {n}. {step}", max(20, width), subsequent_indent="     ")
    return out


def safety_and_framing_lines(state: RecordState, catalogue: Catalogue, width: int) -> list[str]:
    """`show`'s lines for the danger question and the classification, printed before the situation."""
    screen, framing = safety_screen(state, catalogue), problem_framing(state)
    out = textwrap.wrap(f"{DANGER_QUESTION} {screen['answer_text'] or 'Not answered.'}", max(20, width))
    if screen["raised"]:
        out.append(DANGER_BANNER)
        if not screen["floor_ticked"]:
            out.append("  (the imminent-risk floor has since been unticked on the Obligations step)")
        out += _numbered(screen["steps"], width)
    if framing["kind_labels"]:
        out.append("Kind of problem:")
        out += [f"  - {label}" for label in framing["kind_labels"]]
    if framing["dilemma_type"]:
        out += textwrap.wrap(f"Dilemma or not: {framing['dilemma_type_text']}", max(20, width))
        out += _numbered(framing["right_vs_wrong_steps"], width)
    return out


def non_concurrence_lines(state: RecordState, width: int) -> list[str]:
    """`show`'s lines under the consultation when someone consulted did not concur (else none)."""
    view = non_concurrence(state)
    if not view["applies"]:
        return []
    names = ", ".join(f"{b['whom']} ({b['kind_label']})" for b in view["by"])
    out = textwrap.wrap(f"{NON_CONCURRENCE_TITLE} ({names} did not):", max(20, width))
    return out + _numbered(view["steps"], width)
