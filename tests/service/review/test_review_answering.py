"""A supervisor answers a consultation request (Review.answer_consultation) and the case manager sees the
answer; only a supervisor answers, only an open request, and a bad answer is refused and writes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ethicsdesk.errors import BadInput
from ethicsdesk.service import Service
from ethicsdesk.settings import User
from tests.databases import database_dump
from tests.service.review.conftest import DANA, consulted, decided

TRAINER = User("Sam Ivers", "trainer")


def test_a_supervisor_answers_and_the_case_manager_sees_it(service: Service, supervisor: Service) -> None:
    rid = decided(service)
    service.editing.request_consultation(rid, DANA.name, "Justified?")
    before = service.summary(rid).events
    state = supervisor.review.answer_consultation(
        rid, "concur-with-changes", "  Holds, with a safety plan.  ", " Call the GP by Friday. "
    )
    assert state.status == "consulted"
    seen = service.record(rid)  # the case manager's own service reads the answer
    c = seen.consultation
    assert c is not None
    assert (c.state, c.outcome, c.notes, c.conditions, c.answered_by) == (
        "answered",
        "concur-with-changes",
        "Holds, with a safety plan.",
        "Call the GP by Friday.",
        "Dana Okafor",
    )
    assert c.answered_at
    assert service.summary(rid).status == "consulted"
    assert service.summary(rid).events == before + 1
    assert service.integrity.event_payloads(rid)[-1]["type"] == "consultation.answered"
    assert service.integrity.event_payloads(rid)[-1]["actor"] == "Dana Okafor"


@pytest.mark.parametrize("role_user", [User("Robin Ashdown", "case manager"), TRAINER])
def test_only_a_supervisor_answers(service: Service, other_service: Callable[[User], Service], role_user: User) -> None:
    rid = decided(service)
    service.editing.request_consultation(rid, DANA.name, "?")
    before = database_dump(service)
    with pytest.raises(BadInput) as exc:
        other_service(role_user).review.answer_consultation(rid, "concur", "Fine by me.")
    assert exc.value.message == (
        f"Only a supervisor can answer a consultation; you are recorded as a {role_user.role}."
    )
    assert database_dump(service) == before


def test_a_withdrawn_request_cannot_be_answered(service: Service, supervisor: Service) -> None:
    rid = decided(service)
    service.editing.request_consultation(rid, DANA.name, "?")
    service.editing.withdraw_consultation(rid)
    before = database_dump(service)
    with pytest.raises(BadInput) as exc:
        supervisor.review.answer_consultation(rid, "concur", "Fine.")
    assert exc.value.message == "This consultation request is withdrawn; there is nothing to answer."
    assert database_dump(service) == before


@pytest.mark.parametrize(
    ("prepare", "words"),
    [
        pytest.param(
            lambda svc, sup, rid: None,
            "This consultation request is not open; there is nothing to answer.",
            id="never requested",
        ),
        pytest.param(
            lambda svc, sup, rid: consulted(svc, sup, rid),
            "This consultation request is not open; there is nothing to answer.",
            id="already answered",
        ),
    ],
)
def test_nothing_to_answer(
    service: Service, supervisor: Service, prepare: Callable[[Service, Service, str], None], words: str
) -> None:
    rid = decided(service)
    prepare(service, supervisor, rid)
    before = database_dump(service)
    with pytest.raises(BadInput) as exc:
        supervisor.review.answer_consultation(rid, "do-not-concur", "Second thoughts.")
    assert exc.value.message == words
    assert database_dump(service) == before


@pytest.mark.parametrize(
    ("outcome", "notes", "words"),
    [
        ("concur", "", "Write your consultation notes"),
        ("concur", "   \n ", "Write your consultation notes"),
        ("maybe", "Notes.", "The outcome is one of: concur, concur-with-changes, do-not-concur."),
        ("", "Notes.", "The outcome is one of"),
    ],
)
def test_bad_answers_are_refused_and_change_nothing(
    service: Service, supervisor: Service, outcome: str, notes: str, words: str
) -> None:
    rid = decided(service)
    service.editing.request_consultation(rid, DANA.name, "?")
    before = database_dump(service)
    with pytest.raises(BadInput, match=words):
        supervisor.review.answer_consultation(rid, outcome, notes)
    assert database_dump(service) == before
    assert service.record(rid).status == "awaiting-consultation"
