"""The danger question through the service: a yes (or not sure) ticks the safety floor in the same
save, a no leaves the obligations alone, every answer is its own event, and a value that is not a
choice is refused in one sentence."""

from __future__ import annotations

import pytest

from ethicsdesk.errors import BadInput
from ethicsdesk.service import Service


def test_a_yes_ticks_the_safety_floor_once(service: Service) -> None:
    rid = service.editing.create_record("At risk tonight", case_code="C-5")
    state = service.editing.set_text(rid, "immediate_danger", "yes")
    assert state.obligations == ["imminent-risk"] and state.text["immediate_danger"] == "yes"
    service.editing.set_text(rid, "immediate_danger", "no")
    service.editing.set_text(rid, "immediate_danger", "yes")  # already ticked: not ticked twice
    texts = [e.text for e in service.history(rid)]
    assert texts.count("ticked obligation imminent-risk") == 1
    assert [t for t in texts if t.startswith("set immediate danger")] == [
        "set immediate danger: 'yes'",
        "set immediate danger: 'no'",
        "set immediate danger: 'yes'",
    ]
    assert service.integrity.verify(rid) == (1, [])


def test_a_no_leaves_the_obligations_alone(service: Service) -> None:
    rid = service.editing.create_record("No danger", case_code="C-6")
    assert service.editing.set_text(rid, "immediate_danger", "no").obligations == []


@pytest.mark.parametrize(("name", "value"), [("immediate_danger", "perhaps"), ("problem_kinds", "moral")])
def test_a_value_that_is_no_choice_is_refused_in_one_sentence(service: Service, name: str, value: str) -> None:
    rid = service.editing.create_record("Refused", case_code="C-7")
    with pytest.raises(BadInput, match=r"is not one of the choices: expected one"):
        service.editing.set_text(rid, name, value)
    assert service.record(rid).text.get(name) is None
