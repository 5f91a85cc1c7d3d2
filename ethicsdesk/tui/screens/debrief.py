"""The debrief of a training attempt: the trainee's work beside the reference weighing.

Plain text in a scrolling pane, `e` writes it as Markdown (training_text_view.py, shared with the
cohort view).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from ethicsdesk.errors import EthicsdeskError
from ethicsdesk.tui.screens.training_text_view import TrainingTextScreen

if TYPE_CHECKING:
    from ethicsdesk.domain.training import Debrief
    from ethicsdesk.service.review import RatingInput
    from ethicsdesk.tui.screens.walk import WalkScreen


class DebriefScreen(TrainingTextScreen["Debrief"]):
    PART, NAME, THIS = "debrief", "debrief", "this debrief"
    BINDINGS = [*TrainingTextScreen.BINDINGS, Binding("r", "rate", "Rate")]

    def read(self) -> Debrief:
        return self.service.training.debrief(self.subject)  # the training attempt's record id

    def action_rate(self) -> None:
        """The trainer's rating of the attempt (rate_attempt.py); refused at once to anyone else."""
        from ethicsdesk.tui.screens.rate_attempt import RATERS, RateAttemptScreen

        user = self.app.user
        if user is None or user.role not in RATERS:
            role = user.role if user is not None else "case manager"
            self.notify(
                f"Only a trainer or a supervisor can rate a training attempt; you are recorded as a {role}.",
                title="Not rated",
                severity="error",
            )
            return
        self.app.push_screen(RateAttemptScreen(), self._record_rating)

    def _record_rating(self, rating: RatingInput | None) -> None:
        if rating is None:
            return
        try:
            self.service.training.rate_attempt(self.subject, rating)
        except EthicsdeskError as exc:
            self.notify(exc.message, title="Not rated", severity="error", markup=False)
            return
        self.reload()
        self.notify("Your rating is recorded; the debrief and the cohort view show it.")


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
