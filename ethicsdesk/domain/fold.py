"""How events change a record: `apply` and `fold`, the one way every event is applied, so the service
(which applies an event before it stores it), `verify` (which refolds the log and compares it with
the current-state tables) and replay (which folds a prefix) cannot drift apart. What each event does
is declared with the event, in domain/events/; the record's shape and vocabulary are
domain/record.py's. Pure Python: no I/O.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

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


def fold(record_id: str, events: Iterable[Event]) -> RecordState:
    """The record as it stood after `events` (all of them, or a prefix for replay). Each event as
    `_apply_in_place` applies it, written out in the loop, and the number, time and actor set once,
    from the last event (no applier reads them): every read of a record folds its whole log, and the
    call and the three stores an event were a fifth of a 10,000-event fold."""
    state = RecordState(id=record_id)
    kinds = KINDS
    last = None
    for last in events:
        kind = kinds.get(last.type)
        if kind is None:
            raise DomainError(f"unknown event type '{last.type}'")
        if kind.apply is not None:
            kind.apply(state, last.payload, last)
    if last is not None:
        state.events = last.seq
        state.updated_at, state.updated_by = last.at, last.actor
    return state
