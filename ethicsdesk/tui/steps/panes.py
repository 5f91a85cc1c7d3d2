"""The seven step panes in the walk's order, and the pane of each step (screens/walk.py composes
the one it opens at, and each other when first shown)."""

from __future__ import annotations

from ethicsdesk.domain.walk import StepId
from ethicsdesk.tui.steps.base import StepPane
from ethicsdesk.tui.steps.consult import ConsultPane
from ethicsdesk.tui.steps.decide import DecidePane
from ethicsdesk.tui.steps.obligations import ObligationsPane
from ethicsdesk.tui.steps.options import OptionsPane
from ethicsdesk.tui.steps.outcome import OutcomePane
from ethicsdesk.tui.steps.situation import SituationPane
from ethicsdesk.tui.steps.weigh import WeighPane

PANES: tuple[type[StepPane], ...] = (
    SituationPane, ObligationsPane, OptionsPane, WeighPane, DecidePane, ConsultPane, OutcomePane
)
PANE_OF: dict[StepId, type[StepPane]] = {pane.step: pane for pane in PANES}
