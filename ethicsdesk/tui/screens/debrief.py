"""The debrief of a training attempt: the trainee's work beside the reference weighing.

Plain text in a scrolling pane, `e` writes it as Markdown (training_text_view.py, shared with the
cohort view).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ethicsdesk.tui.screens.training_text_view import TrainingTextScreen

if TYPE_CHECKING:
    from ethicsdesk.domain.training import Debrief
    from ethicsdesk.tui.screens.walk import WalkScreen


class DebriefScreen(TrainingTextScreen["Debrief"]):
    PART, NAME, THIS = "debrief", "debrief", "this debrief"

    def read(self) -> Debrief:
        return self.service.training.debrief(self.subject)  # the training attempt's record id


async def open_debrief_of(walk: WalkScreen) -> None:
    """ctrl+d in training: compare the attempt with the sample's reference, once a choice is made
    (what was just typed is saved first, so the debrief reads it)."""
    walk.autosave.flush()
    walk.refresh_view()
    await walk.writer.settled()
    state = walk.view.state if walk.view is not None else None
    if state is None or not any(o.key == state.decision.get("chosen") for o in state.options):
        walk.notify(
            "Choose an option on the Decide step first; then the debrief compares your work.",
            title="Not yet",
            severity="warning",
        )
        return
    walk.app.push_screen(DebriefScreen(walk.record_id))
