"""The service's spine: opening a database through SQLAlchemy (every database, every operation).

The record operations and the one way a record changes (`_change`) are in service/records.py,
shared with the light service; this class runs them in SQLAlchemy sessions and rewrites the
projection when a record's content changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session

from ethicsdesk.domain.record import RecordState
from ethicsdesk.errors import BadInput, DatabaseProblem, EthicsdeskError
from ethicsdesk.service.records import (
    FROZEN_ALLOWED,
    ID_ALPHABET,
    ID_LENGTH,
    MIN_PREFIX,
    Clock,
    RecordAccess,
    new_record_id,
    now,
)
from ethicsdesk.settings import User
from ethicsdesk.store.dbapi import SessionRows
from ethicsdesk.store.engine import Database, first_line, open_database
from ethicsdesk.store.projection import write_changes, write_projection
from ethicsdesk.store.schema import ensure_schema

__all__ = ["FROZEN_ALLOWED", "ID_ALPHABET", "ID_LENGTH", "MIN_PREFIX", "Clock", "ServiceCore", "new_record_id", "now"]


class ServiceCore(RecordAccess[SessionRows]):
    _refused = (IntegrityError,)
    _failed = (DBAPIError,)

    def __init__(self, db: Database, user: User, clock: Clock | None = None) -> None:
        super().__init__(user, clock)
        self.db = db

    @classmethod
    def open(cls, url: str, user: User, clock: Clock | None = None, *, create: bool = True) -> Self:
        """The service on `url`; a SQLite file that is not there is made only when `create`."""
        db = open_database(url, create=create)
        try:
            ensure_schema(db)
        except BaseException:
            db.dispose()
            raise
        return cls(db, user, clock)

    def close(self) -> None:
        """Close every connection: SQLite then folds the -wal into the .db file."""
        self.db.dispose()

    def _database_path(self) -> Path | None:
        return self.db.path

    # --- where the record operations run ----------------------------------------------------------
    @contextmanager
    def _reads(self) -> Iterator[SessionRows]:
        with self._reading() as s:
            yield SessionRows(s)

    @contextmanager
    def _writes(self) -> Iterator[SessionRows]:
        with self.db.writing() as s:
            yield SessionRows(s)

    def _write_projection(
        self, tx: SessionRows, state: RecordState, head_hash: str, step: str, before: RecordState | None = None
    ) -> None:
        if before is None:
            write_projection(tx.source, state, head_hash, step)
        else:
            write_changes(tx.source, before, state, head_hash, step)

    # --- sessions -------------------------------------------------------------------------------
    @contextmanager
    def _reading(self) -> Iterator[Session]:
        """A read session whose driver errors become one sentence for the user."""
        try:
            with self.db.reading() as s:
                yield s
        except DBAPIError as exc:
            raise DatabaseProblem(f"The database cannot be read: {first_line(exc)}.") from None

    @contextmanager
    def _administering(
        self, refused: str, failed: str, refusal: type[EthicsdeskError] = BadInput
    ) -> Iterator[Session]:
        """A write that only the administrator role may make on PostgreSQL (grants by `db init`): the
        server's refusal becomes `refused` (a `refusal`), any other failure `failed: <the driver's
        first line>.`, one sentence each."""
        try:
            with self.db.writing() as s:
                yield s
        except DBAPIError as exc:
            if "permission denied" in str(exc.orig):
                raise refusal(refused) from None
            raise DatabaseProblem(f"{failed}: {first_line(exc)}.") from None
