"""Adding or editing an option: a label and, if useful, what it would involve."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ethicsdesk.tui.widgets.window_body import WindowBody


class OptionEditScreen(ModalScreen[tuple[str, str] | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    OptionEditScreen { align: center middle; }
    OptionEditScreen > VerticalScroll {
        width: 70; max-width: 100%; height: auto; max-height: 100%; border: round $primary; padding: 1 2;
    }
    OptionEditScreen #error { color: $error; }
    OptionEditScreen Horizontal { height: auto; margin-top: 1; }
    OptionEditScreen Button { margin-right: 2; }
    """

    def __init__(self, label: str = "", description: str = "") -> None:
        super().__init__()
        self._label, self._description = label, description

    def compose(self) -> ComposeResult:
        with WindowBody():
            yield Static("[b]Edit option[/b]" if self._label else "[b]New option[/b]")
            yield Label("What you would do")
            yield Input(self._label, placeholder="for example: Discharge home with a safety plan", id="label")
            yield Label("What it involves (optional)")
            yield Input(self._description, id="description")
            yield Static("", id="error", markup=False)
            with Horizontal():
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "label":
            self.query_one("#description", Input).focus()
        else:
            self._save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self._save()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _save(self) -> None:
        label = self.query_one("#label", Input).value.strip()
        if not label:
            self.query_one("#error", Static).update("An option needs a label.")
            return
        self.dismiss((label, self.query_one("#description", Input).value.strip()))
