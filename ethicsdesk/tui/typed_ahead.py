"""Keys typed before the screen on top is ready: held, then sent on in the order they were typed.

Textual hands a key to the focused widget of the screen on top. A screen just pushed has nothing
focused until it is mounted, so a key typed as it appeared went nowhere; and home shows its first
page before the database is open (a fast first paint), where Enter could only
answer "still opening". So while the screen on top is not ready (tui/app.py says when), keys wait
here, and are posted again once it is.

A key that runs a binding may open another screen (`e` on an option, Enter on the review queue).
The key goes into its widget's own queue, and the keys typed behind it would follow it there, before
its binding had run: the words meant for the dialog reached the list. So the keys behind any bound
key wait until it has been dealt with, which a `KeySettled` message following it up the same path
tells. Other keys pass straight on.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.message import Message

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

QUIT_KEYS = frozenset({"ctrl+q", "ctrl+c"})  # never wait for a screen that may not come
POLL_SECONDS = 0.02
# A key whose KeySettled never comes back holds the next keys at most this long (a widget removed
# with the screen it closed is seen at once). Half a second was too short: with two test workers and
# a busy loop a core, ordinary keys' KeySettled took that long, and the keys behind them went on
# before the key's binding had run.
SETTLE_LIMIT_SECONDS = 5.0


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
    def __init__(
        self,
        app: App[Any],
        ready: Callable[[], bool],
        finishing: Callable[[], bool] = lambda: False,
        priority_keys: frozenset[str] = frozenset(),
    ) -> None:
        self.app = app
        # The app's priority keys run before any widget sees them, under a dialog too, where
        # Screen.active_bindings lists only the dialog's own keys (a tab there looks like the
        # dialog's, which would run later).
        self.priority_keys = priority_keys
        self.ready = ready  # whether the screen on top can take keys now
        self.finishing = finishing  # whether it is drawn and only finishing (ready in a moment)
        self.held: list[tuple[str, str | None]] = []
        self._timer: Timer | None = None
        self._in_flight_since: float | None = None  # a bound key passed on and not yet settled
        self._replays: set[int] = set()  # ids of held keys posted again, on their way back
        self._sending = False  # a batch waits for the refresh to be posted: later keys queue behind
        self._in_flight_to: Any = None  # the widget the bound key went to
        self._released_to: Any = None  # the screen held keys were last posted to
        # Keys of a batch posted again that came behind a key found bound only as it passed (the
        # widget whose key it is had no focus yet when the batch was sent on): held again, in order,
        # before the keys typed since. None: no such key is being dealt with.
        self._behind_bound: int | None = None

    async def route(self, event: events.Key, deliver: Callable[[events.Event], Awaitable[None]]) -> None:
        """Hold `event`, or `deliver` it (the app's own handling); after a key that runs a binding
        not yet run, the keys behind it wait until it has been dealt with."""
        replay = self.is_replay(event)
        if self.hold_again(event) if replay else self.hold(event):
            return
        app = self.app
        target = app.focused or app.screen
        bound = None if event.key in self.priority_keys else app.screen.active_bindings.get(event.key)
        await deliver(event)
        if bound is not None and not bound.binding.priority:  # priority ones have run already
            self.passed(target)

    def hold(self, event: events.Key) -> bool:
        """True when `event` must wait (kept here, to be posted again later); False to pass it on
        now."""
        if event.key in QUIT_KEYS and not self.ready() and not self.finishing():
            return False  # a screen that is not coming must not keep the app from quitting
        # (one that is finishing is coming: the quit waits behind the keys typed before it)
        if not self.held and not self._sending and self._in_flight_since is None and self.ready():
            return False
        self.held.append((event.key, event.character))
        self._start_polling()
        return True

    def is_replay(self, event: events.Key) -> bool:
        """Whether `event` is a held key posted again: it passes, being in order already."""
        if id(event) in self._replays:
            self._replays.discard(id(event))
            return True
        return False

    def hold_again(self, event: events.Key) -> bool:
        """Whether `event`, a held key posted again, must wait once more: a key ahead of it in its
        batch turned out to run a binding, which has not been dealt with yet."""
        if self._behind_bound is None:
            return False
        self.held.insert(self._behind_bound, (event.key, event.character))
        self._behind_bound += 1
        self._start_polling()
        return True

    def passed(self, target: Any) -> None:
        """A key that runs a binding (it may open or close a screen) went to `target`: the keys typed
        behind it wait until it has been dealt with."""
        self._in_flight_since = time.monotonic()
        self._behind_bound = 0
        self._in_flight_to = target
        target.post_message(KeySettled(target))

    def settled(self, message: KeySettled) -> None:
        if message.laps < LAPS and message.target.is_attached:
            message.target.post_message(KeySettled(message.target, message.laps + 1))
            return
        self._in_flight_since = None
        self._behind_bound = None
        self._release()

    def discard(self) -> None:
        """Forget what was typed (a passphrase or a problem screen came up instead: not for it)."""
        self.held.clear()
        self._in_flight_since = None
        self._behind_bound = None
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
        self._behind_bound = None  # what was held again goes out now, first
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

        screen, before = self.app.screen, self._released_to
        self._released_to = screen
        if screen is before:
            for event in batch:  # the same screen as the keys before: at once, in order
                self.app.post_message(event)
            return

        def send() -> None:
            self._sending = False
            for event in batch:
                self.app.post_message(event)

        # a screen new to these keys: after its next refresh, since it sets its focus after its first
        self._sending = True
        self.app.call_after_refresh(send)
