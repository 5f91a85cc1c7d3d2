"""The danger question through the service: a yes (or not sure) ticks the safety floor in the same
save, a no leaves the obligations alone, every answer is its own event, and a value that is not a
choice is refused in one sentence."""

from __future__ import annotations

from typing import Any

import pytest

from ethicsdesk.domain.record import Event
from ethicsdesk.errors import BadInput
from ethicsdesk.service import Service
from tests.conftest import CASE_MANAGER


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


def test_the_yes_and_its_floor_are_saved_together_or_not_at_all(
    service: Service, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash between the answer and its floor would leave a yes with no safety floor: the two events
    are one transaction, so a failure writing the second keeps neither, and the record stays as it was
    (checked from a second connection, and by verify)."""
    from ethicsdesk.store import eventlog

    rid = service.editing.create_record("At risk tonight", case_code="C-7")
    before = service.record(rid)
    appended: list[str] = []
    real_append = eventlog.append

    def append_then_fail_on_the_second(tx: Any, event: Event, role: str, head: str) -> str:
        appended.append(event.type)
        if len(appended) == 2:
            raise RuntimeError("the disk filled between the two events")
        return real_append(tx, event, role, head)

    monkeypatch.setattr(eventlog, "append", append_then_fail_on_the_second)
    with pytest.raises(RuntimeError):
        service.editing.set_text(rid, "immediate_danger", "yes")
    monkeypatch.undo()
    assert appended == ["field.set", "obligation.set"]  # both were in the one transaction
    other = Service.open(db_url, CASE_MANAGER)
    try:
        after = other.record(rid)
        assert (after.events, after.text, after.obligations) == (before.events, before.text, before.obligations)
    finally:
        other.close()
    assert service.integrity.verify(rid) == (1, [])
    state = service.editing.set_text(rid, "immediate_danger", "yes")  # and the same save, once it can land
    assert state.obligations == ["imminent-risk"] and state.events == before.events + 2


def test_a_no_leaves_the_obligations_alone(service: Service) -> None:
    rid = service.editing.create_record("No danger", case_code="C-6")
    assert service.editing.set_text(rid, "immediate_danger", "no").obligations == []


@pytest.mark.parametrize(("name", "value"), [("immediate_danger", "perhaps"), ("problem_kinds", "moral")])
def test_a_value_that_is_no_choice_is_refused_in_one_sentence(service: Service, name: str, value: str) -> None:
    rid = service.editing.create_record("Refused", case_code="C-7")
    with pytest.raises(BadInput, match=r"is not one of the choices: expected one"):
        service.editing.set_text(rid, name, value)
    assert service.record(rid).text.get(name) is None
