"""Asked once: who you are, so that every change in a record can be attributed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioSet, Static

from ethicsdesk.errors import EthicsdeskError
from ethicsdesk.settings import ROLES, User, save_user
from ethicsdesk.tui.widgets.marked_toggles import MarkedRadioButton


class FirstRunScreen(ModalScreen[User | None]):
    DEFAULT_CSS = """
    FirstRunScreen { align: center middle; }
    FirstRunScreen > Vertical { width: 64; height: auto; border: round $primary; padding: 1 2; }
    FirstRunScreen RadioSet { width: 100%; margin-bottom: 1; }
    FirstRunScreen #error { color: $error; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                "[b]Welcome to ethicsdesk[/b]\nEvery change you make is recorded with your name "
                "and role. This is asked once and kept in your config file."
            )
            yield Label("Your name")
            yield Input(placeholder="for example Robin Ashdown", id="name")
            yield Label("Your role")
            with RadioSet(id="role"):
                for i, role in enumerate(ROLES):
                    yield MarkedRadioButton(role.capitalize(), value=i == 0, name=role)
            yield Static("", id="error", markup=False)
            yield Button("Save and continue", variant="primary", id="save")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self._save()

    def on_button_pressed(self, _event: Button.Pressed) -> None:
        self._save()

    def _save(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        pressed = self.query_one("#role", RadioSet).pressed_button
        role = pressed.name if pressed is not None and pressed.name else ROLES[0]
        if not name:
            self.query_one("#error", Static).update("Please type your name: records need an author.")
            self.query_one("#name", Input).focus()
            return
        user = User(name, role)
        try:
            save_user(user)
        except EthicsdeskError as exc:
            self.query_one("#error", Static).update(exc.message)
            return
        self.dismiss(user)
