"""Every event is declared once, in its family's module under domain/events/, and the registry the
fold and the history read holds each of them, under its own name."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest

from ethicsdesk.domain.client_part import choice_problem
from ethicsdesk.domain.events import content, making, options, review, weighing
from ethicsdesk.domain.events.kind import EventKind
from ethicsdesk.domain.events.registry import KINDS, ON_SIGNED
from ethicsdesk.domain.fold import apply
from ethicsdesk.domain.problem_framing import framing_problem
from ethicsdesk.domain.record import TEXT_FIELDS, DomainError, Event, RecordState

FAMILIES = (making, content, options, weighing, review)


def declared(family: ModuleType) -> list[EventKind[Any]]:
    return [v for v in vars(family).values() if isinstance(v, EventKind)]


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.__name__.rsplit(".", 1)[-1])
def test_every_kind_a_family_declares_is_in_its_list(family: ModuleType) -> None:
    """A kind declared but left out of its module's KINDS would be refused by the fold as unknown."""
    assert {k.type for k in declared(family)} == {k.type for k in family.KINDS}


def test_each_name_is_declared_once() -> None:
    every = [k.type for family in FAMILIES for k in family.KINDS]
    assert len(every) == len(set(every)) == len(KINDS)
    assert all(KINDS[k.type] is k for family in FAMILIES for k in family.KINDS)


def test_a_signed_record_takes_only_an_export_and_an_addendum() -> None:
    assert frozenset({"record.exported", "addendum.added"}) == ON_SIGNED


def test_an_undeclared_type_is_refused() -> None:
    with pytest.raises(DomainError, match=r"unknown event type 'feild\.set'"):
        apply(RecordState(id="r1"), Event("r1", 1, "feild.set", "Robin", "t", {"name": "title", "value": "x"}))


def test_an_event_is_written_with_the_payload_it_was_built_with() -> None:
    """A payload is a plain dict once built: stored key for key, as the chain's hashes need."""
    draft = content.FIELD_SET.new({"name": "title", "value": "Gift"})
    event = draft.as_event("r1", 3, "Robin", "t")
    assert (event.type, event.seq, event.actor, event.at) == ("field.set", 3, "Robin", "t")
    assert type(event.payload) is dict
    assert event.payload == {"name": "title", "value": "Gift"}


def test_a_payload_is_checked_where_the_event_is_built() -> None:
    """The type checker refuses a payload that lacks a key, has one too many, or a value of the wrong
    type. Each ignore below is needed, and `warn_unused_ignores` makes mypy fail on any that is not:
    if payloads ever stopped being checked, `mypy -p tests` would say so. At run time they build."""
    drafts = [
        content.FIELD_SET.new({"name": "title"}),  # type: ignore[typeddict-item]
        options.OPTION_MOVED.new({"key": "a", "postion": 1}),  # type: ignore[typeddict-item, typeddict-unknown-key]
        review.ADDENDUM_ADDED.new({"topic": "outcome", "reason": "", "text": 3}),  # type: ignore[typeddict-item]
    ]
    assert [d.type for d in drafts] == ["field.set", "option.moved", "addendum.added"]


def _checked(name: str, value: Any) -> str | type[Exception] | None:
    """What the two choice checks say of `value` for field `name`: a problem, none, or what they raise."""
    try:
        return choice_problem(name, value) or framing_problem(name, value)
    except Exception as exc:  # a value of another type than text: whatever the checks raise
        return type(exc)


@pytest.mark.parametrize("value", ["", "yes", "client", "yes, no", "harm", "a free text", 3, None, ["yes"]])
def test_a_field_is_refused_exactly_where_its_choices_say(value: Any) -> None:
    """`field.set` asks the choice checks only of the fields that have choices; every field refuses
    a value exactly where `choice_problem` or `framing_problem` names a problem with it (or raises)."""
    for name in TEXT_FIELDS:
        said = _checked(name, value)
        event = Event("r1", 1, "field.set", "Robin", "t", {"name": name, "value": value})
        if said is None:
            assert apply(RecordState(id="r1"), event).text.get(name) == (value or None), name
        elif isinstance(said, str):
            with pytest.raises(DomainError, match=f"cannot be the {name.replace('_', ' ')}: "):
                apply(RecordState(id="r1"), event)
        else:
            with pytest.raises(said):
                apply(RecordState(id="r1"), event)
