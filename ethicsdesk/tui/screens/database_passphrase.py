"""Asking for an encrypted database's passphrase before the TUI opens it.

The app shows this when opening the service raised PassphraseNeeded (nothing in the environment,
the keyring or this session) or WrongPassphrase (then with that sentence); it opens again with the
answer. Escape quits: without the passphrase there is nothing to show.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static


class DatabasePassphraseScreen(Screen[str | None]):
    """Returns the passphrase typed, or None when the user would rather quit."""

    BINDINGS = [
        Binding("escape", "quit_instead", "Quit"),
    ]
    DEFAULT_CSS = """
    DatabasePassphraseScreen { align: center middle; background: $background; }
    DatabasePassphraseScreen > Vertical { width: 70; height: auto; border: round $primary; padding: 1 2; }
    DatabasePassphraseScreen #error { color: $error; }
    """

    def __init__(self, path: Path, error: str = "") -> None:
        super().__init__()
        self.path = path
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]Encrypted database[/b]")
            yield Static(f"{self.path} is encrypted. Type its passphrase and press enter (escape quits).", markup=False)
            yield Input(password=True, placeholder="Passphrase", id="passphrase")
            yield Static(self.error, id="error", markup=False)

    def on_mount(self) -> None:
        self._palette_was = self.app.use_command_palette  # no palette before the records open
        self.app.use_command_palette = False
        self.query_one("#passphrase", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value:
            self.query_one("#error", Static).update("Type the passphrase, then press enter.")
            return
        self.dismiss(event.value)

    def action_quit_instead(self) -> None:
        self.dismiss(None)

    def on_unmount(self) -> None:
        self.app.use_command_palette = self._palette_was
