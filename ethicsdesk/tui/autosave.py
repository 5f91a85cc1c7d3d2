"""Saving text as it is typed: each field's latest value is written after a short pause, and at once
when the field loses focus or the screen closes, so a dropped SSH link loses at most the pause."""

from __future__ import annotations

from collections.abc import Callable

from textual.timer import Timer
from textual.widget import Widget

DELAY = 0.6  # seconds of quiet before a save: below the one second the walk promises


class Autosave:
    def __init__(self, owner: Widget, save: Callable[[str, str], bool]) -> None:
        """`save(key, value)` writes one field and says whether it was accepted."""
        self._owner = owner
        self._save = save
        self._pending: dict[str, str] = {}
        self._timer: Timer | None = None
        self.flushing = False  # `save` is running: a save that flushes first must not start again

    def schedule(self, key: str, value: str) -> None:
        self._pending[key] = value
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._owner.set_timer(DELAY, self.flush)

    def flush(self, key: str | None = None) -> bool:
        """Write what is pending (one field, or all of them) now; False if any save was refused."""
        keys = [key] if key is not None else list(self._pending)
        ok = True
        self.flushing = True
        try:
            for k in keys:
                if k in self._pending:
                    ok = self._save(k, self._pending.pop(k)) and ok
        finally:
            self.flushing = False
        if not self._pending and self._timer is not None:
            self._timer.stop()
            self._timer = None
        return ok

    @property
    def pending(self) -> bool:
        return bool(self._pending)
