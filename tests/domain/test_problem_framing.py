"""The danger question and the classification as record fields: what they accept, how they fold,
and how a "do not concur" answer is found."""

from __future__ import annotations

import pytest

from ethicsdesk.domain.fold import fold
from ethicsdesk.domain.non_concurrence import non_concurrence_text, non_concurrences
from ethicsdesk.domain.problem_framing import (
    danger_raised,
    danger_steps,
    framing_problem,
    kinds_value,
    problem_kinds,
)
from ethicsdesk.domain.record import DomainError, Event
from ethicsdesk.knowledge import load_catalogue

# an event as the tests write it: its type and payload
Made = tuple[str, dict[str, object]]


def events(*payloads: tuple[str, dict[str, object]]) -> list[Event]:
    head = Event("r1", 1, "record.created", "Robin", "2026-12-01T10:00:00+00:00", {"title": "T"})
    return [head] + [
        Event("r1", n, t, "Robin", f"2026-12-01T10:0{n}:00+00:00", p) for n, (t, p) in enumerate(payloads, 2)
    ]


@pytest.mark.parametrize(
    ("name", "value", "ok"),
    [
        ("immediate_danger", "yes", True),
        ("immediate_danger", "unsure", True),
        ("immediate_danger", "maybe", False),
        ("problem_kinds", "ethical,legal", True),
        ("problem_kinds", "legal, practice", True),
        ("problem_kinds", "ethical,ethical", False),
        ("problem_kinds", "moral", False),
        ("problem_kinds", "ethical,", False),
        ("dilemma_type", "right-vs-wrong", True),
        ("dilemma_type", "wrong-vs-wrong", False),
        ("dilemma_type", "", True),
    ],
)
def test_a_framing_field_takes_only_its_choices(name: str, value: str, ok: bool) -> None:
    assert (framing_problem(name, value) is None) == ok
    made = events(("field.set", {"name": name, "value": value}))
    if ok:
        assert fold("r1", made).text.get(name, "") == value
    else:
        with pytest.raises(DomainError, match="expected one"):
            fold("r1", made)


def test_the_kinds_are_kept_in_one_order() -> None:
    assert kinds_value(["practice", "ethical"]) == "ethical,practice"
    assert problem_kinds("clinical,legal") == ["legal", "clinical"]


def test_yes_and_not_sure_raise_the_danger_and_its_steps_start_with_emergency_services() -> None:
    assert danger_raised({"immediate_danger": "yes"}) and danger_raised({"immediate_danger": "unsure"})
    assert not danger_raised({"immediate_danger": "no"}) and not danger_raised({})
    steps = danger_steps(load_catalogue())
    assert "emergency services" in steps[0]
    assert "confirm where they are" in steps[1] and "hand over directly" in steps[1]


def test_only_an_answered_do_not_concur_brings_the_next_steps() -> None:
    asked: Made = ("consultation.requested", {"supervisor": "Dana"})
    state = fold("r1", events(asked))
    assert non_concurrences(state) == [] and non_concurrence_text(state) == ""
    concur_answer: Made = ("consultation.answered", {"outcome": "concur"})
    concur = fold("r1", events(asked, concur_answer))
    assert non_concurrences(concur) == []
    refusal: Made = ("consultation.answered", {"outcome": "do-not-concur", "notes": "No."})
    refused = fold("r1", events(asked, refusal))
    assert [c.supervisor for c in non_concurrences(refused)] == ["Dana"]
    text = non_concurrence_text(refused)
    assert text.startswith("When the one consulted does not concur (Dana did not)")
    assert "ethics committee" in text and "Document the disagreement" in text


def test_a_danger_answer_whose_floor_was_unticked_is_named_among_what_is_missing() -> None:
    from ethicsdesk.domain.checks import quality_checks
    from ethicsdesk.knowledge import load_framework

    answered: Made = ("field.set", {"name": "immediate_danger", "value": "yes"})
    ticked: Made = ("obligation.set", {"id": "imminent-risk", "ticked": True})
    unticked: Made = ("obligation.set", {"id": "imminent-risk", "ticked": False})
    catalogue, framework = load_catalogue(), load_framework("ccmc")

    def ids(*made: tuple[str, dict[str, object]]) -> set[str]:
        return {f.id for f in quality_checks(fold("r1", events(*made)), framework, catalogue)}

    assert "danger-floor-unticked" not in ids(answered, ticked)
    assert "danger-floor-unticked" in ids(answered, ticked, unticked)
    no: Made = ("field.set", {"name": "immediate_danger", "value": "no"})
    assert "danger-floor-unticked" not in ids(answered, ticked, unticked, no)
