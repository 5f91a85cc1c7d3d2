"""The light service: the record operations of `RecordAccess` (records.py) on an existing SQLite file
at the current schema, through the standard library's sqlite3, and `open_records`, which the everyday
commands (show, list, export) use so that they never import SQLAlchemy, SQLModel or alembic.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Self

from ethicsdesk.errors import DatabaseProblem
from ethicsdesk.service.records import RecordAccess
from ethicsdesk.settings import User
from ethicsdesk.store.dbapi import (
    SQLITE_HEADER,
    DriverRows,
    begin_immediate,
    connect_sqlite,
    first_line,
    hold,
    plain_sqlite_file,
    release,
)
from ethicsdesk.store.revision import HEAD, read_revision


class LightService(RecordAccess[DriverRows]):
    """The record operations on an existing SQLite file at the current schema, through sqlite3.

    It changes a record only by events that leave its content as it is (an export, which any
    `RecordAccess` logs): a change of content is the full service's (`ServiceCore._change`), which
    rewrites the current-state tables this one cannot."""

    _refused = (sqlite3.IntegrityError,)
    _failed = (sqlite3.Error,)

    def __init__(self, conn: sqlite3.Connection, user: User, path: Path, held: tuple[int, int]) -> None:
        super().__init__(user)
        self.conn = conn
        self.path = path
        self._held: tuple[int, int] | None = held

    @classmethod
    def open(cls, url: str, user: User) -> Self | None:
        """The light service, or None when the full one must open this database (a new, encrypted,
        older or newer file, a server, anything unusual: it also says what is wrong)."""
        path = plain_sqlite_file(url)
        if path is None:
            return None
        held = hold(path, SQLITE_HEADER)  # its header is not read again while open (store/dbapi.py)
        try:
            conn = connect_sqlite(path)
        except sqlite3.Error:
            release(held)
            return None
        try:
            if _at_head(conn):
                return cls(conn, user, path, held)
        except sqlite3.Error:
            pass
        conn.close()
        release(held)
        return None

    def _database_path(self) -> Path | None:
        return self.path

    def close(self) -> None:
        # Closing the last connection checkpoints the WAL into the file: a copy of the .db alone is whole.
        self.conn.close()
        if self._held is not None:
            release(self._held)
            self._held = None

    @contextmanager
    def _transaction(self, begin: str, failure: str) -> Iterator[DriverRows]:
        try:
            if begin == "BEGIN IMMEDIATE":
                begin_immediate(self.conn.execute)  # the write lock, tried often (store/dbapi.py)
            else:
                self.conn.execute(begin)
        except sqlite3.Error as exc:
            raise DatabaseProblem(f"{failure}: {first_line(exc)}.") from None
        try:
            yield DriverRows(self.conn)
        except BaseException:
            if self.conn.in_transaction:  # SQLite may have rolled back already (a full disk, say)
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _reads(self) -> AbstractContextManager[DriverRows]:
        return self._guarded(self._transaction("BEGIN", "The database cannot be read"))

    def _writes(self) -> AbstractContextManager[DriverRows]:
        return self._transaction("BEGIN IMMEDIATE", "The change could not be saved")

    @contextmanager
    def _guarded(self, inner: AbstractContextManager[DriverRows]) -> Iterator[DriverRows]:
        try:
            with inner as rows:
                yield rows
        except sqlite3.Error as exc:
            raise DatabaseProblem(f"The database cannot be read: {first_line(exc)}.") from None


def _at_head(conn: sqlite3.Connection) -> bool:
    tables = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
    return tables.fetchone() is not None and read_revision(DriverRows(conn)) == HEAD


def light_service_may_open(url: str) -> bool:
    """Whether `url` is a plain SQLite file, which the light service can try (not a server, and not an
    encrypted file, whose passphrase only the full service's path asks for)."""
    return plain_sqlite_file(url) is not None


def open_records(url: str | None = None) -> RecordAccess:
    """The record operations on the database at `url` (default: `ETHICSDESK_DB`, then the embedded
    file): light where it can be, else the full service. Use it as a context manager: closing it
    before the process exits leaves the SQLite file whole (no data only in -wal). These operations
    read (an export logs itself in an existing record), so no database but the default is made."""
    from ethicsdesk.settings import acting_user, database_url

    light = LightService.open(database_url(url), acting_user())
    if light is not None:
        return light
    from ethicsdesk.service import open_service

    return open_service(url, reading=True)
