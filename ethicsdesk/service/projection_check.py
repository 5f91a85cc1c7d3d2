"""Whether a record's tables still say what its log gives: the check every read of a record makes
before it is shown or exported, since a login that can write the tables cannot also rewrite the
hash-chained log to match."""

from __future__ import annotations

from collections.abc import Iterable

from ethicsdesk.domain.fold import fold
from ethicsdesk.domain.record import DomainError, Event, RecordState


def projection_differs(
    record_id: str,
    state: RecordState,
    head_hash: str,
    events: Iterable[Event],
    last_hash: str,
    count: int,
) -> list[str]:
    """What of the record as read from its tables is not what its events give (empty: nothing);
    `last_hash` is the hash of the last of `events` and `count` how many they are. `events` may be
    parsed as they are read (`eventlog.iter_events`): a payload that is not JSON is caught here too.
    Folded as they come, none kept (about a millisecond for 200 events); the chain's hashes are
    left to `verify` (the log is append-only to every login but the database's owner)."""
    if not count:
        return ["its events (there are none)"]
    differ = []
    if head_hash != last_hash or state.events != count:
        differ.append("its head")
    try:
        folded = fold(record_id, events)
    except (DomainError, ValueError, KeyError, TypeError):
        return [*differ, "everything (the events cannot be replayed)"]
    expected, stored = folded.snapshot(), state.snapshot()
    return differ + [k for k in expected if expected[k] != stored.get(k)]
