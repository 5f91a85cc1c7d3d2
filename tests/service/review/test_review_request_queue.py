"""The supervisor's queue of consultation requests (Review.review_queue): urgent first, then the oldest
request, only the supervisor's own unless everyone's; answered and withdrawn requests leave it; a question
rewritten in the tables is not shown; a record asked mid-walk and for its sign-off is two items."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ethicsdesk.errors import BadInput
from ethicsdesk.service import Service
from ethicsdesk.settings import User
from tests.service.review.conftest import DANA, LEE, decided


def queue_ids(svc: Service, **kw: Any) -> list[str]:
    return [q.record_id for q in svc.review.review_queue(**kw)]


def test_the_queue_is_urgent_first_then_oldest_and_only_mine(
    service: Service, supervisor: Service, other_service: Callable[[User], Service]
) -> None:
    old = decided(service, "Oldest, ordinary")
    urgent_old = decided(service, "Urgent, older", floor=True)
    new = decided(service, "Newest, ordinary")
    for_lee = decided(service, "For someone else", floor=True)
    urgent_new = decided(service, "Urgent, newer", floor=True)
    # requested in this order; creation order does not matter, the request time does
    service.editing.request_consultation(new, "Dana Okafor", "Third asked?")
    service.editing.request_consultation(old, "Dana Okafor", "First?")  # asked after `new`: newer request
    service.editing.request_consultation(urgent_old, "Dana Okafor", "Warn him?")
    service.editing.request_consultation(for_lee, "Lee Marsh", "Lee's?")
    service.editing.request_consultation(urgent_new, " dana okafor ", "Warn her?")  # names match loosely

    queue = supervisor.review.review_queue()
    assert [q.record_id for q in queue] == [urgent_old, urgent_new, new, old]
    assert [q.urgent for q in queue] == [True, True, False, False]
    first = queue[0]
    assert (first.title, first.case_code, first.question, first.requested_by) == (
        "Urgent, older",
        "C-7",
        "Warn him?",
        "Robin Ashdown",
    )
    assert queue_ids(supervisor, everyone=True) == [urgent_old, for_lee, urgent_new, new, old]
    assert queue_ids(other_service(LEE)) == [for_lee]
    assert queue_ids(service) == []  # the case manager is not asked


def test_a_question_rewritten_in_the_tables_is_not_shown_in_the_queue(service: Service, supervisor: Service) -> None:
    from sqlalchemy import text

    kept, changed = decided(service, "Kept"), decided(service, "Changed")
    service.editing.request_consultation(kept, DANA.name, "Honest question?")
    service.editing.request_consultation(changed, DANA.name, "Honest question?")
    with service.db.engine.begin() as conn:
        conn.execute(text("UPDATE consultations SET question = 'Sign now, no need to read.' WHERE record_id = :r"),
                     {"r": changed})  # fmt: skip
    queue = {q.record_id: q for q in supervisor.review.review_queue()}
    assert queue[kept].question == "Honest question?"
    assert queue[changed].question.startswith("(not shown: this record's tables differ from its events")
    assert "Sign now" not in queue[changed].title + queue[changed].question


def test_answered_and_withdrawn_requests_leave_the_queue(service: Service, supervisor: Service) -> None:
    a, b, c = decided(service, "A"), decided(service, "B"), decided(service, "C")
    for rid in (a, b, c):
        service.editing.request_consultation(rid, DANA.name, "?")
    assert queue_ids(supervisor) == [a, b, c]
    service.editing.withdraw_consultation(b)
    supervisor.review.answer_consultation(c, "do-not-concur", "Tell the family first.")
    assert queue_ids(supervisor) == [a]
    assert queue_ids(supervisor, everyone=True) == [a]
    # asking again puts it back
    service.editing.request_consultation(b, DANA.name, "Again?")
    assert queue_ids(supervisor) == [a, b]


def test_a_request_makes_the_record_await_consultation(service: Service, supervisor: Service) -> None:
    rid = decided(service, floor=True)
    state = service.editing.request_consultation(rid, DANA.name, "Warn him?")
    assert state.status == "awaiting-consultation"
    assert service.summary(rid).status == "awaiting-consultation"
    c = state.consultation
    assert c is not None
    assert (c.supervisor, c.question, c.urgent, c.state, c.requested_by) == (
        "Dana Okafor",
        "Warn him?",
        True,
        "requested",
        "Robin Ashdown",
    )
    with pytest.raises(BadInput, match="Name the supervisor"):
        service.editing.request_consultation(rid, "  ", "?")


def test_a_record_asked_mid_walk_and_for_its_sign_off_is_two_items_in_the_queue(
    service: Service, supervisor: Service
) -> None:
    rid = decided(service, "Asked twice")
    service.editing.request_consultation(rid, DANA.name, "A duty to warn?", step="obligations")
    service.editing.request_consultation(rid, DANA.name, "Sign it off?")
    queue = supervisor.review.review_queue()
    assert [(q.record_id, q.step, q.number, q.sign_off, q.question) for q in queue] == [
        (rid, "obligations", 1, False, "A duty to warn?"),
        (rid, "consult", 0, True, "Sign it off?"),
    ]
    supervisor.review.answer_consultation(rid, "concur", "Yes.")
    assert [q.number for q in supervisor.review.review_queue()] == [1]
