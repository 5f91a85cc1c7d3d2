"""The pane of each step (screens/walk.py composes the one it opens at, and each other when first
shown), each module imported only when its pane is first wanted: importing all seven panes (and the
matrix, the consultation form and the rest) before the first paint cost more than the pane shown."""

from __future__ import annotations

from importlib import import_module

from ethicsdesk.domain.walk import StepId
from ethicsdesk.tui.steps.base import StepPane

# the module and class of each step's pane, in the walk's order
PANE_PLACES: dict[StepId, tuple[str, str]] = {
    "situation": ("situation", "SituationPane"),
    "obligations": ("obligations", "ObligationsPane"),
    "options": ("options", "OptionsPane"),
    "weigh": ("weigh", "WeighPane"),
    "decide": ("decide", "DecidePane"),
    "consult": ("consult", "ConsultPane"),
    "outcome": ("outcome", "OutcomePane"),
}


def pane_of(step: StepId) -> type[StepPane]:
    """The pane class of `step`, its module imported now if it was not yet."""
    module, name = PANE_PLACES[step]
    pane = getattr(import_module(f"ethicsdesk.tui.steps.{module}"), name)
    if not (isinstance(pane, type) and issubclass(pane, StepPane) and pane.step == step):
        raise TypeError(f"{module}.{name} is not the pane of step {step!r}")
    return pane
