"""A database or set-up problem that stops the app: one sentence, then quit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ProblemScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q", "app.quit", "Quit")]
    DEFAULT_CSS = """
    ProblemScreen { align: center middle; }
    ProblemScreen > Vertical { width: 70; height: auto; border: heavy $error; padding: 1 2; }
    ProblemScreen Button { margin-top: 1; }
    """

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]ethicsdesk cannot open your records[/b]")
            yield Static(self.message, id="problem-text", markup=False)
            yield Static("Nothing was changed. Press q to quit.")
            yield Button("Quit", variant="error", id="quit")

    def on_button_pressed(self, _event: Button.Pressed) -> None:
        self.app.exit()
