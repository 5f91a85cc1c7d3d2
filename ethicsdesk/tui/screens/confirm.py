"""A yes/no question before something that removes work from view."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ethicsdesk.tui.screens.dialog import Dialog
from ethicsdesk.tui.widgets.button import Button
from ethicsdesk.tui.widgets.window_body import WindowBody


class ConfirmScreen(Dialog[bool]):
    BINDINGS = [Binding("escape,n", "cancel", "No"), Binding("y", "submit", "Yes")]
    DEFAULT_CSS = """
    ConfirmScreen > VerticalScroll { width: 64; border: round $warning; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with WindowBody():
            yield Static(self.question, markup=False)
            yield self.buttons(Button("Yes (y)", variant="warning", id="yes"), Button("No (n)", id="cancel"))

    def submit(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
