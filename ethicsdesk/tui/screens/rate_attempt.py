"""The trainer rates a training attempt from its debrief (`r`): the four domains after ECQAT met,
partly met or not met, each with its criterion, the overall level 1-4 and an optional note, in the
same form the supervisor rates a rationale with (review_rating.py). Saving records a
`training.rated` event; the debrief and the cohort view then show the rating."""

from __future__ import annotations

from textual.app import ComposeResult

from ethicsdesk.service.review import RatingInput  # loaded with the debrief's service already
from ethicsdesk.tui.screens.dialog import Dialog
from ethicsdesk.tui.screens.review_rating import RatingForm
from ethicsdesk.tui.widgets.button import Button
from ethicsdesk.tui.widgets.window_body import WindowBody

RATERS = ("trainer", "supervisor")


class RateAttemptScreen(Dialog[RatingInput | None]):
    """Returns the rating as given, or None when cancelled."""

    ENTER_SUBMITS = False  # the note is the last field: Enter there must not save a rating half read
    DEFAULT_CSS = """
    RateAttemptScreen > VerticalScroll { width: 76; padding: 0 1; }
    RateAttemptScreen RadioSet { layout: horizontal; width: 100%; }
    """

    def compose(self) -> ComposeResult:
        with WindowBody():
            yield RatingForm("Your rating of this attempt", id="attempt-rating")
            yield self.error_line()
            save = Button("Save rating", variant="primary", id="rating-save")
            yield self.buttons(save, Button("Cancel", id="cancel"))

    def submit(self) -> None:
        chosen = self.query_one("#attempt-rating", RatingForm).chosen()
        if chosen is None:
            self.show_error("Mark the four domains and choose the overall level, or press escape to leave it.")
        elif isinstance(chosen, str):
            self.show_error(chosen)
        else:
            self.dismiss(chosen)
