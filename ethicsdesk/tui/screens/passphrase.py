"""Asking for the signing key's passphrase (or choosing one, the first time a supervisor signs)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static


class PassphraseScreen(ModalScreen[str | None]):
    """Returns the passphrase ("" for none) or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    PassphraseScreen { align: center middle; }
    PassphraseScreen > Vertical { width: 66; height: auto; border: round $primary; padding: 1 2; }
    PassphraseScreen #error { color: $error; }
    PassphraseScreen Horizontal { height: auto; margin-top: 1; }
    PassphraseScreen Button { margin-right: 2; }
    """

    def __init__(self, creating: bool) -> None:
        super().__init__()
        self.creating = creating

    def compose(self) -> ComposeResult:
        with Vertical():
            if self.creating:
                yield Static(
                    "[b]Your signing key[/b]\nThis is your first signature, so ethicsdesk makes you a "
                    "key. A passphrase protects it if someone copies your files; leave both empty for none."
                )
            else:
                yield Static("[b]Sign[/b]\nEnter your signing key's passphrase.")
            yield Label("Passphrase")
            yield Input(password=True, id="passphrase")
            if self.creating:
                yield Label("The same again")
                yield Input(password=True, id="repeat")
            yield Static("", id="error", markup=False)
            with Horizontal():
                yield Button("Sign", variant="primary", id="ok")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#passphrase", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.creating and event.input.id == "passphrase":
            self.query_one("#repeat", Input).focus()
        else:
            self._done()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self._done()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _done(self) -> None:
        value = self.query_one("#passphrase", Input).value
        if self.creating and value != self.query_one("#repeat", Input).value:
            self.query_one("#error", Static).update("The two passphrases differ; type them again.")
            return
        self.dismiss(value)
