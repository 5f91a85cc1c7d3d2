"""How events change a record: `apply` and `fold`, the one way every event is applied, so the service
(which applies an event before it stores it), `verify` (which refolds the log and compares it with
the current-state tables) and replay (which folds a prefix) cannot drift apart. What each event does
is declared with the event, in domain/events/; the record's shape and vocabulary are
domain/record.py's. Pure Python: no I/O.
"""

from __future__ import annotations

import copy

from ethicsdesk.domain.events.registry import KINDS
from ethicsdesk.domain.record import DomainError, Event, RecordState


def apply(state: RecordState, event: Event) -> RecordState:
    """Return the record after `event`. The input state is left untouched."""
    s = copy.deepcopy(state)
    _apply_in_place(s, event)
    return s


def _apply_in_place(s: RecordState, event: Event) -> None:
    """An event of a type nobody declared is refused; one kept for history only changes no content."""
    kind = KINDS.get(event.type)
    if kind is None:
        raise DomainError(f"unknown event type '{event.type}'")
    if kind.apply is not None:
        kind.apply(s, event.payload, event)
    s.events = event.seq
    s.updated_at, s.updated_by = event.at, event.actor


def fold(record_id: str, events: list[Event]) -> RecordState:
    """The record as it stood after `events` (all of them, or a prefix for replay)."""
    state = RecordState(id=record_id)
    for event in events:
        _apply_in_place(state, event)
    return state
