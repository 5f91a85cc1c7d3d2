"""The lock screen: after the configured idle time, or on "Lock now", everything is hidden
until the user comes back; where the database is encrypted, coming back takes its passphrase.

A full screen, not a modal: Textual draws only the top screen when it is opaque, so nothing of the
record behind it reaches the terminal (or the browser, under `ethicsdesk serve`).
"""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

WRONG = "That passphrase does not open this database; try again."


def how_long(minutes: float) -> str:
    if minutes < 1:
        seconds = max(1, round(minutes * 60))
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{minutes:g} minute{'s' if minutes != 1 else ''}"


class LockScreen(Screen[None]):
    """Dismissed (with None) when the user is back: enter, or the right passphrase and enter."""

    BINDINGS = [
        Binding("enter", "unlock", "Return", show=False),
    ]
    DEFAULT_CSS = """
    LockScreen { align: center middle; background: $background; }
    LockScreen > Vertical { width: 64; height: auto; border: round $primary; padding: 1 2; }
    LockScreen #error { color: $error; }
    LockScreen #message { margin-bottom: 1; }
    """

    def __init__(self, idle_minutes: float | None = None, encrypted_file: Path | None = None) -> None:
        super().__init__()
        self.idle_minutes = idle_minutes
        self.encrypted_file = encrypted_file
        self._checking = False

    def compose(self) -> ComposeResult:
        why = f"Locked after {how_long(self.idle_minutes)} idle" if self.idle_minutes else "Locked"
        with Vertical():
            yield Static("[b]ethicsdesk[/b]")
            if self.encrypted_file is None:
                yield Static(f"{why} — press enter to return.", id="message", markup=False)
            else:
                yield Static(
                    f"{why} — press enter to return.\nThe database is encrypted: type its passphrase first.",
                    id="message",
                    markup=False,
                )
                yield Input(password=True, placeholder="Passphrase", id="passphrase")
                yield Static("", id="error", markup=False)

    def on_mount(self) -> None:
        # The command palette could open records from behind the lock (its key is an app-level
        # priority binding, so a screen binding cannot take it): off while this screen is up.
        self._palette_was = self.app.use_command_palette
        self.app.use_command_palette = False
        if self.encrypted_file is not None:
            self.query_one("#passphrase", Input).focus()

    def on_unmount(self) -> None:
        self.app.use_command_palette = self._palette_was

    def action_unlock(self) -> None:
        if self.encrypted_file is None:
            self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._checking or self.encrypted_file is None:
            return
        if not event.value:
            self.query_one("#error", Static).update("Type the database's passphrase, then press enter.")
            return
        self._checking = True
        self.query_one("#error", Static).update("Checking…")
        self._check(self.encrypted_file, event.value)

    @work(thread=True, exclusive=True, group="unlock")
    def _check(self, path: Path, passphrase: str) -> None:
        """SQLCipher derives the key slowly on purpose (a fifth of a second): off the UI thread."""
        from ethicsdesk.service.encryption import passphrase_opens

        try:
            ok = passphrase_opens(path, passphrase)
        except Exception:  # the extra gone or the file unreadable: refuse rather than let anyone in
            ok = False
        self.app.call_from_thread(self._checked, ok)

    def _checked(self, ok: bool) -> None:
        self._checking = False
        if ok:
            self.dismiss(None)
            return
        field = self.query_one("#passphrase", Input)
        field.value = ""
        field.focus()
        self.query_one("#error", Static).update(WRONG)
