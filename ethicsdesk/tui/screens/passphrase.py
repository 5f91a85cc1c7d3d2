"""Asking for the signing key's passphrase (or choosing one, the first time a supervisor signs)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from ethicsdesk.tui.screens.dialog import Dialog
from ethicsdesk.tui.widgets.button import Button


class PassphraseScreen(Dialog[str | None]):
    """Returns the passphrase ("" for none) or None when cancelled."""

    DEFAULT_CSS = """
    PassphraseScreen > VerticalScroll { width: 66; }
    """

    def __init__(self, creating: bool) -> None:
        super().__init__()
        self.creating = creating

    def compose(self) -> ComposeResult:
        fields = [("Passphrase", Input(password=True, id="passphrase"))]
        if self.creating:
            heading = (
                "[b]Your signing key[/b]\nThis is your first signature, so ethicsdesk makes you a "
                "key. A passphrase protects it if someone copies your files; leave both empty for none."
            )
            fields.append(("The same again", Input(password=True, id="repeat")))
        else:
            heading = "[b]Sign[/b]\nEnter your signing key's passphrase."
        buttons = self.buttons(Button("Sign", variant="primary", id="ok"), Button("Cancel", id="cancel"))
        yield self.form(heading, *fields, foot=buttons)

    def submit(self) -> None:
        value = self.query_one("#passphrase", Input).value
        if self.creating and value != self.query_one("#repeat", Input).value:
            self.show_error("The two passphrases differ; type them again.")
            return
        self.dismiss(value)
