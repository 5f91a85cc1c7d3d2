"""Opening a database: the SQLite file is private, in WAL mode with foreign keys on, writes take the
lock up front, and a file that cannot be used is refused in one sentence and left as it was."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from ethicsdesk.errors import DatabaseProblem
from ethicsdesk.service import Service
from ethicsdesk.settings import User
from ethicsdesk.store.engine import BUSY_TIMEOUT_MS, describe, first_line, open_database

# Tests of the SQLite file itself (raw sqlite3, pragmas, triggers, VACUUM INTO): not for PostgreSQL.
pytestmark = pytest.mark.sqlite_only

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "ed.db"
    db = open_database(f"sqlite:///{path}")
    try:
        assert db.path == path
        assert db.is_sqlite
        assert mode(path) == 0o600
        with db.writing() as s:
            s.execute(text("CREATE TABLE t (x)"))
            s.execute(text("INSERT INTO t VALUES (1)"))
        wal = path.with_name(path.name + "-wal")
        shm = path.with_name(path.name + "-shm")
        assert wal.exists() and shm.exists()
        assert mode(wal) == 0o600
        assert mode(shm) == 0o600
    finally:
        db.dispose()


def test_every_connection_has_the_pragmas(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'ed.db'}")
    try:
        for _ in range(2):  # two connections from the pool, not one
            with db.engine.connect() as conn:
                pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
                assert pragma("journal_mode") == "wal"
                assert pragma("foreign_keys") == 1
                assert pragma("synchronous") == 2  # FULL
                assert pragma("busy_timeout") == BUSY_TIMEOUT_MS
            db.engine.dispose()
    finally:
        db.dispose()


def test_a_service_database_is_0600_wal_with_foreign_keys(service: Service, tmp_path: Path) -> None:
    path = tmp_path / "test.db"
    service.editing.create_record("Anything")
    assert mode(path) == 0o600
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        raw.close()
    with service.db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_write_takes_the_lock_at_begin(tmp_path: Path) -> None:
    """BEGIN IMMEDIATE: a second writer is refused at its own BEGIN, not later at its first write."""
    path = tmp_path / "ed.db"
    db = open_database(f"sqlite:///{path}")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with db.writing() as s:
            s.execute(text("SELECT 1"))  # only a read so far
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # free again after the commit
        other.execute("ROLLBACK")
        with db.reading() as s:
            s.execute(text("SELECT 1"))
            other.execute("BEGIN IMMEDIATE")  # a read does not hold the write lock
            other.execute("ROLLBACK")
    finally:
        other.close()
        db.dispose()


def test_a_failed_unit_of_work_is_rolled_back(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'ed.db'}")
    try:
        with db.writing() as s:
            s.execute(text("CREATE TABLE t (x)"))
        with pytest.raises(RuntimeError), db.writing() as s:
            s.execute(text("INSERT INTO t VALUES (1)"))
            raise RuntimeError("boom")
        with db.reading() as s:
            assert s.execute(text("SELECT count(*) FROM t")).scalar() == 0
    finally:
        db.dispose()


def test_an_in_memory_database_has_no_path() -> None:
    db = open_database("sqlite://")
    try:
        assert db.path is None
        with db.writing() as s:
            s.execute(text("CREATE TABLE t (x)"))
        with db.reading() as s:  # the same connection: the table is still there
            assert s.execute(text("SELECT count(*) FROM t")).scalar() == 0
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("not a url", "is not a database URL"),
        ("mysql://u@localhost/ed", "works with SQLite or PostgreSQL, not 'mysql'"),
    ],
)
def test_a_url_that_cannot_be_used_is_refused(url: str, words: str) -> None:
    with pytest.raises(DatabaseProblem, match=words) as exc:
        open_database(url)
    assert exc.value.exit_code == 2


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseProblem, match="is a directory, not a database file"):
        open_database(f"sqlite:///{tmp_path}")


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"Dear diary, " * 500)
    before = digest(path)
    with pytest.raises(DatabaseProblem, match="is not an ethicsdesk database \\(it is not an SQLite file\\)"):
        open_database(f"sqlite:///{path}")
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_a_corrupt_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    good = tmp_path / "good.db"
    raw = sqlite3.connect(good)
    raw.execute("CREATE TABLE t (x)")
    raw.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 50)
    raw.commit()
    raw.close()
    data = good.read_bytes()
    bad = tmp_path / "bad.db"
    bad.write_bytes(data[:100] + b"\xff" * 4000 + data[4100:])  # keep the header, wreck the schema page
    before = digest(bad)
    with pytest.raises(DatabaseProblem, match="cannot be opened: database disk image is malformed") as exc:
        open_database(f"sqlite:///{bad}")
    assert exc.value.exit_code == 2
    assert digest(bad) == before


def test_a_foreign_sqlite_database_keeps_its_journal_mode(tmp_path: Path) -> None:
    """Opening someone else's SQLite file by mistake must not switch it to WAL (a lasting change)."""
    path = tmp_path / "theirs.db"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE patients (name)")
    raw.commit()
    raw.close()
    before = digest(path)
    db = open_database(f"sqlite:///{path}")
    db.dispose()
    assert digest(path) == before
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        raw.close()


