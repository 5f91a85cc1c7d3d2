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


def step_lacks(state: RecordState, principles: tuple[str, ...]) -> dict[str, list[str]]:
    """What each step still lacks before the walk can rely on it, in short phrases."""
    lacks: dict[str, list[str]] = {s: [] for s in STEPS}
    t = state.text
    for name, phrase in (("title", "a title"), ("facts", "the facts"), ("question", "the ethics question")):
        if not t.get(name, "").strip():
            lacks["situation"].append(phrase)
    if not t.get("client_wishes", "").strip():
        lacks["situation"].append("the client's wishes")
    if len(state.options) < 2:
        lacks["options"].append(f"{2 - len(state.options)} more option(s)")
    empty = sum(1 for o in state.options for p in principles if (o.key, p) not in state.scores)
    if not state.options:
        lacks["weigh"].append("options to weigh")
    elif empty:
        lacks["weigh"].append(f"{empty} unscored cell(s)")
    if not state.decision.get("chosen"):
        lacks["decide"].append("a chosen option")
    if not state.decision.get("rationale", "").strip():
        lacks["decide"].append("a rationale")
    if state.consultation is None or state.consultation.state == "withdrawn":
        lacks["consult"].append("a consultation request")
    if not t.get("outcome", "").strip():
        lacks["outcome"].append("what happened")
    return lacks


def step_reached(state: RecordState, principles: tuple[str, ...]) -> str:
    """The first step that still lacks something the walk needs; 'outcome' once all are done.

    Obligations may rightly be empty, so that step never holds a record back.
    """
    lacks = step_lacks(state, principles)
    for step in ("situation", "options", "weigh", "decide", "consult"):
        if lacks[step]:
            return step
    return "outcome"
