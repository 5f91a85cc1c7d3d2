"""Verify against a forger with the SQLite file or PostgreSQL's superuser login, who rewrites a record's
log, recomputes every hash of the chain and rebuilds the tables (`forge`), so that only the signature can
give the change away: changed reasoning, a damaged or re-made signature, another signer's key, another
record's signature."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import text

from ethicsdesk.domain.chain import canonical_json, event_hash, hashed_content
from ethicsdesk.domain.fold import fold
from ethicsdesk.service import Service, signing
from ethicsdesk.settings import User
from ethicsdesk.store import eventlog
from ethicsdesk.store.projection import write_projection
from tests.databases import drop_append_only_triggers, outside_connection
from tests.service.review.conftest import LEE, NOT_REGISTERED, decided, problems


def forge(service: Service, rid: str, change: Callable[[list[dict[str, Any]]], None]) -> None:
    """Rewrite a record's log as a forger with the file (or the superuser's login) would: change
    events, then recompute every hash of the chain and rebuild the current-state tables from the changed
    log, so that nothing but the signature can give the change away."""
    with outside_connection(service.db.url) as conn:
        drop_append_only_triggers(conn)
        cols = ("id", "seq", "type", "actor", "actor_role", "at", "payload")
        rows = [
            dict(r._mapping)
            for r in conn.execute(
                text(f"SELECT {', '.join(cols)} FROM events WHERE record_id = :rid ORDER BY seq"), {"rid": rid}
            )
        ]
        for r in rows:
            r["payload"] = json.loads(r["payload"])
        change(rows)
        prev = "0" * 64
        for r in rows:
            payload_json = canonical_json(r["payload"])
            content = hashed_content(rid, r["type"], r["actor"], r["actor_role"], r["at"], payload_json)
            digest = event_hash(prev, r["seq"], content)
            conn.execute(
                text(
                    "UPDATE events SET type = :type, actor = :actor, actor_role = :actor_role, at = :at, "
                    "payload = :payload, prev_hash = :prev_hash, hash = :hash WHERE id = :id"
                ),
                {**r, "payload": payload_json, "prev_hash": prev, "hash": digest},
            )
            prev = digest
    with service.db.writing() as s:
        log = eventlog.read(s, rid)
        state = fold(rid, [eventlog.to_event(r) for r in log])
        write_projection(s, state, log[-1].hash, service._step(state))


def signed_event(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return next(r for r in rows if r["type"] == "record.signed")


def test_a_forged_rewrite_without_touching_the_signature_verifies(service: Service, signed: str) -> None:
    """The forge helper itself leaves an intact log intact (so the failures below are the forgeries')."""
    service.review.add_addendum(signed, "outcome", "Visit.", "He is home.")
    forge(service, signed, lambda rows: None)
    assert problems(service, signed) == []


def test_changing_the_signed_reasoning_is_found(service: Service, supervisor: Service, signed: str) -> None:
    service.review.add_addendum(signed, "outcome", "Visit.", "He is home.")

    def rewrite(rows: list[dict[str, Any]]) -> None:
        for r in rows:
            if r["type"] == "decision.set" and r["payload"]["field"] == "rationale":
                r["payload"]["value"] = "We were told to."

    forge(service, signed, rewrite)
    assert service.record(signed).decision["rationale"] == "We were told to."
    assert problems(service, signed) == ["the signature does not cover the record as it stood when it was signed"]


def test_changing_the_signed_reasoning_and_the_signed_head_is_found(service: Service, signed: str) -> None:
    def rewrite(rows: list[dict[str, Any]]) -> None:
        for r in rows:
            if r["type"] == "decision.set" and r["payload"]["field"] == "rationale":
                r["payload"]["value"] = "We were told to."
        # point the signature at the rewritten head (the hash before the signed event, recomputed)
        prev = "0" * 64
        for r in rows:
            if r["type"] == "record.signed":
                r["payload"]["signed_head"] = prev
                break
            content = hashed_content(
                signed, r["type"], r["actor"], r["actor_role"], r["at"], canonical_json(r["payload"])
            )
            prev = event_hash(prev, r["seq"], content)

    forge(service, signed, rewrite)
    assert problems(service, signed) == ["the signature by Dana Okafor does not verify"]


def test_a_damaged_signature_is_found(service: Service, signed: str) -> None:
    def rewrite(rows: list[dict[str, Any]]) -> None:
        p = signed_event(rows)["payload"]
        p["signature"] = signing.create_key("Mallory", None).sign(b"something else")

    forge(service, signed, rewrite)
    assert problems(service, signed) == ["the signature by Dana Okafor does not verify"]


def test_a_forged_re_sign_with_another_unregistered_key_is_found(service: Service, signed: str) -> None:
    mallory = signing.create_key("Mallory", None)

    def rewrite(rows: list[dict[str, Any]]) -> None:
        p = signed_event(rows)["payload"]
        p["public_key"], p["fingerprint"] = mallory.public_b64, mallory.fingerprint
        p["signature"] = mallory.sign(signing.signed_message(signed, p["signed_head"]))

    forge(service, signed, rewrite)
    assert problems(service, signed) == [NOT_REGISTERED]


def test_a_forged_re_sign_with_a_key_registered_to_someone_else_is_found(
    service: Service, supervisor: Service, other_service: Callable[[User], Service], signed: str
) -> None:
    lees = signing.create_key(LEE.name, None)
    other_service(LEE).review.sign(decided(service, "Lee signs this"), lees)  # Lee's key is in the database

    def rewrite(rows: list[dict[str, Any]]) -> None:
        p = signed_event(rows)["payload"]
        p["public_key"], p["fingerprint"] = lees.public_b64, lees.fingerprint
        p["signature"] = lees.sign(signing.signed_message(signed, p["signed_head"]))

    forge(service, signed, rewrite)
    assert problems(service, signed) == [NOT_REGISTERED]


def test_a_fingerprint_that_does_not_match_its_key_is_found(service: Service, signed: str) -> None:
    def rewrite(rows: list[dict[str, Any]]) -> None:
        signed_event(rows)["payload"]["fingerprint"] = "f" * 64

    forge(service, signed, rewrite)
    found = problems(service, signed)
    assert "the signing key's fingerprint does not match the key" in found
    assert NOT_REGISTERED in found


def test_a_signature_moved_to_another_signer_is_found(service: Service, signed: str) -> None:
    def rewrite(rows: list[dict[str, Any]]) -> None:
        signed_event(rows)["actor"] = "Mallory"

    forge(service, signed, rewrite)
    assert problems(service, signed) == ["the signing key is not registered to Mallory in this database"]


def test_a_signature_copied_from_another_record_is_found(
    service: Service, supervisor: Service, key: signing.SigningKey, signed: str
) -> None:
    """Dana's genuine signature of one record, pasted into another record's log, does not hold there."""
    target = decided(service, "Never signed")
    donor = signed_event(
        [{"type": e["type"], "payload": e["payload"]} for e in service.integrity.event_payloads(signed)]
    )

    def rewrite(rows: list[dict[str, Any]]) -> None:
        last = rows[-1]
        # the forger replaces the last event with a record.signed carrying the donor's payload
        payload = dict(donor["payload"])
        before = rows[-2]
        prev = "0" * 64
        for r in rows[:-1]:
            content = hashed_content(
                target, r["type"], r["actor"], r["actor_role"], r["at"], canonical_json(r["payload"])
            )
            prev = event_hash(prev, r["seq"], content)
        assert before["seq"] == last["seq"] - 1
        payload["signed_head"] = prev
        last.update(type="record.signed", actor="Dana Okafor", actor_role="supervisor", payload=payload)

    forge(service, target, rewrite)
    assert service.record(target).frozen
    assert problems(service, target) == ["the signature by Dana Okafor does not verify"]
