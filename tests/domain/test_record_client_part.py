"""The client's part in the record's fold: the new fields are text fields set by `field.set` (so verify and
replay refold them like any other), a choice outside its list is refused, and an imported dilemma
brings them with it."""

from __future__ import annotations

import pytest

from ethicsdesk.domain.client_part import CHOICE_LABELS, FIELD_CHOICES, shown_value
from ethicsdesk.domain.fold import apply, fold
from ethicsdesk.domain.record import SITUATION_FIELDS, TEXT_FIELDS, DomainError, Event, RecordState


def ev(seq: int, type_: str, **payload: object) -> Event:
    return Event("r1", seq, type_, "robin", f"2026-01-01T00:00:{seq:02d}Z", dict(payload))


def test_the_new_fields_are_text_fields_in_their_places() -> None:
    assert {"own_values", "medical_facts"} <= set(SITUATION_FIELDS)
    assert {"decision_maker", "client_involved", "client_informed"} <= set(TEXT_FIELDS)
    assert not {"decision_maker", "client_involved", "client_informed"} & set(SITUATION_FIELDS)
    for name, choices in FIELD_CHOICES.items():
        assert set(CHOICE_LABELS[name]) == set(choices)  # every choice has its words


def test_they_fold_and_clear_like_any_text_field() -> None:
    events = [
        ev(1, "record.created", title="t"),
        ev(2, "field.set", name="own_values", value="I like him."),
        ev(3, "field.set", name="decision_maker", value="surrogate"),
        ev(4, "field.set", name="client_involved", value="no"),
        ev(5, "field.set", name="decision_maker", value=""),
    ]
    state = fold("r1", events)
    assert state.text == {"title": "t", "own_values": "I like him.", "client_involved": "no"}
    assert fold("r1", events[:4]).text["decision_maker"] == "surrogate"  # replay of a prefix


@pytest.mark.parametrize(("name", "value"), [("decision_maker", "daughter"), ("client_involved", "maybe")])
def test_a_choice_outside_its_list_is_refused(name: str, value: str) -> None:
    with pytest.raises(DomainError, match="expected one of"):
        apply(RecordState(id="r1"), ev(1, "field.set", name=name, value=value))


def test_an_imported_dilemma_brings_them() -> None:
    dilemma = {
        "title": "t",
        "options": [{"key": "a", "label": "A"}, {"key": "b", "label": "B"}],
        "own_values": "Tired of this family.",
        "medical_facts": "Stable.",
        "decision_maker": "team",
        "client_involved": "partly",
        "client_informed": "At the meeting.",
    }
    state = fold("r1", [ev(1, "record.imported", dilemma=dilemma)])
    assert {k: state.text[k] for k in dilemma if k not in ("title", "options")} == {
        k: v for k, v in dilemma.items() if k not in ("title", "options")
    }


def test_a_choice_is_shown_in_words_and_prose_as_it_is() -> None:
    assert shown_value("decision_maker", "case-manager") == "The case manager"
    assert shown_value("client_informed", "At the meeting.") == "At the meeting."
