"""The cohort view of one sample: every stored attempt side by side, for the trainer.

Attempts, their agreement and choices, the obligations missed most and the spread of scores per
cell, as plain text in a scrolling pane; `e` writes it as Markdown (training_text_view.py, shared
with the debrief).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ethicsdesk.tui.screens.training_text_view import TrainingTextScreen

if TYPE_CHECKING:
    from ethicsdesk.domain.training import Cohort


class CohortScreen(TrainingTextScreen["Cohort"]):
    PART, NAME, THIS = "cohort", "cohort view", "the cohort view"

    def on_screen_resume(self) -> None:
        self.reload()  # attempts may have been made since the screen was first shown

    def read(self) -> Cohort:
        return self.service.training.cohort(self.subject)  # the sample's id
