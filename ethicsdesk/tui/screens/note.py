"""A short note on one cell of the weighing matrix: why this score."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static, TextArea

from ethicsdesk.tui.screens.dialog import Dialog
from ethicsdesk.tui.widgets.button import Button
from ethicsdesk.tui.widgets.window_body import WindowBody


class NoteScreen(Dialog[str | None]):
    BINDINGS = [Binding("ctrl+s", "submit", "Save")]
    DEFAULT_CSS = """
    NoteScreen TextArea { height: 6; }
    """

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.title_text, self.note = title, note

    def compose(self) -> ComposeResult:
        with WindowBody():
            yield Static(f"[b]Note[/b] — {escape(self.title_text)}\nWhy this score? (ctrl+s saves, escape cancels)")
            yield TextArea(self.note, soft_wrap=True, tab_behavior="focus", id="note")
            yield self.buttons(Button("Save", variant="primary", id="save"), Button("Cancel", id="cancel"))

    def on_mount(self) -> None:
        # Words typed into a note already written go after it, as in every field holding a stored
        # value (KeptInput), not before its first word.
        area = self.query_one(TextArea)
        area.move_cursor(area.document.end)

    def submit(self) -> None:
        self.dismiss(self.query_one(TextArea).text)
