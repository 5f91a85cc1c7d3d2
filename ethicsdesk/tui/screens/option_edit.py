"""Adding or editing an option: a label and, if useful, what it would involve."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from ethicsdesk.tui.screens.dialog import Dialog
from ethicsdesk.tui.widgets.button import Button
from ethicsdesk.tui.widgets.fields import KeptInput


class OptionEditScreen(Dialog[tuple[str, str] | None]):
    def __init__(self, label: str = "", description: str = "") -> None:
        super().__init__()
        self._label, self._description = label, description

    def compose(self) -> ComposeResult:
        yield self.form(
            "[b]Edit option[/b]" if self._label else "[b]New option[/b]",
            (
                "What you would do",
                KeptInput(self._label, placeholder="for example: Discharge home with a safety plan", id="label"),
            ),
            ("What it involves (optional)", KeptInput(self._description, id="description")),
            foot=self.buttons(Button("Save", variant="primary", id="save"), Button("Cancel", id="cancel")),
        )

    def submit(self) -> None:
        label = self.query_one("#label", Input).value.strip()
        if not label:
            self.show_error("An option needs a label.")
            return
        self.dismiss((label, self.query_one("#description", Input).value.strip()))
