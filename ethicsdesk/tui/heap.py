"""The objects the app keeps for its whole life, set aside from the cyclic garbage collector.

Once textual, the store and SQLAlchemy are loaded, the heap holds some 120,000-180,000 objects that
live as long as the process, and every full collection walks them all again: opening a record from
home set one off each time (with the younger collections, 90-250 ms of the 400-600 ms until its step
was drawn). `gc.freeze` moves the objects alive now to a generation no collection visits; objects
made later (screens, rows, caches) are collected as before.

A frozen object is never collected, so what is garbage at the moment of freezing stays: measured
after the service opened, a collection found about 2,000 such objects, not worth the full collection
(80 ms) that would find them first. Each stage freezes once a process: a test run starts many apps
and must not keep each one's garbage. A database is never left to the collector to
close: the app closes its services on the way out (tui/app.py), frozen or not.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

_frozen: set[str] = set()


# The youngest generation is collected after 5,000 new container objects rather than 700: drawing a
# step makes tens of thousands (lines, segments, styles), nearly all freed as soon as drawn, and
# opening one from home set off 110 young and 10 middle collections (13 and 1 with these).
THRESHOLDS = (5000, 20, 10)


def freeze_long_lived(stage: str) -> None:
    """Freeze the heap as it is now, once per `stage` ("started", "service") in this process."""
    if stage in _frozen:
        return
    _frozen.add(stage)
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)


def keep_heap_small(app: App[Any]) -> None:
    """At the app's start: what is loaded by now frozen, and closed widgets let go of whenever the
    screens change (once the change is drawn, so that a screen being closed has closed)."""
    freeze_long_lived("started")
    app.screen_change_signal.subscribe(app, lambda _: app.call_after_refresh(release_closed_widgets, app))


def release_closed_widgets(app: App[Any]) -> None:
    """Drop what Textual itself keeps of widgets that have closed, once screens change.

    - A text box watches the app's theme and a header the app's title, and Textual forgets such a
      watcher only when that attribute next changes: until then the app kept every text box and
      header ever shown, with all they had drawn (each record opened from home left its twelve text
      boxes behind). They are dropped by Textual's own test, a node closing or closed.
    - Every widget's style cache, holding the lines it last drew, is part of the key of a shared
      cache of background colours (`StylesCache.get_inner_outer`, 1,024 entries): it kept the last
      thousand or so widgets drawn and every line of theirs. That cache is only of two colours made
      from two others, made again at the next draw.
    Together they were some 15,000 objects more after each record opened, that every later
    collection walked again."""
    from textual._styles_cache import StylesCache

    watchers: dict[str, list[tuple[Any, Any]]] = getattr(app, "__watchers", {})  # reactive._watch's
    for pairs in watchers.values():
        pairs[:] = [(node, callback) for node, callback in pairs if not getattr(node, "_closing", False)]
    StylesCache.get_inner_outer.cache_clear()
