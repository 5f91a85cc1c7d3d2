"""A short note on one cell of the weighing matrix: why this score."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from ethicsdesk.tui.widgets.window_body import WindowBody


class NoteScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]
    DEFAULT_CSS = """
    NoteScreen { align: center middle; }
    NoteScreen > VerticalScroll {
        width: 70; max-width: 100%; height: auto; max-height: 100%; border: round $primary; padding: 1 2;
    }
    NoteScreen TextArea { height: 6; }
    NoteScreen Horizontal { height: auto; margin-top: 1; }
    NoteScreen Button { margin-right: 2; }
    """

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.title_text, self.note = title, note

    def compose(self) -> ComposeResult:
        with WindowBody():
            yield Static(f"[b]Note[/b] — {escape(self.title_text)}\nWhy this score? (ctrl+s saves, escape cancels)")
            yield TextArea(self.note, soft_wrap=True, tab_behavior="focus", id="note")
            with Horizontal():
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
