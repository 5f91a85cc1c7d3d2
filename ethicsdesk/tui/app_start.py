"""Where the app opens (`Start`) and the focus keys every screen shares: apart from tui/app.py, which
imports them (and is where the rest of the code finds `Start`), to keep that module to its size."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Start:
    """Where the app opens: home, a new record, an existing one, or a record's replay."""

    new: bool = False
    record_id: str | None = None
    replay: str | None = None
    train: str | None = None  # a sample id, or "" to choose one; None: not training
    review: str | None = None  # a record id, or "" for the queue; None: not reviewing


# Tab and shift+tab as priority keys on every screen. Otherwise a tab is queued in the
# field being left, behind the characters typed before it, and the characters typed after it are sent
# to that same field before the tab is handled: a quick burst of "title, tab, description" put part of
# the description into the title. As priority keys they move the focus before the next key is routed.
FOCUS_KEYS = [
    Binding("tab", "app.focus_next", "Next field", show=False, priority=True),
    Binding("shift+tab", "app.focus_previous", "Previous field", show=False, priority=True),
]
