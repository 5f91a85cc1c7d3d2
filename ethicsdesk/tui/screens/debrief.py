"""The debrief of a training attempt: the trainee's work beside the reference weighing.

Plain text in a scrolling pane, `e` writes it as Markdown (training_text_view.py, shared with the
cohort view).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ethicsdesk.tui.screens.training_text_view import TrainingTextScreen

if TYPE_CHECKING:
    from ethicsdesk.domain.training import Debrief


class DebriefScreen(TrainingTextScreen["Debrief"]):
    PART, NAME, THIS = "debrief", "debrief", "this debrief"

    def read(self) -> Debrief:
        return self.service.debrief(self.subject)  # the training attempt's record id
