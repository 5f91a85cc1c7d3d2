"""Signing (Review.sign): a decided record signed with a supervisor's own key is frozen, and the key is
registered once; an undecided or unanswered record, another role, someone else's key or a second
signature is refused and writes nothing. The warnings a supervisor is given before signing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text

from ethicsdesk.errors import BadInput
from ethicsdesk.service import Service, signing
from ethicsdesk.settings import User
from tests.databases import database_dump, outside_connection
from tests.service.review.conftest import DANA, LEE, consulted, decided


def test_signing_freezes_the_record(service: Service, supervisor: Service, key: signing.SigningKey) -> None:
    rid = decided(service)
    consulted(service, supervisor, rid)
    head = service.head(rid)
    state = supervisor.review.sign(rid, key)
    assert state.status == "signed"
    assert state.frozen
    sig = state.signature
    assert sig is not None
    assert (sig.signer, sig.role, sig.signed_head, sig.public_key, sig.fingerprint) == (
        "Dana Okafor",
        "supervisor",
        head,
        key.public_b64,
        key.fingerprint,
    )
    assert signing.signature_holds(sig.public_key, sig.signature, signing.signed_message(rid, head))
    assert service.record(rid).signature == sig
    assert service.summary(rid).status == "signed"
    assert supervisor.review.registered_key_owner(key.fingerprint) == "Dana Okafor"
    assert service.integrity.verify(rid) == (1, [])


def test_a_record_without_a_consultation_can_be_signed(
    service: Service, supervisor: Service, key: signing.SigningKey
) -> None:
    rid = decided(service)
    assert supervisor.review.sign(rid, key).status == "signed"


@pytest.mark.parametrize(
    ("prepare", "words"),
    [
        pytest.param(
            lambda svc, rid: svc.editing.decide(rid, "chosen", ""),
            "Only a decided record can be signed: it needs a chosen option and a rationale.",
            id="no choice",
        ),
        pytest.param(
            lambda svc, rid: svc.editing.decide(rid, "rationale", "  "),
            "Only a decided record can be signed: it needs a chosen option and a rationale.",
            id="no rationale",
        ),
        pytest.param(
            lambda svc, rid: svc.editing.request_consultation(rid, DANA.name, "?"),
            "Answer the open consultation request before signing.",
            id="open request",
        ),
    ],
)
def test_signing_an_undecided_or_unanswered_record_is_refused(
    service: Service,
    supervisor: Service,
    key: signing.SigningKey,
    prepare: Callable[[Service, str], object],
    words: str,
) -> None:
    rid = decided(service)
    prepare(service, rid)
    before = database_dump(service)
    with pytest.raises(BadInput) as exc:
        supervisor.review.sign(rid, key)
    assert exc.value.message == words
    assert database_dump(service) == before  # not even the key is registered
    assert supervisor.review.registered_key_owner(key.fingerprint) is None


@pytest.mark.parametrize("signer", [User("Dana Okafor", "case manager"), User("Dana Okafor", "trainer")])
def test_only_a_supervisor_signs(
    service: Service, other_service: Callable[[User], Service], key: signing.SigningKey, signer: User
) -> None:
    rid = decided(service)
    before = database_dump(service)
    with pytest.raises(BadInput) as exc:
        other_service(signer).review.sign(rid, key)
    assert exc.value.message == f"Only a supervisor can sign a record; you are recorded as a {signer.role}."
    assert database_dump(service) == before


def test_someone_elses_key_is_refused(service: Service, supervisor: Service) -> None:
    rid = decided(service)
    lees = signing.create_key(LEE.name, None)
    before = database_dump(service)
    with pytest.raises(BadInput) as exc:
        supervisor.review.sign(rid, lees)
    assert exc.value.message == "That signing key belongs to someone else."
    assert database_dump(service) == before


def test_a_key_registered_to_another_user_is_refused(
    service: Service, supervisor: Service, other_service: Callable[[User], Service]
) -> None:
    lees = signing.create_key(LEE.name, None)
    other_service(LEE).review.sign(decided(service, "Lee signs this"), lees)
    # Lee's private key, presented under Dana's name (a copied key file)
    borrowed = signing.SigningKey(DANA.name, lees.public_b64, lees._private)
    rid = decided(service)
    before = database_dump(service)
    with pytest.raises(BadInput) as exc:
        supervisor.review.sign(rid, borrowed)
    assert exc.value.message == "That signing key is registered to another user."
    assert database_dump(service) == before
    assert supervisor.review.registered_key_owner(lees.fingerprint) == "Lee Marsh"


def test_a_record_is_signed_once(supervisor: Service, key: signing.SigningKey, signed: str) -> None:
    before = database_dump(supervisor)
    with pytest.raises(BadInput, match="already signed by Dana Okafor"):
        supervisor.review.sign(signed, key)
    assert database_dump(supervisor) == before


def test_the_key_is_registered_once_for_many_signatures(
    service: Service, supervisor: Service, key: signing.SigningKey
) -> None:
    a, b = decided(service, "A"), decided(service, "B")
    supervisor.review.sign(a, key)
    supervisor.review.sign(b, key)
    with outside_connection(service.db.url) as conn:
        # "user" quoted: unquoted, PostgreSQL reads it as the login (CURRENT_USER), not the column
        rows = conn.execute(text('SELECT fingerprint, "user", public_key FROM signing_keys')).all()
    assert [tuple(r) for r in rows] == [(key.fingerprint, "Dana Okafor", key.public_b64)]
    assert service.integrity.verify() == (2, [])


def test_sign_warnings_name_a_failed_liking_test_and_decisional_conflict(service: Service, supervisor: Service) -> None:
    rid = decided(service)
    assert supervisor.review.sign_warnings(service.record(rid)) == []  # unanswered checks are not warned of here
    service.editing.answer(rid, "test:liking", "yes")
    service.editing.answer(rid, "sure:sure", "no")
    service.editing.answer(rid, "test:publicity", "yes")  # passed: not warned of
    warnings = supervisor.review.sign_warnings(service.record(rid))
    assert len(warnings) == 2
    assert warnings[0].startswith("The liking test was answered yes")
    assert warnings[1].startswith("Decisional conflict")