def test_a_file_that_cannot_be_created_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(DatabaseProblem, match="cannot be"):
        open_database(f"sqlite:///{blocker / 'ed.db'}")
    assert blocker.read_text() == ""


def test_an_unwritable_database_refuses_changes_in_one_sentence_and_keeps_them(tmp_path: Path) -> None:
    """The root-proof way to get an unwritable database: SQLite's own read-only mode."""
    path = tmp_path / "ed.db"
    writer = Service.open(f"sqlite:///{path}", _user())
    rid = writer.editing.create_record("Before")
    writer.close()
    before = digest(path)
    service = Service.open(f"sqlite:///file:{path}?mode=ro&uri=true", _user())
    try:
        assert [r.id for r in service.list_records()] == [rid]  # reading still works
        attempts = [
            lambda: service.editing.set_text(rid, "facts", "after"),
            lambda: service.editing.create_record("Another"),
            lambda: service.importing.import_files([DILEMMAS / "gift-from-family.toml"]),
            lambda: service.editing.save_cursor(rid, "weigh"),
        ]
        for attempt in attempts:
            with pytest.raises(DatabaseProblem, match="attempt to write a readonly database") as exc:
                attempt()
            assert exc.value.exit_code == 2
            assert "\n" not in exc.value.message
        assert service.record(rid).text.get("facts") is None
        assert service.integrity.verify() == (1, [])
    finally:
        service.close()
    assert digest(path) == before


def test_describe_hides_the_password() -> None:
    shown = describe("postgresql+psycopg://ed:s3cret@db.example/ethics")
    assert "s3cret" not in shown
    assert "db.example/ethics" in shown
    assert describe("::not a url::") == "::not a url::"


def test_a_password_holding_url_characters_reaches_the_server_whole(pg_url: str) -> None:
    """SQLAlchemy ends the password at its first `@` and gives the rest to the host,
    which the driver then names in its error; the credentials are what stands before the last `@`."""
    import os

    import psycopg

    from tests.conftest import PG_SERVER

    password = "Qz1/Qz2?Qz3#Qz4@Qz5"
    role = f"ethicsdesk_pw_{os.getpid()}"
    admin = PG_SERVER.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    server, _, name = pg_url.rpartition("/")
    host = server.rpartition("@")[2]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP ROLE IF EXISTS "{role}"')
        conn.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{password}'")
    try:
        for _ in range(2):  # and again: nothing of the first is kept that spoils the second
            database = open_database(f"postgresql+psycopg://{role}:{password}@{host}/{name}")
            with database.engine.connect() as conn:
                assert conn.execute(text("SELECT current_user")).scalar() == role
            database.dispose()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_first_line_keeps_the_drivers_words_only() -> None:
    class Wrapped(Exception):
        orig = sqlite3.OperationalError("database is locked.\n[SQL: SELECT 1]\n(Background on this error at ...)")

    assert first_line(Wrapped()) == "database is locked"
    assert first_line(ValueError("")) == "ValueError"


def _user() -> User:

    return User("Robin Ashdown", "case manager")


def test_a_missing_folder_is_refused_and_nothing_is_made(tmp_path: Path) -> None:
    """A misspelt folder in --db once made a new, empty database without a word."""
    path = tmp_path / "agnecy" / "ed.db"
    with pytest.raises(DatabaseProblem, match=r"The folder .*agnecy does not exist; no database was created"):
        open_database(f"sqlite:///{path}")
    assert not path.parent.exists()


def test_a_new_file_is_announced_and_an_existing_one_is_not(tmp_path: Path) -> None:
    from ethicsdesk.store.new_files import announce_new_files

    heard: list[Path] = []
    announce_new_files(heard.append)
    try:
        for _ in range(2):
            open_database(f"sqlite:///{tmp_path / 'ed.db'}").dispose()
    finally:
        announce_new_files(None)
    assert heard == [tmp_path / "ed.db"]


def test_the_default_folder_is_made_private(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ethicsdesk.settings import default_db_url

    home = isolated_home / "not" / "yet"
    monkeypatch.setenv("ETHICSDESK_HOME", str(home))
    url = default_db_url()
    assert url == f"sqlite:///{home / 'ethicsdesk.db'}"
    assert mode(home) == 0o700

