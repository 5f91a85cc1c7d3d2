"""Asked once: who you are, so that every change in a record can be attributed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, RadioSet

from ethicsdesk.errors import EthicsdeskError
from ethicsdesk.settings import ROLES, User, save_user
from ethicsdesk.tui.screens.dialog import Dialog
from ethicsdesk.tui.widgets.button import Button
from ethicsdesk.tui.widgets.marked_toggles import MarkedRadioButton, pressed_name


class FirstRunScreen(Dialog[User | None], inherit_bindings=False):  # no escape: the name is needed
    DEFAULT_CSS = """
    FirstRunScreen > VerticalScroll { width: 64; }
    FirstRunScreen RadioSet { width: 100%; margin-bottom: 1; }
    """

    def compose(self) -> ComposeResult:
        roles = [MarkedRadioButton(role.capitalize(), value=i == 0, name=role) for i, role in enumerate(ROLES)]
        yield self.form(
            "[b]Welcome to ethicsdesk[/b]\nEvery change you make is recorded with your name "
            "and role. This is asked once and kept in your config file.",
            ("Your name", Input(placeholder="for example Robin Ashdown", id="name")),
            ("Your role", RadioSet(*roles, id="role")),
            foot=Button("Save and continue", variant="primary", id="save"),
        )

    def submit(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        role = pressed_name(self.query_one("#role", RadioSet), ROLES[0])
        if not name:
            self.show_error("Please type your name: records need an author.")
            self.query_one("#name", Input).focus()
            return
        user = User(name, role)
        try:
            save_user(user)
        except EthicsdeskError as exc:
            self.show_error(exc.message)
            return
        self.dismiss(user)
