"""The seven steps of the walk and how far a record has come along them."""

from __future__ import annotations

from typing import Literal, TypeGuard, get_args

from ethicsdesk.domain.record import RecordState

# The steps of the walk, in order (the walk in DESIGN.md), named here once: a step id elsewhere is a
# StepId, so a misspelt one is a mypy error.
StepId = Literal["situation", "obligations", "options", "weigh", "decide", "consult", "outcome"]
STEPS: tuple[StepId, ...] = get_args(StepId)
STEP_TITLES: dict[str, str] = {
    "situation": "Situation",
    "obligations": "Obligations",
    "options": "Options",
    "weigh": "Weigh",
    "decide": "Decide",
    "consult": "Consult",
    "outcome": "Outcome",
}


def is_step(name: str) -> TypeGuard[StepId]:
    """Whether NAME (read from the database or a widget's id, so typed as a str) is a step's id."""
    return name in STEPS


def as_step(name: str) -> StepId:
    """NAME as a step id: a ValueError if no step is called that."""
    if not is_step(name):
        raise ValueError(f"{name!r} is not a step of the walk")
    return name


def _situation_lacks(state: RecordState, _principles: tuple[str, ...]) -> list[str]:
    t = state.text
    lacks = [
        phrase
        for name, phrase in (("title", "a title"), ("facts", "the facts"), ("question", "the ethics question"))
        if not t.get(name, "").strip()
    ]
    if not t.get("client_wishes", "").strip():
        lacks.append("the client's wishes")
    return lacks


def _options_lacks(state: RecordState, _principles: tuple[str, ...]) -> list[str]:
    return [f"{2 - len(state.options)} more option(s)"] if len(state.options) < 2 else []


def _weigh_lacks(state: RecordState, principles: tuple[str, ...]) -> list[str]:
    if not state.options:
        return ["options to weigh"]
    empty = sum(1 for o in state.options for p in principles if (o.key, p) not in state.scores)
    return [f"{empty} unscored cell(s)"] if empty else []


def _decide_lacks(state: RecordState, _principles: tuple[str, ...]) -> list[str]:
    lacks = [] if state.decision.get("chosen") else ["a chosen option"]
    if not state.decision.get("rationale", "").strip():
        lacks.append("a rationale")
    return lacks


def _consult_lacks(state: RecordState, _principles: tuple[str, ...]) -> list[str]:
    if state.consultation is None or state.consultation.state == "withdrawn":
        return ["a consultation request"]
    return []


def _outcome_lacks(state: RecordState, _principles: tuple[str, ...]) -> list[str]:
    return [] if state.text.get("outcome", "").strip() else ["what happened"]


# What each step checks, in the walk's order; obligations may rightly be empty and lack nothing.
_LACKS = {
    "situation": _situation_lacks,
    "options": _options_lacks,
    "weigh": _weigh_lacks,
    "decide": _decide_lacks,
    "consult": _consult_lacks,
    "outcome": _outcome_lacks,
}


def step_lacks(state: RecordState, principles: tuple[str, ...]) -> dict[str, list[str]]:
    """What each step still lacks before the walk can rely on it, in short phrases."""
    return {s: _LACKS[s](state, principles) if s in _LACKS else [] for s in STEPS}


def step_reached(state: RecordState, principles: tuple[str, ...]) -> str:
    """The first step that still lacks something the walk needs; 'outcome' once all are done.

    Obligations may rightly be empty, so that step never holds a record back.
    """
    for step in ("situation", "options", "weigh", "decide", "consult"):  # each checked only once reached
        if _LACKS[step](state, principles):
            return step
    return "outcome"
