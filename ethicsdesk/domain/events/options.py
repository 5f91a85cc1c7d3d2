"""The options a record weighs: added, changed, removed and moved."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from ethicsdesk.domain.events.kind import EventKind, OptionName, require, short
from ethicsdesk.domain.record import DomainError, Event, Option, RecordState


class OptionAdded(TypedDict):
    key: str
    label: str
    description: str
    position: NotRequired[int]  # where it goes among the options; the end when absent


class OptionChanged(TypedDict):
    key: str
    label: NotRequired[str]  # only what changed is written
    description: NotRequired[str]


class OptionRemoved(TypedDict):
    key: str


class OptionMoved(TypedDict):
    key: str
    position: int  # from 0


def _option_added(s: RecordState, p: OptionAdded, _event: Event) -> None:
    key = require(p, "key")
    if s.option(key) is not None:
        raise DomainError(f"the record already has an option '{key}'")
    opt = Option(key, require(p, "label"), p.get("description", ""))
    pos = p.get("position")
    s.options.insert(len(s.options) if pos is None else pos, opt)


def _option_changed(s: RecordState, p: OptionChanged, _event: Event) -> None:
    changed = s.option(require(p, "key"))
    if changed is None:
        raise DomainError(f"the record has no option '{p['key']}'")
    changed.label = p.get("label", changed.label)
    changed.description = p.get("description", changed.description)


def _option_removed(s: RecordState, p: OptionRemoved, _event: Event) -> None:
    key = require(p, "key")
    if s.option(key) is None:
        raise DomainError(f"the record has no option '{key}'")
    s.options = [o for o in s.options if o.key != key]
    s.scores = {k: v for k, v in s.scores.items() if k[0] != key}
    s.notes = {k: v for k, v in s.notes.items() if k[0] != key}
    s.floor_checks = {k: v for k, v in s.floor_checks.items() if k[1] != key}
    if s.decision.get("chosen") == key:
        del s.decision["chosen"]


def _option_moved(s: RecordState, p: OptionMoved, _event: Event) -> None:
    moved = s.option(require(p, "key"))
    if moved is None:
        raise DomainError(f"the record has no option '{p['key']}'")
    s.options.remove(moved)
    s.options.insert(max(0, min(int(require(p, "position")), len(s.options))), moved)


def _added_words(p: OptionAdded, _option: OptionName) -> str:
    return f"added option '{short(p.get('label', ''))}'"


def _changed_words(p: OptionChanged, option: OptionName) -> str:
    return f"changed option {option(p.get('key'))}"


def _removed_words(p: OptionRemoved, option: OptionName) -> str:
    return f"removed option {option(p.get('key'))}"


def _moved_words(p: OptionMoved, option: OptionName) -> str:
    return f"moved option {option(p.get('key'))} to place {int(p.get('position', 0)) + 1}"


OPTION_ADDED = EventKind[OptionAdded]("option.added", _option_added, _added_words)
OPTION_CHANGED = EventKind[OptionChanged]("option.changed", _option_changed, _changed_words)
OPTION_REMOVED = EventKind[OptionRemoved]("option.removed", _option_removed, _removed_words)
OPTION_MOVED = EventKind[OptionMoved]("option.moved", _option_moved, _moved_words)

KINDS: tuple[EventKind[Any], ...] = (OPTION_ADDED, OPTION_CHANGED, OPTION_REMOVED, OPTION_MOVED)
