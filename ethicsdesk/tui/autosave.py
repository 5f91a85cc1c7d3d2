"""Saving text as it is typed: each field's latest value is written after a short pause, and at once
when the field loses focus or the screen closes, so a dropped SSH link loses at most the pause.

A burst (keys handled back to back: a paste without bracketed paste, a held key, text typed ahead
of a screen busy under load) is saved as soon as it ends rather than a pause after it: a burst of
150 keys takes about a second to draw on a busy machine, and the typist stopped when they sent it.
Either way one event is written per pause or burst, never one per key."""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.timer import Timer
from textual.widget import Widget

DELAY = 0.6  # seconds of quiet before a save: below the one second the walk promises
# Keys handled closer together than this were queued, not typed one by one: the quickest typist's
# keys come about 80 ms apart, a queued key is handled in a few milliseconds even under load.
BURST_GAP = 0.04
BURST_END = 0.08  # seconds without a key that end a burst


class Autosave:
    def __init__(
        self, owner: Widget, save: Callable[[str, str], bool], clock: Callable[[], float] = time.monotonic
    ) -> None:
        """`save(key, value)` writes one field and says whether it was accepted; `clock` tells the
        keys of a burst from keys typed one by one."""
        self._owner = owner
        self._clock = clock
        self._save = save
        self._pending: dict[str, str] = {}
        self._timer: Timer | None = None
        self._last_change = -BURST_GAP  # the clock's time of the last change scheduled
        self.flushing = False  # `save` is running: a save that flushes first must not start again

    def schedule(self, key: str, value: str) -> None:
        self._pending[key] = value
        now = self._clock()
        in_burst = now - self._last_change < BURST_GAP
        self._last_change = now
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._owner.set_timer(BURST_END if in_burst else DELAY, self.flush)

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
