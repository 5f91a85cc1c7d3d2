"""Schema versions: create a new database, refuse a newer one, upgrade an older one after a backup.

Checking the version reads one row of `alembic_version`, so an ordinary start never imports alembic
(about 100 ms); alembic is loaded only to create or upgrade.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from ethicsdesk.errors import BadInput, DatabaseProblem
from ethicsdesk.store.engine import Database, describe, first_line

# Every revision this code knows, oldest first. tests/store/test_schema.py checks this against the
# revision files, so a new migration cannot be forgotten here.
REVISIONS = ("0001", "0002", "0003", "0004", "0005")
HEAD = REVISIONS[-1]
MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def current_revision(db: Database) -> str | None:
    """The database's revision; None for an empty database."""
    try:
        with db.engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            if "alembic_version" not in tables:
                if tables - {"sqlite_sequence"}:
                    raise DatabaseProblem(
                        f"The database {describe(db.url)} holds other tables and is not an ethicsdesk database."
                    )
                return None
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    except DBAPIError as exc:
        raise DatabaseProblem(f"The database {describe(db.url)} cannot be read: {first_line(exc)}.") from None
    return row[0] if row else None


def _alembic_upgrade(db: Database) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


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
            _alembic_upgrade(db)
        except DBAPIError as exc:
            raise DatabaseProblem(f"The database {describe(db.url)} cannot be set up: {first_line(exc)}.") from None
        return
    if rev not in REVISIONS:
        raise DatabaseProblem(
            f"The database {describe(db.url)} was written by a newer ethicsdesk (schema {rev}; "
            f"this version knows up to {HEAD}): upgrade ethicsdesk to open it."
        )
    if upgrade_older is None:
        upgrade_older = db.is_sqlite
    if not upgrade_older:
        raise DatabaseProblem(
            f"The database {describe(db.url)} has schema {rev}; run 'ethicsdesk db upgrade' to bring it to {HEAD}."
        )
    upgrade(db)


def upgrade(db: Database) -> Path | None:
    """Bring the database to the head; a SQLite file is backed up first. Returns the backup path."""
    rev = current_revision(db)
    if rev is not None and rev not in REVISIONS:
        ensure_schema(db)  # raises the "newer" message
    backup_path = None
    if rev not in (None, HEAD) and db.path is not None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup_path = db.path.with_name(f"{db.path.stem}.{rev}.{stamp}.bak.db")
        backup(db, backup_path)
    if rev != HEAD:
        _alembic_upgrade(db)
    return backup_path


def backup(db: Database, target: Path) -> None:
    """A consistent copy of a SQLite database, made by SQLite itself (never a file copy)."""
    if not db.is_sqlite:
        raise BadInput("Back up a PostgreSQL database with the server's own tools (pg_dump).")
    target = target.expanduser()
    if target.exists():
        raise BadInput(f"{target} already exists; choose a new file for the backup.")
    if not target.parent.is_dir():
        raise BadInput(f"The folder {target.parent} does not exist.")
    try:
        # VACUUM INTO writes a clean copy in one transaction; create the file 0600 first so the copy
        # of confidential records is no more readable than the original.
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        raw = db.engine.raw_connection()  # outside SQLAlchemy's transaction: VACUUM refuses one
        try:
            raw.driver_connection.execute("VACUUM INTO ?", (str(target),))  # type: ignore[union-attr]
        finally:
            raw.close()
    except (OSError, DBAPIError) as exc:
        target.unlink(missing_ok=True)
        msg = exc.strerror if isinstance(exc, OSError) else first_line(exc)
        raise DatabaseProblem(f"The backup to {target} failed: {msg}.") from None
