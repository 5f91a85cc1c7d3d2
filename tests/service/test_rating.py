"""The supervisor's rating of a rationale on the four domains (domain/quality.py) through the
service: recorded as its own event, read back from the tables as the events give it, kept with its
own request, and never required to sign."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ethicsdesk.errors import BadInput
from ethicsdesk.service import Service, signing
from ethicsdesk.service.review import RatingInput
from ethicsdesk.settings import User

DANA = User("Dana Okafor", "supervisor")
LOW = RatingInput({"question": "met", "information": "partly", "analysis": "not-met", "conclusions": "partly"}, 2,
                  "The analysis skips the daughter's view.")
HIGH = RatingInput({"question": "met", "information": "met", "analysis": "met", "conclusions": "met"}, 4)


@pytest.fixture
def supervisor(service: Service, db_url: str) -> Iterator[Service]:
    svc = Service.open(db_url, DANA)
    yield svc
    svc.close()


def decided(service: Service) -> str:
    rid = service.editing.create_record("Going home", case_code="C-9")
    home = service.editing.add_option(rid, "Home with support")
    service.editing.add_option(rid, "Stay in care")
    service.editing.decide(rid, "chosen", home)
    service.editing.decide(rid, "rationale", "She has capacity and wants to go home.")
    return rid


def test_a_rating_given_with_the_answer_is_its_own_event_and_survives_verify(
    service: Service, supervisor: Service
) -> None:
    rid = decided(service)
    service.editing.request_consultation(rid, DANA.name, "Is going home justified?")
    supervisor.review.answer_consultation(rid, "concur-with-changes", "Add visits.", rating=LOW)
    types = [e["type"] for e in service.integrity.event_payloads(rid)]
    assert types[-2:] == ["consultation.rated", "consultation.answered"]
    state = service.record(rid)
    assert state.rating is not None
    assert (state.rating.level, state.rating.marks, state.rating.rated_by) == (2, LOW.marks, DANA.name)
    assert state.rating.note == "The analysis skips the daughter's view."
    assert state.answers == {}  # the rating's rows are not answers of the decision checks
    assert service.integrity.verify(rid) == (1, [])
    texts = [h.text for h in service.history(rid)]
    assert "rated the rationale: level 2 (below acceptable)" in texts


def test_two_requests_in_a_row_each_keep_their_own_rating(service: Service, supervisor: Service) -> None:
    rid = decided(service)
    service.editing.request_consultation(rid, DANA.name, "First ask")
    supervisor.review.answer_consultation(rid, "do-not-concur", "Weigh her daughter's view.", rating=LOW)
    after_first = service.record(rid).events
    service.editing.request_consultation(rid, DANA.name, "Second ask, with the daughter's view")
    assert service.record(rid).rating is None  # nothing carried onto the new request
    supervisor.review.answer_consultation(rid, "concur", "Now it holds.")
    assert service.record(rid).rating is None  # answered unrated: still nothing of the first
    service.editing.request_consultation(rid, DANA.name, "Third ask")
    supervisor.review.rate_consultation(rid, HIGH)
    supervisor.review.answer_consultation(rid, "concur", "Holds.")
    now = service.record(rid)
    assert now.rating is not None and (now.rating.level, now.rating.note) == (4, "")
    first = service.integrity.replay(rid, after_first)
    assert first.rating is not None and first.rating.level == 2
    assert service.integrity.verify(rid) == (1, [])


def test_a_rating_is_never_required_to_sign(service: Service, supervisor: Service) -> None:
    rid = decided(service)
    service.editing.request_consultation(rid, DANA.name, "Is going home justified?")
    supervisor.review.answer_consultation(rid, "concur", "Holds.")
    assert supervisor.review.why_not_sign(rid) is None
    signed = supervisor.review.sign(rid, signing.create_key(DANA.name, None))
    assert signed.signature is not None and signed.rating is None


def test_a_rating_may_follow_the_answer_but_not_the_signature(service: Service, supervisor: Service) -> None:
    rid = decided(service)
    service.editing.request_consultation(rid, DANA.name, "Is going home justified?")
    supervisor.review.answer_consultation(rid, "concur", "Holds.")
    assert supervisor.review.rate_consultation(rid, HIGH).rating is not None
    supervisor.review.sign(rid, signing.create_key(DANA.name, None))
    with pytest.raises(BadInput, match="frozen"):
        supervisor.review.rate_consultation(rid, LOW)


def test_what_cannot_be_rated_is_refused_in_a_sentence(service: Service, supervisor: Service) -> None:
    rid = decided(service)
    with pytest.raises(BadInput, match="no sign-off consultation request to rate"):
        supervisor.review.rate_consultation(rid, HIGH)
    service.editing.request_consultation(rid, DANA.name, "Is going home justified?")
    with pytest.raises(BadInput, match="Only a supervisor can rate"):
        service.review.rate_consultation(rid, HIGH)
    with pytest.raises(BadInput, match="four domains"):
        supervisor.review.rate_consultation(rid, RatingInput({"question": "met"}, 3))
    with pytest.raises(BadInput, match="whole number from 1"):
        supervisor.review.rate_consultation(rid, RatingInput(HIGH.marks, 0))
    # a bad rating refuses the answer too: nothing of either is logged
    count = service.record(rid).events
    with pytest.raises(BadInput):
        supervisor.review.answer_consultation(rid, "concur", "Holds.", rating=RatingInput(HIGH.marks, 9))
    assert service.record(rid).events == count
