"""The service's spine: opening a database through SQLAlchemy (every database, every operation).

The record operations are in service/records.py, shared with the light service; this class runs
them in SQLAlchemy sessions and adds the one way a record's content changes (`_change`): one
transaction that locks the record's chain, applies the event to the current state (which validates
it), appends the event with its hash and rewrites the current-state tables. If anything fails,
nothing of it is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session

from ethicsdesk.domain.events.kind import Draft
from ethicsdesk.domain.fold import apply
from ethicsdesk.domain.record import DomainError, RecordState
from ethicsdesk.errors import BadInput, DatabaseProblem, EditConflict, EthicsdeskError
from ethicsdesk.service.records import (
    FROZEN_ALLOWED,
    ID_ALPHABET,
    ID_LENGTH,
    MIN_PREFIX,
    Clock,
    RecordAccess,
    applied,
    new_record_id,
    now,
)
from ethicsdesk.settings import User
from ethicsdesk.store import eventlog
from ethicsdesk.store.dbapi import Rows, SessionRows
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

    # --- the one way to change a record ---------------------------------------------------------
    def _change(
        self,
        record_id: str,
        draft: Draft,
        *,
        expect_head: str | None = None,
        check: Callable[[RecordState, RecordState], None] | None = None,
        create: bool = False,
        follow: Callable[[RecordState], Draft | None] | None = None,
    ) -> RecordState:
        """Apply one event (`draft`: its kind's `new`, as `FIELD_SET.new({...})`) to a record in one
        transaction, or change nothing and say why.

        `follow(after)` may name a second event that the first makes due, logged after it in the same
        transaction, so that a crash between the two never leaves one without the other.

        `check(before, after)` validates against the record's framework and catalogue;
        `expect_head` refuses the change if someone else changed the record since it was read.
        A change that alters nothing is not logged. (An event that never alters the content, an
        export, is `_log_unchanged`, which any service can make.)
        """
        with self._changing() as tx:
            before, probe, after, head_hash = self._applying(tx, record_id, draft, expect_head, create)
            seen = self._expectations.seen
            if seen is not None and not create and seen.events < before.events:
                _refuse_overlap(tx, seen, before, after)
            if check is not None:
                check(before, after)
            if not create and _unchanged(before, after):
                return before  # saving what is already saved adds nothing to the log
            if create:
                # the record row must exist before the event that refers to it
                self._write_projection(tx, after, head_hash, self._step(after))
            new_head = eventlog.append(tx, probe, self.user.role, head_hash)
            self._write_projection(tx, after, new_head, self._step(after), before)
            due = follow(after) if follow is not None else None
            if due is not None:
                after, new_head = self._append_after(tx, after, new_head, due)
        self._committed(after, new_head)
        return after

    def _append_after(
        self, tx: SessionRows, state: RecordState, head_hash: str, draft: Draft
    ) -> tuple[RecordState, str]:
        """Log one more event on a record already locked and changed in `tx`: the state and head after it."""
        event = draft.as_event(state.id, state.events + 1, self.user.name, self.clock.now())
        after = applied(state, event)
        new_head = eventlog.append(tx, event, self.user.role, head_hash)
        self._write_projection(tx, after, new_head, self._step(after), state)
        return after, new_head

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


_VOLATILE = ("events", "updated_at", "updated_by")


def _unchanged(before: RecordState, after: RecordState) -> bool:
    a, b = before.snapshot(), after.snapshot()
    return all(a[k] == b[k] for k in a if k not in _VOLATILE)


def _refuse_overlap(tx: Rows, seen: RecordState, before: RecordState, after: RecordState) -> None:
    """Raise `EditConflict` if the change `before` -> `after` overwrites a part someone else changed
    after `seen` was read; name who changed it last and when, from the log."""
    from ethicsdesk.domain.parts import changed_parts, conflicting_parts, describe_part

    clash = conflicting_parts(seen, before, after)
    if not clash:
        return
    by, at, state = "someone else", "", seen
    for row in eventlog.read(tx, before.id):
        if row.seq <= seen.events:
            continue
        event = eventlog.to_event(row)
        try:
            nxt = apply(state, event)
        except DomainError:
            break  # `seen` was not a state of this log (a replay): the head's author is the best guess
        if changed_parts(state, nxt) & clash:
            by, at = event.actor, event.at
        state = nxt
    if by == "someone else":
        by, at = before.updated_by or by, before.updated_at
    what = describe_part(sorted(clash)[0])
    when = f" at {at[11:16]} UTC" if len(at) >= 16 else ""
    raise EditConflict(
        f"{by} changed {what}{when} after you started editing it; your version is not saved yet "
        "and nothing was overwritten.",
        by,
        at,
        frozenset(clash),
    )
