"""Verify on signed records: it holds after a signature and an addendum, and finds the signature's tables
changed, its row deleted or its event edited behind ethicsdesk's back (SQL on the SQLite file itself, or
as PostgreSQL's superuser); the event log's trigger refuses an edit while it stands."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from ethicsdesk.service import Service, signing
from tests.databases import drop_append_only_triggers, outside_connection
from tests.service.review.conftest import NOT_REGISTERED, decided, problems


def test_verify_holds_after_sign_and_addendum(service: Service, supervisor: Service, signed: str) -> None:
    service.review.add_addendum(signed, "new-information", "New facts.", "His brother moved in.")
    unsigned = decided(service, "Not signed")
    assert service.integrity.verify() == (2, [])
    assert supervisor.integrity.verify(signed) == (1, [])
    assert service.integrity.verify(unsigned) == (1, [])


def raw_sql(service: Service, *statements: str, drop_triggers: bool = False) -> None:
    """Change the database behind ethicsdesk's back, as someone with the file or the superuser's login could."""
    with outside_connection(service.db.url) as conn:
        if drop_triggers:
            drop_append_only_triggers(conn)
        for statement in statements:
            assert conn.execute(text(statement)).rowcount >= 1, statement


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        pytest.param(
            "UPDATE signatures SET signature = 'AAAA' || substr(signature, 5) WHERE record_id = '{rid}'",
            "the current-state tables differ from the event log in: signature",
            id="signature",
        ),
        pytest.param(
            "UPDATE signatures SET public_key = '{other_public}' WHERE record_id = '{rid}'",
            "the current-state tables differ from the event log in: signature",
            id="public key",
        ),
        pytest.param(
            "UPDATE signatures SET fingerprint = '{other_fp}' WHERE record_id = '{rid}'",
            "the current-state tables differ from the event log in: signature",
            id="fingerprint",
        ),
        pytest.param(
            "UPDATE signatures SET signer = 'Mallory' WHERE record_id = '{rid}'",
            "the current-state tables differ from the event log in: signature",
            id="signer",
        ),
        pytest.param(
            "UPDATE signatures SET signed_head = '{zero}' WHERE record_id = '{rid}'",
            "the current-state tables differ from the event log in: signature",
            id="signed head",
        ),
        pytest.param("DELETE FROM signing_keys WHERE \"user\" = 'Dana Okafor'", NOT_REGISTERED, id="key deleted"),
        pytest.param("UPDATE signing_keys SET \"user\" = 'Mallory'", NOT_REGISTERED, id="key re-owned"),
        pytest.param("UPDATE signing_keys SET public_key = '{other_public}'", NOT_REGISTERED, id="key replaced"),
    ],
)
def test_tampering_with_the_signature_tables_is_found(
    service: Service, signed: str, statement: str, expected: str
) -> None:
    assert problems(service, signed) == []
    mallory = signing.create_key("Mallory", None)
    raw_sql(
        service,
        statement.format(rid=signed, other_public=mallory.public_b64, other_fp=mallory.fingerprint, zero="0" * 64),
    )
    assert expected in problems(service, signed)


def test_deleting_the_signature_row_is_found(service: Service, signed: str) -> None:
    raw_sql(service, f"DELETE FROM signatures WHERE record_id = '{signed}'")
    found = problems(service, signed)
    assert any("differ from the event log" in p and "signature" in p for p in found), found


def test_editing_the_signed_event_is_found(service: Service, signed: str) -> None:
    """A changed record.signed payload breaks the chain (the append-only trigger must be dropped first)."""
    seq = next(e["seq"] for e in service.integrity.event_payloads(signed) if e["type"] == "record.signed")
    genuine = service.record(signed).signature
    assert genuine is not None
    mallory = signing.create_key("Mallory", None)
    raw_sql(
        service,
        f"UPDATE events SET payload = replace(payload, '{genuine.fingerprint}', '{mallory.fingerprint}') "
        f"WHERE record_id = '{signed}' AND seq = {seq}",
        drop_triggers=True,
    )
    found = problems(service, signed)
    assert f"event {seq} (record.signed) was changed after it was written" in found
    assert len(found) >= 2  # and the tables no longer match the fold, nor the key its fingerprint


@pytest.mark.parametrize(
    "statement",
    [
        pytest.param("UPDATE events SET payload = '{{}}' WHERE record_id = '{rid}'", id="update"),
        pytest.param("DELETE FROM events WHERE record_id = '{rid}'", id="delete"),
    ],
)
def test_the_log_cannot_be_edited_while_the_trigger_stands(service: Service, signed: str, statement: str) -> None:
    """Both engines' triggers refuse it with the same words (SQLite's RAISE(ABORT), PostgreSQL's RAISE
    EXCEPTION): for a record without a tombstone, neither an edit nor a deletion."""
    with pytest.raises(DatabaseError, match="the event log is append-only"):
        raw_sql(service, statement.format(rid=signed))
    assert problems(service, signed) == []
