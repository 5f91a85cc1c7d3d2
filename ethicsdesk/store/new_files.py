"""Who is told that a new SQLite database file was created (without it a misspelt path in `--db`
silently made a fresh, empty database). The command line says so on stderr; the TUI, which owns the
terminal, does not listen. Light on purpose: `ethicsdesk --help` imports it without SQLAlchemy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

_listener: Callable[[Path], None] | None = None


def announce_new_files(listener: Callable[[Path], None] | None) -> None:
    global _listener
    _listener = listener


def created(path: Path) -> None:
    if _listener is not None:
        _listener(path)
