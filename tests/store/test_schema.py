"""Schema versions: the migrations build exactly the tables the code declares; a new database is
created, an older one is backed up before it is upgraded, a newer or foreign one is refused untouched."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from ethicsdesk.errors import BadInput, DatabaseProblem
from ethicsdesk.service import Service
from ethicsdesk.settings import User
from ethicsdesk.store.engine import open_database
from ethicsdesk.store.schema import HEAD, MIGRATIONS_DIR, REVISIONS, backup, current_revision, ensure_schema, upgrade
from ethicsdesk.store.tables import metadata
from tests.conftest import sqlite_dump

# Tests of the SQLite file itself (raw sqlite3, pragmas, triggers, VACUUM INTO): not for PostgreSQL.
pytestmark = pytest.mark.sqlite_only

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"
USER = User("Robin Ashdown", "case manager")
FTS = "record_search"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tables(path: Path) -> set[str]:
    raw = sqlite3.connect(path)
    try:
        return {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        raw.close()


def set_revision(path: Path, rev: str) -> None:
    raw = sqlite3.connect(path)
    try:
        raw.execute("UPDATE alembic_version SET version_num = ?", (rev,))
        raw.commit()
    finally:
        raw.close()


def populated(path: Path) -> list[str]:
    service = Service.open(f"sqlite:///{path}", USER)
    try:
        ids = service.importing.import_files(
            [DILEMMAS / "gift-from-family.toml", DILEMMAS / "discharge-against-advice.toml"]
        )
        service.editing.set_text(ids[0], "outcome", "The scarf was accepted.")
        return ids
    finally:
        service.close()


# --- the revision files and the code agree ------------------------------------------------------
def test_revisions_lists_every_revision_file_oldest_first() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_heads() == [HEAD]
    newest_first = [rev.revision for rev in script.walk_revisions()]
    assert tuple(reversed(newest_first)) == REVISIONS
    files = sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("[0-9]*.py"))
    assert len(files) == len(REVISIONS)


def test_the_migrated_schema_is_the_declared_one(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'ed.db'}")
    try:
        ensure_schema(db)
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": True,
                    "include_name": lambda name, type_, _parent: (
                        not (type_ == "table" and (name == FTS or str(name).startswith(FTS + "_")))
                    ),
                },
            )
            diff = compare_metadata(ctx, metadata)
        assert diff == []
    finally:
        db.dispose()


def test_a_drifted_schema_would_be_noticed(tmp_path: Path) -> None:
    """The comparison above can fail: a column the migrations lack shows up."""
    path = tmp_path / "ed.db"
    Service.open(f"sqlite:///{path}", USER).close()
    raw = sqlite3.connect(path)
    raw.execute("ALTER TABLE records ADD COLUMN colour TEXT")
    raw.commit()
    raw.close()
    db = open_database(f"sqlite:///{path}")
    try:
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn, opts={"include_name": lambda name, type_, _p: not str(name).startswith(FTS)}
            )
            diff = compare_metadata(ctx, metadata)
        removed = [(d[2], d[3].name) for d in diff if isinstance(d, tuple) and d[0] == "remove_column"]
        assert removed == [("records", "colour")]
    finally:
        db.dispose()


# --- migrations on an empty and on a populated database -----------------------------------------
def test_an_empty_database_is_created_at_the_head(tmp_path: Path) -> None:
    path = tmp_path / "ed.db"
    db = open_database(f"sqlite:///{path}")
    try:
        assert current_revision(db) is None
        ensure_schema(db)
        assert current_revision(db) == HEAD
    finally:
        db.dispose()
    names = tables(path)
    assert {"records", "events", "cells", "options", "alembic_version", FTS} <= names
    raw = sqlite3.connect(path)
    triggers = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    raw.close()
    assert triggers == {"events_no_update", "events_no_delete", "tombstones_no_update", "tombstones_no_delete"}


def test_a_populated_database_at_the_head_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "ed.db"
    ids = populated(path)
    before = digest(path)
    db = open_database(f"sqlite:///{path}")
    try:
        ensure_schema(db)
        assert upgrade(db) is None  # nothing to do, so no backup
    finally:
        db.dispose()
    assert digest(path) == before
    assert not list(tmp_path.glob("*.bak.db"))
    service = Service.open(f"sqlite:///{path}", USER)
    try:
        assert {r.id for r in service.list_records(status=None)} == set(ids)
        assert service.integrity.verify() == (2, [])
    finally:
        service.close()


def test_alembic_upgrade_of_a_populated_database_keeps_every_row(tmp_path: Path) -> None:
    path = tmp_path / "ed.db"
    populated(path)
    raw = sqlite3.connect(path)
    counts = {t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("records", "events", "cells")}
    raw.close()
    db = open_database(f"sqlite:///{path}")
    try:
        cfg = alembic_config()
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        assert current_revision(db) == HEAD
    finally:
        db.dispose()
    raw = sqlite3.connect(path)
    assert {t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in counts} == counts
    raw.close()
    assert counts["records"] == 2


def test_the_migrations_go_down_and_up_again(tmp_path: Path) -> None:
    path = tmp_path / "ed.db"
    db = open_database(f"sqlite:///{path}")
    try:
        ensure_schema(db)
        cfg = alembic_config()
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "base")
        assert tables(path) - {"sqlite_sequence"} == {"alembic_version"}
        ensure_schema(db)
        assert current_revision(db) == HEAD
    finally:
        db.dispose()
    assert "events" in tables(path)


# --- versions this code does not know --------------------------------------------------------
def test_a_newer_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "ed.db"
    populated(path)
    set_revision(path, "9999")
    before = digest(path)
    with pytest.raises(DatabaseProblem) as exc:
        Service.open(f"sqlite:///{path}", USER)
    assert exc.value.exit_code == 2
    assert f"newer ethicsdesk (schema 9999; this version knows up to {HEAD})" in exc.value.message
    db = open_database(f"sqlite:///{path}")
    try:
        with pytest.raises(DatabaseProblem, match="newer"):
            upgrade(db)
    finally:
        db.dispose()
    assert digest(path) == before
    assert not list(tmp_path.glob("*.bak.db"))


def test_a_foreign_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "theirs.db"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE invoices (n)")
    raw.commit()
    raw.close()
    before = digest(path)
    with pytest.raises(DatabaseProblem, match="holds other tables and is not an ethicsdesk database"):
        Service.open(f"sqlite:///{path}", USER)
    assert digest(path) == before
    assert tables(path) == {"invoices"}


def make_older(path: Path) -> str:
    """Take a database at the head back one revision with the real migrations; returns that revision."""
    if len(REVISIONS) < 2:
        pytest.skip("only one schema revision exists, so no database can be older")
    older = REVISIONS[-2]
    db = open_database(f"sqlite:///{path}")
    try:
        cfg = alembic_config()
        with db.engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, older)
        assert current_revision(db) == older
    finally:
        db.dispose()
    return older


def test_an_older_database_is_backed_up_before_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "ed.db"
    ids = populated(path)
    older = make_older(path)
    db = open_database(f"sqlite:///{path}")
    try:
        saved = upgrade(db)
        assert current_revision(db) == HEAD
    finally:
        db.dispose()
    assert saved is not None
    assert saved.parent == tmp_path
    assert saved.name.startswith(f"ed.{older}.") and saved.name.endswith(".bak.db")
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    raw = sqlite3.connect(saved)
    try:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (older,)
        assert {r[0] for r in raw.execute("SELECT id FROM records")} == set(ids)
    finally:
        raw.close()
    service = Service.open(f"sqlite:///{path}", USER)
    try:
        assert service.integrity.verify() == (2, [])
        assert service.record(ids[0]).text["outcome"] == "The scarf was accepted."
    finally:
        service.close()


def test_opening_an_older_sqlite_file_upgrades_it_after_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "ed.db"
    ids = populated(path)
    older = make_older(path)
    service = Service.open(f"sqlite:///{path}", USER)
    try:
        assert service.integrity.verify() == (2, [])
        assert {r.id for r in service.list_records()} == set(ids)
    finally:
        service.close()
    assert len(list(tmp_path.glob(f"ed.{older}.*.bak.db"))) == 1
    db = open_database(f"sqlite:///{path}")
    try:
        assert current_revision(db) == HEAD
    finally:
        db.dispose()


def test_an_older_server_database_waits_for_db_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "ed.db"
    populated(path)
    older = make_older(path)
    before = sqlite_dump(path)
    db = open_database(f"sqlite:///{path}")
    try:
        with pytest.raises(
            DatabaseProblem, match=f"has schema {older}; run 'ethicsdesk db upgrade' to bring it to {HEAD}"
        ):
            ensure_schema(db, upgrade_older=False)
        assert current_revision(db) == older
    finally:
        db.dispose()
    assert sqlite_dump(path) == before
    assert not list(tmp_path.glob("*.bak.db"))


# --- backups ----------------------------------------------------------------------------------
def test_a_backup_is_a_consistent_private_copy(service: Service, tmp_path: Path) -> None:
    ids = service.importing.import_files([DILEMMAS / "gift-from-family.toml"])
    service.editing.score(ids[0], "accept-both", "equity", -1)  # still in the WAL, not yet in the main file
    target = tmp_path / "copy.db"
    backup(service.db, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    copy = Service.open(f"sqlite:///{target}", USER)
    try:
        assert copy.record(ids[0]).scores[("accept-both", "equity")] == -1
        assert copy.head(ids[0]) == service.head(ids[0])
        assert copy.integrity.verify() == (1, [])
    finally:
        copy.close()


def test_a_backup_never_overwrites(service: Service, tmp_path: Path) -> None:
    target = tmp_path / "copy.db"
    target.write_text("keep me")
    with pytest.raises(BadInput, match="already exists; choose a new file"):
        backup(service.db, target)
    assert target.read_text() == "keep me"


def test_a_backup_into_a_missing_folder_is_refused(service: Service, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="does not exist"):
        backup(service.db, tmp_path / "nowhere" / "copy.db")
    assert not (tmp_path / "nowhere").exists()
