"""Two people at one record: a save against a stale head (Service.expecting) is refused and the other
person's change kept; a change landing while the supervisor answers or signs refuses the answer or the
signature, so nothing is signed that was not checked and read."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ethicsdesk.domain.record import RecordState
from ethicsdesk.errors import BadInput, Conflict, EthicsdeskError
from ethicsdesk.service import Service, signing
from ethicsdesk.settings import User
from tests.databases import database_dump
from tests.service.review.conftest import DANA, FROZEN, decided


def test_a_save_against_a_stale_head_is_refused_and_the_other_change_kept(
    service: Service, other_service: Callable[[User], Service]
) -> None:
    rid = decided(service)
    colleague = other_service(User("Kim Doyle", "case manager"))
    opened_at = service.head(rid)  # Robin's screen read the record here
    colleague.editing.set_text(rid, "facts", "Kim's facts.")
    theirs = service.head(rid)
    before = database_dump(service)
    with service.expecting(opened_at), pytest.raises(Conflict) as exc:
        service.editing.set_text(rid, "facts", "Robin's facts.")
    assert "Someone else changed this record after you opened it" in exc.value.message
    assert exc.value.message.endswith(".")
    assert database_dump(service) == before
    assert service.record(rid).text["facts"] == "Kim's facts."
    assert service.head(rid) == theirs
    # every kind of change is held to the head, not only text
    with service.expecting(opened_at):
        for change in (
            lambda: service.editing.score(rid, "keep-the-confidence", "autonomy", 1),
            lambda: service.editing.request_consultation(rid, DANA.name, "?"),
            lambda: service.editing.add_option(rid, "Third"),
        ):
            with pytest.raises(Conflict):
                change()
    assert database_dump(service) == before
    # reopened (the current head), the save goes through; outside `expecting` nothing is held
    with service.expecting(service.head(rid)):
        service.editing.set_text(rid, "facts", "Robin's facts, after reading Kim's.")
    service.editing.set_text(rid, "assumptions", "None.")
    assert service.record(rid).text["facts"] == "Robin's facts, after reading Kim's."
    assert service.integrity.verify(rid) == (1, [])


def test_expecting_restores_the_previous_expectation(service: Service) -> None:
    rid = decided(service)
    head = service.head(rid)
    with service.expecting(head):
        with service.expecting(None):
            service.editing.set_text(rid, "facts", "One.")  # not held
        with pytest.raises(Conflict):
            service.editing.set_text(rid, "facts", "Two.")  # held to `head` again
    service.editing.set_text(rid, "facts", "Three.")
    assert service.record(rid).text["facts"] == "Three."


def test_a_frozen_record_is_refused_as_frozen_even_with_a_stale_head(
    service: Service, supervisor: Service, key: signing.SigningKey
) -> None:
    rid = decided(service)
    opened_at = service.head(rid)
    supervisor.review.sign(rid, key)
    with service.expecting(opened_at), pytest.raises(BadInput) as exc:
        service.editing.set_text(rid, "facts", "Late edit.")
    assert exc.value.message == FROZEN


def test_a_change_while_signing_refuses_the_signature(
    service: Service, supervisor: Service, key: signing.SigningKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The supervisor signs the head they reviewed: an edit landing in between is kept, the signature refused."""
    rid = decided(service)
    register = supervisor.review._register_key

    def edit_then_register(k: object) -> None:
        service.editing.decide(rid, "rationale", "Edited while the supervisor signed.")
        register(k)

    monkeypatch.setattr(supervisor.review, "_register_key", edit_then_register)
    with pytest.raises(Conflict) as exc:
        supervisor.review.sign(rid, key)
    assert exc.value.message == "The record changed while you were signing; review it again and sign then."
    state = service.record(rid)
    assert not state.frozen
    assert state.decision["rationale"] == "Edited while the supervisor signed."
    assert service.integrity.verify(rid) == (1, [])


def test_a_change_while_answering_is_kept_and_the_answer_applies_to_the_current_request(
    service: Service, supervisor: Service
) -> None:
    rid = decided(service)
    service.editing.request_consultation(rid, DANA.name, "?")
    reviewed = supervisor.head(rid)
    service.editing.withdraw_consultation(rid)
    with supervisor.expecting(reviewed), pytest.raises(EthicsdeskError):
        supervisor.review.answer_consultation(rid, "concur", "Fine.")
    assert service.record(rid).consultation.state == "withdrawn"  # type: ignore[union-attr]


def test_a_withdrawal_landing_while_answering_still_refuses_the_answer(
    service: Service, supervisor: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    rid = decided(service)
    service.editing.request_consultation(rid, DANA.name, "?")
    stale = supervisor.record(rid)  # what the supervisor's screen read
    service.editing.withdraw_consultation(rid)
    monkeypatch.setattr(supervisor, "record", lambda _rid: stale)
    before = database_dump(service)
    with pytest.raises(BadInput) as exc:
        supervisor.review.answer_consultation(rid, "concur", "Fine.")
    assert exc.value.message == "There is no open consultation request to answer."
    assert database_dump(service) == before


def test_a_change_between_the_checks_and_the_signature_is_not_signed_unchecked(
    service: Service, supervisor: Service, key: signing.SigningKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    """sign() checks the record, then signs its head: an edit landing in between (here the rationale
    cleared) must not be signed on the strength of checks made on the state before it."""
    rid = decided(service)
    read = supervisor.record

    def read_then_edit(record_id: str) -> RecordState:
        state = read(record_id)
        service.editing.decide(rid, "rationale", "")
        return state

    monkeypatch.setattr(supervisor, "record", read_then_edit)
    with pytest.raises(EthicsdeskError):
        supervisor.review.sign(rid, key)
    state = service.record(rid)
    assert not state.frozen, "an undecided record was signed"
    assert service.integrity.verify(rid) == (1, [])


def test_signing_is_held_to_the_head_the_supervisor_reviewed(
    service: Service, supervisor: Service, key: signing.SigningKey
) -> None:
    """The review screen signs under `expecting(head it showed)`: a change made since is not signed."""
    rid = decided(service)
    reviewed = supervisor.head(rid)
    service.editing.decide(rid, "rationale", "Changed after the supervisor read it.")
    before = database_dump(service)
    with supervisor.expecting(reviewed), pytest.raises(Conflict) as exc:
        supervisor.review.sign(rid, key)
    assert exc.value.message.endswith("review it again and sign then.")
    assert database_dump(service) == before  # not signed, and the key not even registered
    current = supervisor.head(rid)  # reviewed again
    with supervisor.expecting(current):
        assert supervisor.review.sign(rid, key).signature.signed_head == current  # type: ignore[union-attr]
    assert service.record(rid).frozen
    assert service.integrity.verify(rid) == (1, [])
