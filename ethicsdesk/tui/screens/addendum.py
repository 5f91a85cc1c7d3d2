"""Adding to a signed record: what kind of addition, why, and the text. The signed part stays as it was."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from ethicsdesk.domain.record import ADDENDUM_TOPICS
from ethicsdesk.tui.widgets.window_body import WindowBody


class AddendumScreen(ModalScreen[tuple[str, str, str] | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    AddendumScreen { align: center middle; }
    AddendumScreen > VerticalScroll {
        width: 72; max-width: 100%; height: auto; max-height: 100%; border: round $primary; padding: 1 2;
    }
    AddendumScreen TextArea { height: 6; }
    AddendumScreen #error { color: $error; }
    AddendumScreen Horizontal { height: auto; margin-top: 1; }
    AddendumScreen Button { margin-right: 2; }
    """

    def compose(self) -> ComposeResult:
        with WindowBody():
            yield Static(
                "[b]Addendum[/b]\nThis record is signed. What you add here is kept beside it, "
                "with your name and the time; the signed reasoning is not changed."
            )
            yield Label("Kind")
            yield Select(
                [(t.replace("-", " ").capitalize(), t) for t in ADDENDUM_TOPICS],
                value="outcome",
                allow_blank=False,
                id="topic",
            )
            yield Label("Why it is added")
            yield Input(placeholder="for example: follow-up visit on 2 December", id="reason")
            yield Label("Text")
            yield TextArea(id="text", soft_wrap=True, tab_behavior="focus")
            yield Static("", id="error", markup=False)
            with Horizontal():
                yield Button("Add", variant="primary", id="add")
                yield Button("Cancel", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id != "add":
            self.action_cancel()
            return
        topic = str(self.query_one("#topic", Select).value)
        reason = self.query_one("#reason", Input).value.strip()
        text = self.query_one("#text", TextArea).text.strip()
        if not reason or not text:
            self.query_one("#error", Static).update("Say why, and write the addendum itself.")
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
