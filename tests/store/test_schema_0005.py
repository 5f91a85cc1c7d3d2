"""Schema 0005 (tombstones, the database's id, trusted keys and PostgreSQL's server-set identity): on
an empty database, and upgrading a populated 0004 one on each engine. The records still verify, the
database gets an id, and the event log lets a record's events go only after its tombstone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, text

from ethicsdesk.service import Service, signing
from ethicsdesk.settings import User
from ethicsdesk.store.engine import open_database
from ethicsdesk.store.schema import HEAD, MIGRATIONS_DIR, current_revision, ensure_schema

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"
DANA = User("Dana Okafor", "supervisor")
NEW = {"tombstones", "database_meta", "trusted_keys", "role_changes"}


def migrate(url: str, revision: str, down: bool = False) -> None:
    db = open_database(url)
    try:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            (command.downgrade if down else command.upgrade)(cfg, revision)
    finally:
        db.dispose()


def populated_at_0004(url: str) -> list[str]:
    """Records written at the head, then the schema taken down to 0004 (its rows kept)."""
    service = Service.open(url, DANA)
    try:
        ids = service.importing.import_files(
            [DILEMMAS / "gift-from-family.toml", DILEMMAS / "discharge-against-advice.toml"]
        )
        service.editing.set_text(ids[0], "outcome", "The scarf was accepted.")
    finally:
        service.close()
    migrate(url, "0004", down=True)
    db = open_database(url)
    try:
        assert current_revision(db) == "0004"
        with db.engine.connect() as conn:
            assert not NEW & set(inspect(conn).get_table_names())
    finally:
        db.dispose()
    return ids


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_an_empty_database_gets_the_new_tables_and_an_id(engine: str, request: pytest.FixtureRequest) -> None:
    url = str(request.getfixturevalue("sqlite_url" if engine == "sqlite" else "pg_url"))
    Service.open(url, DANA).close()
    db = open_database(url)
    try:
        assert current_revision(db) == HEAD
        with db.engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) >= NEW
            ids = conn.execute(text("SELECT value FROM database_meta WHERE name = 'database_id'")).scalars().all()
        assert len(ids) == 1 and len(ids[0]) == 36
    finally:
        db.dispose()


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_a_populated_0004_database_is_upgraded_and_still_verifies(engine: str, request: pytest.FixtureRequest) -> None:
    url = str(request.getfixturevalue("sqlite_url" if engine == "sqlite" else "pg_url"))
    ids = populated_at_0004(url)
    db = open_database(url)
    try:
        ensure_schema(db, upgrade_older=True)  # a SQLite file is backed up first
        assert current_revision(db) == HEAD
    finally:
        db.dispose()
    if engine == "sqlite":
        assert list(Path(url.removeprefix("sqlite:///")).parent.glob("*.0004.*.bak.db"))
    service = Service.open(url, DANA)
    try:
        assert service.integrity.verify() == (2, [])
        done = service.purging.purge(ids[1], "Retention", signing.create_key(DANA.name, None))
        assert done.events == 1
        assert service.integrity.verify() == (1, [])
        assert [p.record_id for p in service.trust.audit().purged] == [ids[1]]
    finally:
        service.close()


def test_the_event_log_refuses_a_delete_without_a_tombstone(sqlite_url: str) -> None:
    service = Service.open(sqlite_url, DANA)
    rid = service.editing.create_record("Kept")
    service.close()
    raw = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute("DELETE FROM events WHERE record_id = ?", (rid,))
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute("UPDATE tombstones SET reason = 'x'")  # no rows, but the trigger is there
            raw.execute(
                "INSERT INTO tombstones (record_id, kind, event_count, head_hash, purged_at, purged_by, purged_role, "
                "reason, public_key, fingerprint, signature) VALUES ('x','case',1,'h','t','b','r','why','','','')"
            )
            raw.execute("UPDATE tombstones SET reason = 'changed'")
    finally:
        raw.close()


def test_the_migration_goes_down_and_up_on_postgresql(pg_url: str) -> None:
    migrate(pg_url, "0004", down=True)
    migrate(pg_url, "head")
    db = open_database(pg_url)
    try:
        with db.engine.connect() as conn:
            triggers = set(conn.execute(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).scalars())
        assert {"events_identity", "users_role_audit", "tombstones_identity", "events_append_only"} <= triggers
    finally:
        db.dispose()
