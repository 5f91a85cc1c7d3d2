"""A database or set-up problem that stops the app: one sentence, then quit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ethicsdesk.tui.screens.dialog import Dialog
from ethicsdesk.tui.widgets.button import Button
from ethicsdesk.tui.widgets.window_body import WindowBody


class ProblemScreen(Dialog[None]):
    BINDINGS = [Binding("escape,q", "quit", "Quit")]
    DEFAULT_CSS = """
    ProblemScreen > VerticalScroll { border: heavy $error; }
    ProblemScreen Button { margin-top: 1; }
    """

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with WindowBody():
            yield Static("[b]ethicsdesk cannot open your records[/b]")
            yield Static(self.message, id="problem-text", markup=False)
            yield Static("Nothing was changed. Press q to quit.")
            yield Button("Quit", variant="error", id="quit")

    def submit(self) -> None:
        self.action_quit()

    def action_quit(self) -> None:
        # non-zero, as a command that cannot open the database exits (the app raises the problem after)
        problem = getattr(self.app, "problem", None)
        self.app.exit(return_code=problem.exit_code if problem is not None else 2)
