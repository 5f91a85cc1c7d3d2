"""Schema 0006 (consultation from any step): a database written at 0005, with a sign-off
consultation logged the old way (no step, kind or number), upgrades on each engine, still verifies,
and then takes consultations asked from a step."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from ethicsdesk.service import Service
from ethicsdesk.settings import User
from ethicsdesk.store.engine import open_database
from ethicsdesk.store.schema import HEAD, current_revision, ensure_schema
from tests.store.test_schema_0005 import migrate

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"
DANA = User("Dana Okafor", "supervisor")


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_a_populated_0005_database_is_upgraded_and_its_old_consultation_folds(
    engine: str, request: pytest.FixtureRequest
) -> None:
    url = str(request.getfixturevalue("sqlite_url" if engine == "sqlite" else "pg_url"))
    service = Service.open(url, DANA)
    assert isinstance(service, Service)
    try:
        rid = service.importing.import_files([DILEMMAS / "gift-from-family.toml"])[0]
        service.editing.request_consultation(rid, DANA.name, "Is accepting the scarf justified?")
        service.review.answer_consultation(rid, "concur", "It is: small, and refusing would hurt.")
    finally:
        service.close()
    migrate(url, "0005", down=True)
    db = open_database(url)
    try:
        assert current_revision(db) == "0005"
        with db.engine.connect() as conn:
            assert "step_consultations" not in set(inspect(conn).get_table_names())
            payloads = conn.execute(text("SELECT payload FROM events WHERE type LIKE 'consultation.%'")).scalars()
            # logged the old way: none of the new keys
            assert not any(key in str(p) for p in payloads for key in ('"step"', '"kind"', '"number"'))
        ensure_schema(db, upgrade_older=True)
        assert current_revision(db) == HEAD
    finally:
        db.dispose()
    service = Service.open(url, DANA)
    assert isinstance(service, Service)
    try:
        assert service.integrity.verify() == (1, [])
        c = service.record(rid).consultation
        assert c is not None and (c.step, c.kind, c.number, c.state) == ("consult", "supervisor", 0, "answered")
        service.editing.request_consultation(
            rid, "Ethics committee", "Policy on gifts?", kind="committee", step="options"
        )
        assert [x.step for x in service.record(rid).step_consultations] == ["options"]
        assert service.integrity.verify() == (1, [])
    finally:
        service.close()
