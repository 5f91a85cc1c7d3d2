"""Schema versions: create a new database, refuse a newer one, upgrade an older one after a backup.

Checking the version reads one row of `alembic_version`, so an ordinary start never imports alembic
(about 100 ms); alembic is loaded only to create or upgrade.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from ethicsdesk.errors import BadInput, DatabaseProblem
from ethicsdesk.store.dbapi import SessionRows
from ethicsdesk.store.engine import WRITE_OPTION, Database, describe, first_line
from ethicsdesk.store.revision import HEAD, REVISIONS, read_revision

__all__ = ["HEAD", "REVISIONS", "backup", "current_revision", "ensure_schema", "upgrade"]
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


# pg_advisory_xact_lock key of schema changes ("ethic" in ASCII): two processes that meet a new or an
# older database at once take turns, and the second finds the work done.
SCHEMA_LOCK_KEY = 0x6574686963


def current_revision(db: Database) -> str | None:
    """The database's revision; None for an empty database."""
    try:
        with db.engine.connect() as conn:
            return _revision(conn, db)
    except DBAPIError as exc:
        raise DatabaseProblem(f"The database {describe(db.url)} cannot be read: {first_line(exc)}.") from None


def _revision(conn: Connection, db: Database) -> str | None:
    tables = set(inspect(conn).get_table_names())
    if "alembic_version" not in tables:
        if tables - {"sqlite_sequence"}:
            raise DatabaseProblem(
                f"The database {describe(db.url)} holds other tables and is not an ethicsdesk database."
            )
        return None
    return read_revision(SessionRows(conn))


@contextmanager
def _schema_lock(db: Database) -> Iterator[Connection]:
    """A writing transaction that no other process can share while the schema is made or changed:
    BEGIN IMMEDIATE on SQLite (a deferred BEGIN let two new-database openers deadlock into "database
    is locked"), a transaction-scoped advisory lock on PostgreSQL. Committed on success."""
    with db.engine.execution_options(**{WRITE_OPTION: True}).begin() as conn:
        if not db.is_sqlite:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        yield conn


def _alembic_upgrade(conn: Connection) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn  # already in the locked transaction: alembic joins it
    command.upgrade(cfg, "head")


def _newer(db: Database, rev: str) -> DatabaseProblem:
    return DatabaseProblem(
        f"The database {describe(db.url)} was written by a newer ethicsdesk (schema {rev}; "
        f"this version knows up to {HEAD}): upgrade ethicsdesk to open it."
    )


def ensure_schema(db: Database, upgrade_older: bool | None = None) -> None:
    """Make the database ready for this code, or say in one sentence why it cannot be.

    A new database is created at the head. An older SQLite file is backed up and upgraded (it is one
    user's file); an older server database waits for `ethicsdesk db upgrade`, run by whoever looks
    after it, unless `upgrade_older` says otherwise.
    """
    rev = current_revision(db)
    if rev == HEAD:
        return
    if rev is None:
        try:
            with _schema_lock(db) as conn:
                rev = _revision(conn, db)  # another process may have made it while this one waited
                if rev is None:
                    _alembic_upgrade(conn)
                    return
        except DBAPIError as exc:
            raise DatabaseProblem(f"The database {describe(db.url)} cannot be set up: {first_line(exc)}.") from None
        if rev == HEAD:
            return
    if rev not in REVISIONS:
        raise _newer(db, rev)
    if upgrade_older is None:
        upgrade_older = db.is_sqlite
    if not upgrade_older:
        raise DatabaseProblem(
            f"The database {describe(db.url)} has schema {rev}; run 'ethicsdesk db upgrade' to bring it to {HEAD}."
        )
    upgrade(db)


def upgrade(db: Database) -> Path | None:
    """Bring the database to the head; a SQLite file is backed up first. Returns the backup path.
    Done under the schema lock, re-reading the revision inside it: of two processes upgrading at
    once, the second finds the work done (and makes no second backup)."""
    rev = current_revision(db)
    if rev is not None and rev not in REVISIONS:
        raise _newer(db, rev)
    if rev == HEAD:
        return None
    backup_path = None
    try:
        with _schema_lock(db) as conn:
            rev = _revision(conn, db)
            if rev == HEAD:
                return None
            if rev is not None and db.path is not None:
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
                backup_path = db.path.with_name(f"{db.path.stem}.{rev}.{stamp}.bak.db")
                backup(db, backup_path)  # another connection: a reader, which the lock lets through
            _alembic_upgrade(conn)
    except DBAPIError as exc:
        raise DatabaseProblem(f"The database {describe(db.url)} cannot be upgraded: {first_line(exc)}.") from None
    return backup_path


def backup(db: Database, target: Path) -> None:
    """A consistent copy of a SQLite database, made by SQLite itself (never a file copy), under a
    temporary name that becomes `target` only once the copy is whole: a killed backup leaves nothing
    at `target` (it read as an "encrypted" file before), and running it again works."""
    from ethicsdesk.store.durable_files import check_target, database_files, publish, staged

    if not db.is_sqlite:
        raise BadInput("Back up a PostgreSQL database with the server's own tools (pg_dump).")
    target = target.expanduser()
    try:
        # never over anything: a device, a FIFO or a folder is named as what it is
        check_target(target, replace=False, protected=database_files(db.path))
        # staged() makes the temporary file empty and 0600, so the copy of confidential records is
        # no more readable than the original; VACUUM INTO accepts an empty file.
        with staged(target) as tmp:
            raw = db.engine.raw_connection()  # outside SQLAlchemy's transaction: VACUUM refuses one
            try:
                # SQLAlchemy types driver_connection as Optional: it is None only once the connection is closed
                raw.driver_connection.execute("VACUUM INTO ?", (str(tmp),))  # type: ignore[union-attr]
            finally:
                raw.close()
            with tmp.open("rb+") as f:
                os.fsync(f.fileno())
            publish(tmp, target, replace=False)
    except FileExistsError:
        raise BadInput(f"{target} already exists; choose a new file for the backup.") from None
    except (OSError, DBAPIError) as exc:
        msg = exc.strerror if isinstance(exc, OSError) else first_line(exc)
        raise DatabaseProblem(f"The backup to {target} failed: {msg}.") from None
