"""Consultation from any step of the walk through the service: asked of a supervisor, an
ethics committee or a colleague; answered by the supervisor or written in by the case manager; kept
apart from the sign-off consultation, its status and its signature; and verified like every event."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ethicsdesk.errors import BadInput
from ethicsdesk.service import Service, signing
from ethicsdesk.settings import User

DANA = User("Dana Okafor", "supervisor")


@pytest.fixture
def supervisor(service: Service, db_url: str) -> Iterator[Service]:
    svc = Service.open(db_url, DANA)
    assert isinstance(svc, Service)
    yield svc
    svc.close()


def two_options(service: Service) -> str:
    rid = service.editing.create_record("Discharge or stay", case_code="C-7")
    service.editing.add_option(rid, "Keep the confidence")
    service.editing.add_option(rid, "Tell the family")
    return rid


def test_a_supervisor_is_asked_from_the_options_step_and_answers(service: Service, supervisor: Service) -> None:
    rid = two_options(service)
    state = service.editing.request_consultation(rid, DANA.name, "Is telling the family lawful here?", step="options")
    asked = state.step_consultations[0]
    assert (asked.number, asked.step, asked.kind, asked.state) == (1, "options", "supervisor", "requested")
    assert state.status == "draft" and state.consultation is None  # input, not a sign-off
    queue = supervisor.review.review_queue()
    assert [(q.record_id, q.step, q.number) for q in queue] == [(rid, "options", 1)]

    supervisor.review.answer_consultation(rid, "", "Only with her consent, unless a floor applies.", number=1)
    state = service.record(rid)
    answered = state.step_consultations[0]
    assert (answered.state, answered.answered_by, answered.outcome) == ("answered", DANA.name, "")
    assert answered.notes.startswith("Only with her consent")
    assert supervisor.review.review_queue() == [] and state.status == "draft"
    assert service.integrity.verify(rid) == (1, [])


def test_a_committee_and_a_colleague_are_asked_and_their_answers_written_in(service: Service) -> None:
    rid = two_options(service)
    service.editing.request_consultation(
        rid, "St Anne's ethics committee", "Does B respect her wishes?", kind="committee", step="weigh"
    )
    service.editing.request_consultation(
        rid, "Lee Marsh", "Have you seen this before?", kind="colleague", step="situation"
    )
    state = service.editing.record_consultation_answer(rid, 1, "B is acceptable if she agrees first.", outcome="concur")
    committee, colleague = state.step_consultations
    assert (committee.kind, committee.answered_by, committee.recorded_by) == (
        "committee",
        "St Anne's ethics committee",
        service.user.name,
    )
    assert committee.outcome == "concur" and colleague.state == "requested"
    service.editing.withdraw_consultation(rid, 2)
    assert service.record(rid).step_consultations[1].state == "withdrawn"
    assert service.integrity.verify(rid) == (1, [])


def test_refusals_say_what_is_wrong_and_change_nothing(service: Service, supervisor: Service) -> None:
    rid = two_options(service)
    service.editing.request_consultation(rid, DANA.name, "Lawful?", step="options")
    before = service.record(rid).events
    with pytest.raises(BadInput, match="answer in the review screen"):
        service.editing.record_consultation_answer(rid, 1, "Yes.")
    with pytest.raises(BadInput, match="not a step of the walk"):
        service.editing.request_consultation(rid, DANA.name, "Q", step="lunch")
    with pytest.raises(BadInput, match="one of: supervisor, committee, colleague"):
        service.editing.request_consultation(rid, DANA.name, "Q", kind="oracle", step="options")
    with pytest.raises(BadInput, match="needs its question"):
        service.editing.request_consultation(rid, DANA.name, "  ", step="weigh")
    with pytest.raises(BadInput, match="Name the ethics committee"):
        service.editing.request_consultation(rid, " ", "Q", kind="committee", step="weigh")
    with pytest.raises(BadInput, match="no open consultation request with that number"):
        service.editing.record_consultation_answer(rid, 7, "Yes.")
    with pytest.raises(BadInput, match="outcome is one of"):
        supervisor.review.answer_consultation(rid, "", "Yes.")  # the sign-off answer needs its verdict
    assert service.record(rid).events == before


def test_an_open_mid_walk_request_blocks_the_signature_and_the_sign_off_flow_is_unchanged(
    service: Service, supervisor: Service
) -> None:
    rid = two_options(service)
    keep = service.record(rid).options[0].key
    service.editing.decide(rid, "chosen", keep)
    service.editing.decide(rid, "rationale", "She has capacity and asked us not to.")
    service.editing.request_consultation(rid, DANA.name, "Lawful?", step="obligations")
    service.editing.request_consultation(rid, DANA.name, "Sign off?")  # the Consult step: the sign-off consultation
    assert service.record(rid).status == "awaiting-consultation"
    supervisor.review.answer_consultation(rid, "concur", "The reasoning holds.")
    assert service.record(rid).status == "consulted"
    assert "still open" in (supervisor.review.why_not_sign(rid) or "")
    supervisor.review.answer_consultation(rid, "concur", "Lawful with consent.", number=1)
    assert supervisor.review.why_not_sign(rid) is None
    supervisor.review.sign(rid, signing.create_key(DANA.name, None))
    state = service.record(rid)
    assert state.status == "signed" and len(state.consultations) == 2
    assert service.integrity.verify(rid) == (1, [])


def test_a_floor_makes_a_mid_walk_request_urgent_and_answers_the_floors_call_for_consultation(
    service: Service,
) -> None:
    from ethicsdesk.domain.checks import quality_checks

    rid = two_options(service)
    service.editing.set_obligation(rid, "duty-to-warn", True)
    state = service.editing.request_consultation(
        rid, "Ethics committee", "Do we warn?", kind="committee", step="obligations"
    )
    assert state.step_consultations[0].urgent
    findings = {f.id: f.text for f in quality_checks(state, service.framework_of(state), service.catalogue())}
    assert "floor-without-consultation" not in findings
    assert findings["no-consultation"].startswith("Consultation was asked during the walk")


def test_a_code_rule_alone_does_not_make_a_request_urgent(service: Service) -> None:
    """Urgency is for the legal and safety floors, as it was before code rules were floors: a rule
    bars options but puts no one at risk today."""
    rid = two_options(service)
    service.editing.set_obligation(rid, "documentation-integrity", True)
    state = service.editing.request_consultation(rid, "Dana Whitlock", "May I write this?", step="options")
    assert not state.step_consultations[0].urgent
    service.editing.set_obligation(rid, "imminent-risk", True)
    state = service.editing.request_consultation(rid, "Dana Whitlock", "And now?", step="weigh")
    assert state.step_consultations[1].urgent
