"""A screen's writes to the database, one after another, in a worker thread.

A write waits for the database's write lock (SQLite `BEGIN IMMEDIATE`, up to the busy timeout, while
another process holds it) and for fsync; on the UI thread that froze the screen. Here the screen hands
each write to one Textual thread worker and keeps answering keys; the result comes back on the UI
thread through `done`. Writes run in the order they were asked for, each in its own database session
(the service opens one per operation): none is shared with another thread. A job with a `key`
replaces a queued job with the same key that has not started (only the latest cursor position
matters).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from textual.widget import Widget


@dataclass
class _Job:
    work: Callable[[], Any]
    done: Callable[[Any, BaseException | None], None] | None
    key: str | None = None
    cancelled: bool = field(default=False)
    counted: bool = True  # counted in `_outstanding` (the closing marker is not)
    # the UI thread's context where it was asked for (Textual's active app): `done` runs in it
    context: contextvars.Context = field(default_factory=contextvars.copy_context)


_STOP = object()


class Writer:
    def __init__(self, owner: Widget) -> None:
        self._owner = owner
        self._queue: queue.Queue[Any] = queue.Queue()
        self._by_key: dict[str, _Job] = {}
        self._lock = threading.Lock()
        self._outstanding = 0  # jobs asked for whose `done` has not run yet
        self._idle = asyncio.Event()
        self._idle.set()
        self._started = False

    def _start(self) -> None:
        loop = asyncio.get_running_loop()  # the UI's: where each `done` is delivered
        work = partial(self._run, loop)
        self._owner.run_worker(work, thread=True, group="writes", name="writes", exit_on_error=False)
        self._started = True

    def submit(
        self,
        work: Callable[[], Any],
        done: Callable[[Any, BaseException | None], None] | None = None,
        *,
        key: str | None = None,
    ) -> None:
        """Run `work()` after the writes asked for before it; then `done(result, error)` on the UI thread."""
        if not self._started:
            self._start()
        job = _Job(work, done, key)
        with self._lock:
            if key is not None:
                old = self._by_key.get(key)
                if old is not None and not old.cancelled:
                    old.cancelled = True  # superseded before it started: only the newest counts
                    self._finished()
                self._by_key[key] = job
            self._outstanding += 1
            self._idle.clear()
        self._queue.put(job)

    def _finished(self) -> None:
        self._outstanding -= 1
        if self._outstanding == 0:
            self._idle.set()

    def _run(self, loop: asyncio.AbstractEventLoop) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP or not isinstance(item, _Job):
                return
            job = item
            with self._lock:
                if job.cancelled:
                    continue
                if job.key is not None and self._by_key.get(job.key) is job:
                    del self._by_key[job.key]
            result: Any = None
            error: BaseException | None = None
            try:
                result = job.work()
            except Exception as exc:  # handed to `done`, which says it in one sentence
                error = exc
            try:
                loop.call_soon_threadsafe(self._deliver, job, result, error, context=job.context)
            except RuntimeError:
                return  # the app's loop is closed: nobody is left to tell

    def _deliver(self, job: _Job, result: Any, error: BaseException | None) -> None:
        try:
            if job.done is not None:
                job.done(result, error)
        finally:
            if job.counted:
                with self._lock:
                    self._finished()

    @property
    def busy(self) -> bool:
        return not self._idle.is_set()

    async def settled(self) -> None:
        """Wait (without blocking the screen) until every write asked for so far has been answered."""
        await self._idle.wait()

    def finish(self, timeout: float = 60.0) -> None:
        """On close: run what is queued, on the calling thread if the worker is gone, then stop.
        Blocking here is right: the screen is going, and what was typed must reach the database."""
        if not self._started:
            return
        pending: list[_Job] = []
        stopped = threading.Event()

        def stop() -> None:
            stopped.set()

        self._queue.put(_Job(stop, None, counted=False))
        if not stopped.wait(timeout):
            # the worker did not get through the queue (cancelled with its screen): take what is left
            while True:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if isinstance(item, _Job) and not item.cancelled:
                    pending.append(item)
            for job in pending:
                # nothing is left on screen to say a refusal; the rest still saves
                with contextlib.suppress(Exception):
                    job.work()
        self._queue.put(_STOP)
