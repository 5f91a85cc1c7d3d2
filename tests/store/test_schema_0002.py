"""Schema 0002 (consultation answers, signatures, addenda, signing keys): a database written at
revision 0001, with records in it, is backed up and brought to the head when it is opened; every
record still verifies, and the new parts (answers, signatures, addenda) then work on it."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config

from ethicsdesk.service import Service, signing
from ethicsdesk.settings import User
from ethicsdesk.store.engine import open_database
from ethicsdesk.store.schema import HEAD, MIGRATIONS_DIR, current_revision

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"
ROBIN = User("Robin Ashdown", "case manager")
DANA = User("Dana Okafor", "supervisor")
NEW_TABLES = {"signatures", "addenda", "signing_keys"}
ANSWER_COLUMNS = {"outcome", "notes", "conditions", "answered_by", "answered_at"}


def at_revision(path: Path, revision: str) -> None:
    """An empty database migrated only to `revision`, the way store/schema.py drives alembic."""
    db = open_database(f"sqlite:///{path}")
    try:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
        assert current_revision(db) == revision
    finally:
        db.dispose()


def columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA table_info('{table}')")]


def table_names(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


def fill_like_0001(target: Path, source: Path) -> None:
    """Copy the rows of `source` (written by this code, with nothing 0001 could not hold) into the
    0001 database `target`: every table 0001 has, every column it has."""
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        conn.execute("ATTACH DATABASE ? AS src", (str(source),))
        conn.execute("BEGIN")
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'record_search_%' "
                "AND name NOT IN ('alembic_version', 'sqlite_sequence')"
            )
        ]
        # parents before children, for the foreign keys
        first = ["records", "options"]
        for name in first + sorted(set(names) - set(first)):
            cols = ", ".join(f'"{c}"' for c in columns(conn, name))
            conn.execute(f'INSERT INTO main."{name}" ({cols}) SELECT {cols} FROM src."{name}"')
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE src")
    finally:
        conn.close()


@pytest.fixture
def old_database(tmp_path: Path) -> tuple[Path, dict[str, dict[str, Any]]]:
    """A 0001 database holding an imported sample, a walked record awaiting consultation and one
    whose request was withdrawn; with each record's snapshot and head as this code wrote them."""
    source = tmp_path / "source.db"
    svc = Service.open(f"sqlite:///{source}", ROBIN)
    try:
        sample = svc.importing.import_files([DILEMMAS / "threat-to-third-party.toml"])[0]
        walked = svc.editing.create_record("Gift from a family", case_code="C-12")
        keep = svc.editing.add_option(walked, "Decline politely")
        svc.editing.add_option(walked, "Accept and log it")
        svc.editing.score(walked, keep, "fidelity", 1)
        svc.editing.decide(walked, "chosen", keep)
        svc.editing.decide(walked, "rationale", "Gifts compromise the relationship.")
        svc.editing.request_consultation(walked, DANA.name, "Is declining unkind?")
        svc.editing.request_consultation(sample, DANA.name, "Warn him now?")
        svc.editing.withdraw_consultation(sample)
        expected = {rid: {"snapshot": svc.record(rid).snapshot(), "head": svc.head(rid)} for rid in (sample, walked)}
    finally:
        svc.close()
    old = tmp_path / "ethicsdesk.db"
    at_revision(old, "0001")
    assert not NEW_TABLES & table_names(old)
    fill_like_0001(old, source)
    source.unlink()
    for extra in ("-wal", "-shm"):
        Path(f"{source}{extra}").unlink(missing_ok=True)
    return old, expected


def test_opening_a_0001_database_backs_it_up_and_upgrades_it(
    old_database: tuple[Path, dict[str, dict[str, Any]]],
) -> None:
    path, expected = old_database
    svc = Service.open(f"sqlite:///{path}", ROBIN)
    try:
        assert current_revision(svc.db) == HEAD
        assert svc.integrity.verify() == (2, [])
        for rid, was in expected.items():
            assert svc.record(rid).snapshot() == was["snapshot"]
            assert svc.head(rid) == was["head"]
        assert [q.record_id for q in svc.review.review_queue(everyone=True)] == [
            rid for rid, was in expected.items() if was["snapshot"]["status"] == "awaiting-consultation"
        ]
    finally:
        svc.close()
    assert table_names(path) >= NEW_TABLES
    conn = sqlite3.connect(path)
    try:
        assert set(columns(conn, "consultations")) >= ANSWER_COLUMNS
        # the answer columns of the old rows were filled with the empty default
        answers = conn.execute("SELECT outcome, notes, conditions, answered_by, answered_at FROM consultations")
        assert answers.fetchall() == [("", "", "", "", "")] * 2
    finally:
        conn.close()

    backups = list(path.parent.glob("ethicsdesk.0001.*.bak.db"))
    assert len(backups) == 1, list(path.parent.iterdir())
    backup = backups[0]
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert not NEW_TABLES & table_names(backup)
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT count(*) FROM records").fetchone() == (2,)
        events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        conn.close()
    assert events == sum(was["snapshot"]["events"] for was in expected.values())


def test_an_upgraded_database_takes_answers_signatures_and_addenda(
    old_database: tuple[Path, dict[str, dict[str, Any]]],
) -> None:
    path, expected = old_database
    walked = next(rid for rid, was in expected.items() if was["snapshot"]["status"] == "awaiting-consultation")
    robin = Service.open(f"sqlite:///{path}", ROBIN)
    dana = Service.open(f"sqlite:///{path}", DANA)
    try:
        assert dana.review.answer_consultation(walked, "concur", "Declining is kind enough.").status == "consulted"
        dana.review.sign(walked, signing.create_key(DANA.name, "s3cret"))
        robin.review.add_addendum(walked, "outcome", "Family told.", "They understood.")
        state = robin.record(walked)
        assert state.status == "signed"
        assert len(state.addenda) == 1
        assert robin.integrity.verify() == (2, [])
    finally:
        robin.close()
        dana.close()
    # opening it again neither upgrades nor backs up a second time
    again = Service.open(f"sqlite:///{path}", ROBIN)
    try:
        assert again.integrity.verify() == (2, [])
    finally:
        again.close()
    assert len(list(path.parent.glob("*.bak.db"))) == 1


def test_a_0002_database_is_upgraded_to_the_head_too(tmp_path: Path) -> None:
    """A database at 0002 (signatures in it) opens under the current head with a backup named for 0002."""
    if HEAD == "0002":
        pytest.skip("0002 is the head: there is nothing to upgrade it to")
    path = tmp_path / "ethicsdesk.db"
    at_revision(path, "0002")
    svc = Service.open(f"sqlite:///{path}", ROBIN)
    try:
        assert current_revision(svc.db) == HEAD
        assert svc.integrity.verify() == (0, [])
    finally:
        svc.close()
    assert len(list(tmp_path.glob("ethicsdesk.0002.*.bak.db"))) == 1
