"""Adding to a signed record: what kind of addition, why, and the text. The signed part stays as it was."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Input, Select, TextArea

from ethicsdesk.domain.record import ADDENDUM_TOPICS
from ethicsdesk.errors import EthicsdeskError
from ethicsdesk.tui.screens.dialog import Dialog
from ethicsdesk.tui.widgets.button import Button

if TYPE_CHECKING:
    from ethicsdesk.tui.screens.walk import WalkScreen


def add_addendum_to(walk: WalkScreen) -> None:
    """ctrl+a on a signed record: the addition is kept beside the signed reasoning, never an edit to
    it. Written through the walk's writer (its `change` refuses a frozen record), then redrawn."""

    def add(result: tuple[str, str, str] | None) -> None:
        if result is None:
            return
        service, record_id = walk.service, walk.record_id

        def added(_state: object, error: BaseException | None) -> None:
            if isinstance(error, EthicsdeskError):
                walk.notify(error.message, title="Not added", severity="error", markup=False)
                return
            if error is not None:
                raise error
            walk.notify("Addendum added.")
            walk.refresh_view()

        walk.writer.submit(lambda: service.review.add_addendum(record_id, *result), added)

    walk.app.push_screen(AddendumScreen(), add)


class AddendumScreen(Dialog[tuple[str, str, str] | None]):
    ENTER_SUBMITS = False  # the text is still to write when enter ends the reason
    DEFAULT_CSS = """
    AddendumScreen > VerticalScroll { width: 72; }
    AddendumScreen TextArea { height: 6; }
    """

    def compose(self) -> ComposeResult:
        topics = [(t.replace("-", " ").capitalize(), t) for t in ADDENDUM_TOPICS]
        yield self.form(
            "[b]Addendum[/b]\nThis record is signed. What you add here is kept beside it, "
            "with your name and the time; the signed reasoning is not changed.",
            ("Kind", Select(topics, value="outcome", allow_blank=False, id="topic")),
            ("Why it is added", Input(placeholder="for example: follow-up visit on 2 December", id="reason")),
            ("Text", TextArea(id="text", soft_wrap=True, tab_behavior="focus")),
            foot=self.buttons(Button("Add", variant="primary", id="add"), Button("Cancel", id="cancel")),
        )

    def submit(self) -> None:
        topic = str(self.query_one("#topic", Select).value)
        reason = self.query_one("#reason", Input).value.strip()
        text = self.query_one("#text", TextArea).text.strip()
        if not reason or not text:
            self.show_error("Say why, and write the addendum itself.")
            return
        self.dismiss((topic, reason, text))

    def action_cancel(self) -> None:
        """Close; typed text is never thrown away without asking first."""
        from ethicsdesk.tui.screens.confirm import ConfirmScreen

        typed = self.query_one("#reason", Input).value.strip() or self.query_one("#text", TextArea).text.strip()
        if not typed:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard the addendum you have typed? Nothing of it is kept."), answered)
