"""The idle watcher behind the lock screen: a case manager called away from a shared desk
must not leave a client's record on the screen.

The app tells the watcher about every key and mouse event (`touch`); a timer checks a few times per
idle period and calls `on_idle` once the limit has passed. Time is the monotonic clock, so a change
of the wall clock neither locks early nor never.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.timer import Timer

CHECKS_PER_PERIOD = 4  # how late a lock can be: a quarter of the idle time at most
MAX_CHECK_SECONDS = 15.0


class IdleWatcher:
    def __init__(self, app: App[Any], minutes: float, on_idle: Callable[[float], None]) -> None:
        self.app = app
        self.minutes = minutes
        self.on_idle = on_idle
        self.last_activity = time.monotonic()
        self._timer: Timer | None = None

    @property
    def seconds(self) -> float:
        return self.minutes * 60

    @property
    def enabled(self) -> bool:
        return self.minutes > 0

    def start(self) -> None:
        if not self.enabled:
            return
        every = min(self.seconds / CHECKS_PER_PERIOD, MAX_CHECK_SECONDS)
        self._timer = self.app.set_interval(every, self._check, name="idle-lock")

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def touch(self) -> None:
        self.last_activity = time.monotonic()

    def idle_for(self) -> float:
        return time.monotonic() - self.last_activity

    def _check(self) -> None:
        if self.idle_for() >= self.seconds:
            self.touch()  # once per idle period; the lock screen itself ignores a second call
            self.on_idle(self.minutes)


def start_idle_watcher(app: App[Any], on_idle: Callable[[float], None]) -> IdleWatcher:
    """The watcher with the configured idle time; a bad setting is reported and the default used,
    so a typo in config.toml never leaves the records unlocked nor stops the app."""
    from ethicsdesk.errors import EthicsdeskError
    from ethicsdesk.settings import DEFAULT_IDLE_LOCK_MINUTES, idle_lock_minutes

    try:
        minutes = idle_lock_minutes()
    except EthicsdeskError as exc:
        app.notify(exc.message, title="Idle lock", severity="warning", markup=False)
        minutes = DEFAULT_IDLE_LOCK_MINUTES
    watcher = IdleWatcher(app, minutes, on_idle)
    watcher.start()
    return watcher
