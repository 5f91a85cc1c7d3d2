"""Keys typed before the screen they are meant for is ready: held, then sent on in the order typed.

Textual hands a key to the focused widget of the screen on top, and runs the key's binding only when
the key has bubbled back up to the app; keys typed meanwhile go to the same widget. So the title
typed right after `n` landed on home, not in the new record window `n` opens; a key typed as a screen
appears went nowhere (nothing focused yet); and home shows its first page before the database is
open (a fast first paint, shared/STACK.md), where Enter could only answer "still opening".

So a key is passed on only when the screen on top is ready (mounted; for home, the database open)
and the key before it has been dealt with: a `KeySettled` message follows each key up the same
path, and the next key waits until it reaches the app. Until then keys wait here, in order.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

QUIT_KEYS = frozenset({"ctrl+q", "ctrl+c"})  # never wait for a screen that may not come
POLL_SECONDS = 0.02
# A key whose KeySettled never comes back (its widget was removed with the screen it closed) holds
# the next keys at most this long.
SETTLE_LIMIT_SECONDS = 0.5


class KeySettled(Message, bubble=True):
    """Posted to the widget a key went to, right behind it, and up the same path: when it reaches
    the app, so has the key, and the key's binding has run. It goes round a second time behind what
    that binding posted (a table's RowSelected, an input's Submitted), whose handlers open screens."""

    def __init__(self, target: Any, laps: int = 1) -> None:
        super().__init__()
        self.target = target
        self.laps = laps


LAPS = 2


class TypedAhead:
    def __init__(self, app: App[Any], ready: Callable[[], bool]) -> None:
        self.app = app
        self.ready = ready  # whether the screen on top can take keys now
        self.held: list[tuple[str, str | None]] = []
        self._timer: Timer | None = None
        self._in_flight_since: float | None = None  # a bound key passed on and not yet settled
        self._replays: set[int] = set()  # ids of held keys posted again, on their way back
        self._sending = False  # a batch waits for the refresh to be posted: later keys queue behind
        self._in_flight_to: Any = None  # the widget the bound key went to

    def hold(self, event: events.Key) -> bool:
        """True when `event` must wait (kept here, to be posted again later); False to pass it on
        now. A held key posted again passes: it is in order already."""
        if id(event) in self._replays:
            self._replays.discard(id(event))
            return False
        if event.key in QUIT_KEYS and not self.ready():
            return False  # a screen that is not coming must not keep the app from quitting
        if not self.held and not self._sending and self._in_flight_since is None and self.ready():
            return False
        self.held.append((event.key, event.character))
        self._start_polling()
        return True

    def passed(self, target: Any) -> None:
        """A key that runs a binding (it may open or close a screen) went to `target`: the next keys
        wait until it has been dealt with."""
        self._in_flight_since = time.monotonic()
        self._in_flight_to = target
        target.post_message(KeySettled(target))

    def settled(self, message: KeySettled) -> None:
        if message.laps < LAPS and message.target.is_attached:
            message.target.post_message(KeySettled(message.target, message.laps + 1))
            return
        self._in_flight_since = None
        self._release()

    def discard(self) -> None:
        """Forget what was typed (a passphrase or a problem screen came up instead: not for it)."""
        self.held.clear()
        self._in_flight_since = None
        self._sending = False
        self._stop_polling()

    def _start_polling(self) -> None:
        if self._timer is None:
            self._timer = self.app.set_interval(POLL_SECONDS, self._release)

    def _stop_polling(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _release(self) -> None:
        """Post the held keys again once the screen is ready and no bound key is being dealt with: up
        to and including the next key that runs a binding, which the next ones then wait for."""
        since, target = self._in_flight_since, self._in_flight_to
        gone = target is not None and not target.is_attached  # it closed with its screen: settled
        if since is not None and (gone or time.monotonic() - since > SETTLE_LIMIT_SECONDS):
            self._in_flight_since = since = None
        if since is not None or self._sending or not self.held or not self.ready():
            if not self.held and not self._sending:
                self._stop_polling()
            return
        bound = self.app.screen.active_bindings
        batch: list[events.Key] = []
        while self.held:
            key, character = self.held.pop(0)
            event = events.Key(key, character)
            event.set_sender(self.app)
            batch.append(event)
            self._replays.add(id(event))
            if key in bound:  # it may change the screen or the focus: the next keys wait for it
                if not bound[key].binding.priority:  # a priority one runs as it passes; the rest settle
                    self._in_flight_since = time.monotonic()
                break

        def send() -> None:
            self._sending = False
            for event in batch:
                self.app.post_message(event)

        # after the screen's next refresh: a screen just mounted sets its focus after its first one
        self._sending = True
        self.app.call_after_refresh(send)
