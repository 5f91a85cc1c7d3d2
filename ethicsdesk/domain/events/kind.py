"""What declaring an event says: `EventKind`, with the helpers its appliers and words share."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from ethicsdesk.domain.record import DomainError, Event, RecordState

P = TypeVar("P", bound=Mapping[str, object])

# How the history names an option an event refers to by its key: by its label as it then stood.
OptionName = Callable[[object], str]


@dataclass(frozen=True)
class Draft:
    """An event about to be written: its type and its payload, checked against the kind's payload
    type where it was built (`EventKind.new`). The service gives it its record, number, actor and time."""

    type: str
    payload: dict[str, Any]

    def as_event(self, record_id: str, seq: int, actor: str, at: str) -> Event:
        return Event(record_id, seq, self.type, actor, at, self.payload)


@dataclass(frozen=True)
class EventKind(Generic[P]):
    """One type of event: its name in the log, what it does to a record (`apply`; None for an event
    kept for the record's history only, which changes none of its content) and its words in the
    history (`words`; options by their labels through the `OptionName` it is given).

    The payload type P is what the event is written with now; a log may hold older events that lack
    a key written since, so an applier reads what it must have with `require` and the rest with `.get`.
    """

    type: str
    apply: Callable[[RecordState, P, Event], None] | None
    words: Callable[[P, OptionName], str]
    on_signed: bool = False  # whether a signed (frozen) record still takes it

    def new(self, payload: P) -> Draft:
        # a TypedDict is a plain dict when the program runs: stored as built, key for key
        return Draft(self.type, cast(dict[str, Any], payload))


def require(payload: Mapping[str, Any], key: str) -> Any:
    """The value of `key`, which the event cannot do without; an event read from a log that lacks
    it is refused in one sentence."""
    if key not in payload:
        raise DomainError(f"the event lacks '{key}'")
    return payload[key]


Key = TypeVar("Key")


def put_text(entries: dict[Key, str], key: Key, value: str) -> None:
    """Empty text clears the entry: a record keeps no blank field, decision part, answer or note."""
    if value:
        entries[key] = value
    else:
        entries.pop(key, None)


def short(text: str, limit: int = 60) -> str:
    """Text cut to one line of at most `limit` characters, for a history entry."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
