"""Quitting without losing a key: ctrl+q, a closed terminal (SIGHUP) and SIGTERM all end the same way.

Textual handles keys in stages: the terminal's bytes are read by the driver's thread, posted to the
app, forwarded by the app to the focused field's own queue, and the field's change bubbles up to the
screen, which saves it after a short pause. ctrl+q is a priority key of the app, so it was acted on as
soon as the app read it, while the keys typed just before it still waited in the field's queue; the
app then closed every queue unread and the burst was lost. Here, before the app exits, every stage is
emptied in that order (the terminal's unread bytes, the app's queue, the focused field and each widget
up to its screen), then every screen that holds typed text saves it and waits for the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import signal
import sys
import termios
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from textual.message_pump import MessagePump

if TYPE_CHECKING:
    from textual.app import App

TAKE_INPUT_FOR = 3.0  # seconds at most spent taking the keys already typed (only a hang comes near it)
SAVE_FOR = 60.0  # seconds at most waiting for the database (a busy one waits its busy timeout)
QUIT_SIGNALS = (signal.SIGHUP, signal.SIGTERM)
# seconds a signalled app has, once what was typed is saved, to restore the terminal and end. With the
# terminal gone (SIGHUP) Textual's restoring writes can block for ever on a queue nobody empties: an
# app left that way kept running, unseen, with the database open.
END_AFTER_SAVED = 5.0


@runtime_checkable
class SavesBeforeQuit(Protocol):
    """A screen holding typed text that is not in the database yet (the walk's pending fields)."""

    async def save_before_quit(self) -> None: ...


def _unread_bytes(fd: int | None) -> int:
    """Bytes the terminal holds that the driver has not read yet (0 when that cannot be known)."""
    if fd is None:
        return 0
    try:
        buf = fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0")
    except OSError:
        return 0  # not a terminal, or the terminal is gone (hung up): nothing more will come
    return int.from_bytes(buf, sys.byteorder)


def _terminal_fd(app: App[Any]) -> int | None:
    if app.is_headless:
        return None
    with contextlib.suppress(AttributeError, ValueError, OSError):
        stdin = sys.__stdin__
        if stdin is not None and os.isatty(stdin.fileno()):
            return stdin.fileno()
    return None


async def _after_queued(pump: MessagePump, end: float) -> None:
    """Return once `pump` has handled every message queued on it before this call."""
    reached = asyncio.Event()
    if pump.call_later(reached.set):
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(reached.wait(), max(0.05, end - time.monotonic()))


def _input_chain(app: App[Any]) -> list[MessagePump]:
    """Where a key travels: the app, the focused widget, and each widget above it up to its screen."""
    chain: list[MessagePump] = [app]
    try:
        node: Any = app.focused or app.screen
    except Exception:  # no screen (the app is already closing): only the app's own queue is left
        return chain
    while node is not None and node is not app:
        chain.append(node)
        node = node.parent
    return chain


async def take_pending_input(app: App[Any]) -> None:
    """Handle every key typed before now: none is dropped by the quit that follows it."""
    end = time.monotonic() + TAKE_INPUT_FOR
    fd = _terminal_fd(app)
    while _unread_bytes(fd) and time.monotonic() < end:
        await asyncio.sleep(0.01)  # the driver's thread reads them and posts them to the app
    for _ in range(8):  # each round moves a change one hop further up (field -> ... -> screen)
        chain = _input_chain(app)
        for pump in chain:
            await _after_queued(pump, end)
        if all(pump._message_queue.empty() for pump in chain) or time.monotonic() > end:
            return


async def save_typed_text(app: App[Any]) -> None:
    """Take the pending keys, then have every screen that holds typed text save it."""
    await take_pending_input(app)
    for screen in list(app.screen_stack):
        if isinstance(screen, SavesBeforeQuit):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(screen.save_before_quit(), SAVE_FOR)


def install_quit_signals(app: App[Any], quit_saving: Callable[[], Awaitable[None]]) -> None:
    """SIGHUP (the terminal or SSH link closed) and SIGTERM quit as ctrl+q does, saving first; the
    default action of both ended the process at once, with the last words typed still unsaved."""
    loop = asyncio.get_running_loop()

    async def quit_then_end(number: int) -> None:
        await quit_saving()
        end_soon(128 + number)

    def handler_of(number: int) -> Callable[[], None]:
        def on_signal() -> None:
            app.run_worker(quit_then_end(number), group="quit", exit_on_error=False)

        return on_signal

    for number in QUIT_SIGNALS:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(number, handler_of(number))


def end_soon(code: int) -> None:
    """End the process END_AFTER_SAVED seconds from now unless it has ended by itself: called once
    the typed text is saved, so nothing is lost; a daemon thread, so a clean end is never held up."""
    import threading

    timer = threading.Timer(END_AFTER_SAVED, os._exit, (code,))
    timer.daemon = True
    timer.start()


def remove_quit_signals() -> None:
    with contextlib.suppress(RuntimeError):
        loop = asyncio.get_running_loop()
        for number in QUIT_SIGNALS:
            with contextlib.suppress(NotImplementedError, ValueError):
                loop.remove_signal_handler(number)
