"""A signed record is frozen: every edit, and a second answer, is refused in one sentence and writes
nothing. Addenda (Review.add_addendum) are added to signed records only; a signed record can still be
exported."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ethicsdesk.errors import BadInput
from ethicsdesk.service import Service
from tests.databases import database_dump
from tests.service.review.conftest import DANA, FROZEN, consulted, decided

EDITS: dict[str, Callable[[Service, str], object]] = {
    "set_text": lambda s, r: s.editing.set_text(r, "facts", "Something new."),
    "set_title": lambda s, r: s.editing.set_text(r, "title", "Renamed"),
    "set_outcome": lambda s, r: s.editing.set_text(r, "outcome", "He went home."),
    "set_list": lambda s, r: s.editing.set_list(r, "tags", ["x"]),
    "set_stakeholders": lambda s, r: s.editing.set_stakeholders(r, [("Son", "worried")]),
    "set_obligation": lambda s, r: s.editing.set_obligation(r, "confidentiality", True),
    "check_floor": lambda s, r: s.editing.check_floor(r, "duty-to-warn", "keep-the-confidence", True),
    "add_option": lambda s, r: s.editing.add_option(r, "A third way"),
    "change_option": lambda s, r: s.editing.change_option(r, "keep-the-confidence", label="Keep it"),
    "remove_option": lambda s, r: s.editing.remove_option(r, "tell-the-family"),
    "move_option": lambda s, r: s.editing.move_option(r, "tell-the-family", 0),
    "score": lambda s, r: s.editing.score(r, "keep-the-confidence", "autonomy", 2),
    "note": lambda s, r: s.editing.note(r, "keep-the-confidence", "autonomy", "His choice."),
    "set_weight": lambda s, r: s.editing.set_weight(r, "autonomy", 3),
    "set_priority": lambda s, r: s.editing.set_priority(r, sorted(s.framework().ids)),
    "decide_chosen": lambda s, r: s.editing.decide(r, "chosen", "tell-the-family"),
    "decide_rationale": lambda s, r: s.editing.decide(r, "rationale", "Changed my mind."),
    "decide_same_value": lambda s, r: s.editing.decide(r, "chosen", "keep-the-confidence"),
    "answer": lambda s, r: s.editing.answer(r, "test:publicity", "Yes."),
    "request_consultation": lambda s, r: s.editing.request_consultation(r, DANA.name, "Again?"),
    "withdraw_consultation": lambda s, r: s.editing.withdraw_consultation(r),
}


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
def test_every_edit_of_a_signed_record_is_refused(service: Service, signed: str, edit: str) -> None:
    snapshot = service.record(signed).snapshot()
    head = service.head(signed)
    before = database_dump(service)
    with pytest.raises(BadInput) as exc:
        EDITS[edit](service, signed)
    assert exc.value.message == FROZEN
    assert service.record(signed).snapshot() == snapshot
    assert service.head(signed) == head
    assert database_dump(service) == before


def test_the_supervisor_cannot_answer_again_once_signed(service: Service, supervisor: Service, signed: str) -> None:
    before = database_dump(service)
    with pytest.raises(BadInput) as exc:
        supervisor.review.answer_consultation(signed, "do-not-concur", "On reflection, no.")
    assert exc.value.message == FROZEN
    assert database_dump(service) == before


def test_an_addendum_is_added_to_a_signed_record(service: Service, signed: str) -> None:
    snapshot = service.record(signed).snapshot()
    events = service.summary(signed).events
    state = service.review.add_addendum(signed, "outcome", "  Follow-up visit.  ", "  He is home and safe.  ")
    assert state.status == "signed"
    assert len(state.addenda) == 1
    a = state.addenda[0]
    assert (a.topic, a.reason, a.text, a.author) == (
        "outcome",
        "Follow-up visit.",
        "He is home and safe.",
        "Robin Ashdown",
    )
    after = service.record(signed).snapshot()
    # the signed content is as it was; only the addenda and the bookkeeping moved
    changed = {k for k in after if after[k] != snapshot[k]}
    assert changed == {"addenda", "events", "updated_at", "updated_by"}
    assert service.summary(signed).events == events + 1
    service.review.add_addendum(signed, "correction", "A date was wrong.", "The visit was on the 3rd.")
    assert [x.topic for x in service.record(signed).addenda] == ["outcome", "correction"]


def test_an_addendum_to_an_unsigned_record_is_refused(service: Service, supervisor: Service) -> None:
    rid = decided(service)
    consulted(service, supervisor, rid)
    before = database_dump(service)
    with pytest.raises(BadInput) as exc:
        service.review.add_addendum(rid, "outcome", "Visit.", "He is home.")
    assert exc.value.message == "Addenda are for signed records; this one can still be edited directly."
    assert database_dump(service) == before


@pytest.mark.parametrize(
    ("topic", "reason", "text", "words"),
    [
        ("gossip", "Why.", "What.", "An addendum is one of: outcome, new-information, correction, follow-up."),
        ("outcome", "Why.", "   ", "An addendum needs its text."),
        ("outcome", "", "What.", "Say why the addendum is added"),
    ],
)
def test_bad_addenda_are_refused(service: Service, signed: str, topic: str, reason: str, text: str, words: str) -> None:
    before = database_dump(service)
    with pytest.raises(BadInput, match=words):
        service.review.add_addendum(signed, topic, reason, text)
    assert database_dump(service) == before


def test_a_signed_record_can_still_be_exported(service: Service, signed: str) -> None:
    state = service.record_export(signed, "md", True, "report.md")
    assert state.status == "signed"
    assert service.integrity.verify(signed) == (1, [])
