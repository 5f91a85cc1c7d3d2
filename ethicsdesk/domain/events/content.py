"""A record's texts and lists, its stakeholders and sources, and the duties it ticks."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypedDict

from ethicsdesk.domain.client_part import FIELD_CHOICES, choice_problem
from ethicsdesk.domain.events.kind import EventKind, OptionName, put_text, require, short
from ethicsdesk.domain.problem_framing import FRAMING_FIELDS, framing_problem
from ethicsdesk.domain.record import (
    LIST_FIELDS,
    TEXT_FIELDS,
    DomainError,
    Event,
    RecordState,
    Stakeholder,
    sources_of,
)


class FieldSet(TypedDict):
    name: str  # one of record.py's TEXT_FIELDS
    value: str  # empty clears the field


class ListSet(TypedDict):
    name: str  # one of record.py's LIST_FIELDS
    items: list[str]


class StakeholderItem(TypedDict):
    name: str
    interest: str


class StakeholdersSet(TypedDict):
    items: list[StakeholderItem]


class SourceItem(TypedDict):
    kind: str  # one of record.py's SOURCE_KINDS
    detail: str


class SourcesSet(TypedDict):
    items: list[SourceItem]


class ObligationSet(TypedDict):
    id: str  # the catalogue's id
    ticked: bool


class FloorChecked(TypedDict):
    obligation: str
    option: str
    honours: bool | None  # None: not judged


# The fields whose value is one of a list: the only ones `choice_problem` or `framing_problem` can
# refuse (both pass any other name), so a free-text field, most events of a long record, skips both.
_CHOICE_FIELDS = frozenset(FIELD_CHOICES) | frozenset(FRAMING_FIELDS)


def _field_set(s: RecordState, p: FieldSet, _event: Event) -> None:
    name, value = require(p, "name"), require(p, "value")
    if name not in TEXT_FIELDS:
        raise DomainError(f"'{name}' is not a field of a record")
    if name in _CHOICE_FIELDS:
        problem = choice_problem(name, value) or framing_problem(name, value)
        if problem is not None:
            raise DomainError(f"'{value}' cannot be the {name.replace('_', ' ')}: {problem}")
    put_text(s.text, name, value)


def _list_set(s: RecordState, p: ListSet, _event: Event) -> None:
    name = require(p, "name")
    if name not in LIST_FIELDS:
        raise DomainError(f"'{name}' is not a list of a record")
    setattr(s, name, list(require(p, "items")))


def _stakeholders_set(s: RecordState, p: StakeholdersSet, _event: Event) -> None:
    s.stakeholders = [Stakeholder(i["name"], i.get("interest", "")) for i in require(p, "items")]


def _sources_set(s: RecordState, p: SourcesSet, _event: Event) -> None:
    s.sources = sources_of(require(p, "items"))


def _obligation_set(s: RecordState, p: ObligationSet, _event: Event) -> None:
    oid = require(p, "id")
    if require(p, "ticked"):
        if oid not in s.obligations:
            s.obligations.append(oid)
    else:
        s.obligations = [o for o in s.obligations if o != oid]
        s.floor_checks = {k: v for k, v in s.floor_checks.items() if k[0] != oid}


def _floor_checked(s: RecordState, p: FloorChecked, _event: Event) -> None:
    key = (require(p, "obligation"), require(p, "option"))
    if p.get("honours") is None:
        s.floor_checks.pop(key, None)
    else:
        s.floor_checks[key] = bool(p["honours"])


def _field_words(p: FieldSet, _option: OptionName) -> str:
    name = str(p.get("name", "")).replace("_", " ")
    value = p.get("value", "")
    return f"set {name}: '{short(value)}'" if value else f"cleared {name}"


def _list_words(p: ListSet, _option: OptionName) -> str:
    return f"set {p.get('name')} ({len(p.get('items', []))} item(s))"


def _counted(what: str) -> Callable[[Mapping[str, Any], OptionName], str]:
    """The words of an event that replaces a whole list: what it sets, and how many it now holds."""
    return lambda p, _option: f"set {what} ({len(p.get('items', []))})"


def _obligation_words(p: ObligationSet, _option: OptionName) -> str:
    return f"{'ticked' if p.get('ticked') else 'unticked'} obligation {p.get('id')}"


def _floor_words(p: FloorChecked, option: OptionName) -> str:
    verdict = {True: "honours", False: "does not honour", None: "not judged against"}[p.get("honours")]
    return f"option {option(p.get('option'))} {verdict} {p.get('obligation')}"


FIELD_SET = EventKind[FieldSet]("field.set", _field_set, _field_words)
LIST_SET = EventKind[ListSet]("list.set", _list_set, _list_words)
STAKEHOLDERS_SET = EventKind[StakeholdersSet]("stakeholders.set", _stakeholders_set, _counted("stakeholders"))
SOURCES_SET = EventKind[SourcesSet]("sources.set", _sources_set, _counted("sources consulted"))
OBLIGATION_SET = EventKind[ObligationSet]("obligation.set", _obligation_set, _obligation_words)
FLOOR_CHECKED = EventKind[FloorChecked]("floor.checked", _floor_checked, _floor_words)

KINDS: tuple[EventKind[Any], ...] = (FIELD_SET, LIST_SET, STAKEHOLDERS_SET, SOURCES_SET, OBLIGATION_SET, FLOOR_CHECKED)
