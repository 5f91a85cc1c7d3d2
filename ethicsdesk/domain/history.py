"""Events in words, for the replay timeline and the audit trail: each event's own words are declared
with it (domain/events/); here they are given the options' labels as they stood."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from ethicsdesk.domain.events.kind import short
from ethicsdesk.domain.events.making import RECORD_IMPORTED
from ethicsdesk.domain.events.options import OPTION_ADDED, OPTION_CHANGED
from ethicsdesk.domain.events.registry import KINDS
from ethicsdesk.domain.record import Event


@dataclass(frozen=True)
class HistoryEntry:
    """One event of a record's log as the service lists it and a report shows it: who, in which
    role, when, and what they did in words (`describe`)."""

    seq: int
    at: str
    actor: str
    role: str
    type: str
    text: str
    hash: str


def option_labels(events: Iterable[Event]) -> Iterator[dict[str, str]]:
    """For each event in order, the options' labels by key as they stood once it was applied: an
    event names an option by its key, and a reader knows it by its label."""
    labels: dict[str, str] = {}
    for event in events:
        p = event.payload
        if event.type == RECORD_IMPORTED.type:
            for option in p.get("dilemma", {}).get("options", []):
                if option.get("key"):
                    labels[str(option["key"])] = str(option.get("label") or option["key"])
        elif event.type in (OPTION_ADDED.type, OPTION_CHANGED.type) and p.get("key") and p.get("label"):
            labels[str(p["key"])] = str(p["label"])
        yield dict(labels)


def describe(event: Event, labels: Mapping[str, str] | None = None) -> str:
    """The event in words; options by their labels (`labels`: key -> label as it stood, from
    option_labels), or by their keys where the label is not known."""
    names = labels or {}

    def option(key: object) -> str:
        label = names.get(str(key))
        return f"'{short(label)}'" if label else str(key)

    kind = KINDS.get(event.type)
    if kind is None:
        return event.type  # a type this version does not know (a newer writer's): named as it is
    return kind.words(event.payload, option)
