"""The service's spine: opening a database, finding records, and the one way a record changes.

Every change is `_change`: one transaction that locks the record's chain, applies the event to the
current state (which validates it), appends the event with its hash and rewrites the projection.
If anything fails, nothing of it is written.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session

from ethicsdesk.domain.frameworks import Framework
from ethicsdesk.domain.obligations import Catalogue
from ethicsdesk.domain.record import DomainError, Event, RecordState, apply
from ethicsdesk.domain.walk import step_reached
from ethicsdesk.errors import BadInput, Conflict, DatabaseProblem, EditConflict, NotFound
from ethicsdesk.settings import User
from ethicsdesk.store import eventlog, queries
from ethicsdesk.store.engine import Database, first_line, open_database
from ethicsdesk.store.projection import read_projection, write_projection
from ethicsdesk.store.schema import ensure_schema

ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/i/l: ids are read aloud and typed
ID_LENGTH = 10
MIN_PREFIX = 4


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def new_record_id() -> str:
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


_VOLATILE = ("events", "updated_at", "updated_by")
FROZEN_ALLOWED = frozenset({"addendum.added", "record.exported"})


def _unchanged(before: RecordState, after: RecordState) -> bool:
    a, b = before.snapshot(), after.snapshot()
    return all(a[k] == b[k] for k in a if k not in _VOLATILE)


class _Expectations(threading.local):
    """What a caller expects of the record it changes, per thread: a screen saves from a worker
    thread while its UI thread reads, and one thread's expectation must not hold another's change."""

    head: str | None = None
    seen: RecordState | None = None


class ServiceCore:
    def __init__(self, db: Database, user: User) -> None:
        self.db = db
        self.user = user
        self._expectations = _Expectations()

    @property
    def _expect_head(self) -> str | None:
        return self._expectations.head

    @contextmanager
    def expecting(self, head: str | None) -> Iterator[None]:
        """Changes made inside are refused if the record's head is no longer `head` (someone else
        changed it since the caller read it). For what must match exactly what was shown (signing);
        an editor uses `expecting_since`, which only a change to the same part refuses."""
        previous, self._expectations.head = self._expectations.head, head
        try:
            yield
        finally:
            self._expectations.head = previous

    @contextmanager
    def expecting_since(self, seen: RecordState | None) -> Iterator[None]:
        """Changes made inside are refused (`EditConflict`) only if a part of the record they change
        was changed by someone else after the caller read `seen`. An export, a cursor move, or a
        change to another field since then does not refuse them (domain/parts.py)."""
        previous, self._expectations.seen = self._expectations.seen, seen
        try:
            yield
        finally:
            self._expectations.seen = previous

    @classmethod
    def open(cls, url: str, user: User) -> ServiceCore:
        db = open_database(url)
        try:
            ensure_schema(db)
        except BaseException:
            db.dispose()
            raise
        return cls(db, user)

    def close(self) -> None:
        self.db.dispose()

    # --- knowledge -----------------------------------------------------------------------------
    def framework(self, framework_id: str = "ccmc") -> Framework:
        from ethicsdesk.knowledge import load_framework

        return load_framework(framework_id)

    def catalogue(self) -> Catalogue:
        from ethicsdesk.knowledge import load_catalogue

        return load_catalogue()

    def framework_of(self, state: RecordState) -> Framework:
        return self.framework(state.framework)

    # --- finding records -----------------------------------------------------------------------
    def resolve(self, ref: str) -> str:
        """A full id or an unambiguous prefix of at least four characters."""
        ref = ref.strip().lower()
        with self._reading() as s:
            if queries.summary(s, ref) is not None:
                return ref
            if len(ref) >= MIN_PREFIX:
                found = queries.ids_with_prefix(s, ref)
                if len(found) == 1:
                    return found[0]
                if len(found) > 1:
                    raise BadInput(f"'{ref}' matches more than one record; type more of the id.")
        raise NotFound(f"There is no record '{ref}' (see 'ethicsdesk list').")

    def record(self, record_id: str) -> RecordState:
        with self._reading() as s:
            found = read_projection(s, record_id)
        if found is None:
            raise NotFound(f"There is no record '{record_id}' (see 'ethicsdesk list').")
        return found[0]

    def head(self, record_id: str) -> str:
        with self._reading() as s:
            found = queries.summary(s, record_id)
        if found is None:
            raise NotFound(f"There is no record '{record_id}'.")
        return found.head_hash

    def summary(self, record_id: str) -> queries.RecordSummary:
        with self._reading() as s:
            found = queries.summary(s, record_id)
        if found is None:
            raise NotFound(f"There is no record '{record_id}' (see 'ethicsdesk list').")
        return found

    def list_records(self, **filters: Any) -> list[queries.RecordSummary]:
        with self._reading() as s:
            return queries.list_records(s, **filters)

    # --- the one way to change a record ---------------------------------------------------------
    def _change(
        self,
        record_id: str,
        type_: str,
        payload: dict[str, Any],
        *,
        expect_head: str | None = None,
        check: Callable[[RecordState, RecordState], None] | None = None,
        create: bool = False,
        always: bool = False,
    ) -> RecordState:
        """Apply one event to a record in one transaction, or change nothing and say why.

        `check(before, after)` validates against the record's framework and catalogue;
        `expect_head` refuses the change if someone else changed the record since it was read.
        A change that alters nothing is not logged, unless `always` (an export changes no content but
        is part of the record's history).
        """
        try:
            with self.db.writing() as s:
                eventlog.lock_record(s, record_id)
                if create:
                    before, head_hash = RecordState(id=record_id), eventlog.head(s, record_id)[1]
                else:
                    found = read_projection(s, record_id)
                    if found is None:
                        raise NotFound(f"There is no record '{record_id}'.")
                    before, head_hash = found
                if expect_head is None:
                    expect_head = self._expect_head
                if before.frozen and type_ not in FROZEN_ALLOWED:
                    signer = before.signature.signer if before.signature else "a supervisor"
                    raise BadInput(
                        f"This record was signed by {signer} and is frozen; add an addendum instead of editing it."
                    )
                if expect_head is not None and not create and expect_head != head_hash:
                    raise Conflict(
                        "Someone else changed this record after you opened it; reopen it to see their "
                        "change (nothing of yours was overwritten)."
                    )
                at = now()
                probe = Event(record_id, before.events + 1, type_, self.user.name, at, payload)
                try:
                    after = apply(before, probe)
                except DomainError as exc:
                    raise BadInput(str(exc)[0].upper() + str(exc)[1:] + ".") from None
                seen = self._expectations.seen
                if seen is not None and not create and seen.events < before.events:
                    _refuse_overlap(s, seen, before, after)
                if check is not None:
                    check(before, after)
                if not (create or always) and _unchanged(before, after):
                    return before  # saving what is already saved adds nothing to the log
                if create:
                    # the record row must exist before the event that refers to it
                    write_projection(s, after, head_hash, self._step(after))
                _event, new_head = eventlog.append(
                    s, record_id, type_, self.user.name, self.user.role, at, payload, (before.events, head_hash)
                )
                s.flush()
                write_projection(s, after, new_head, self._step(after))
            return after
        except IntegrityError as exc:
            raise DatabaseProblem(f"The database refused the change: {first_line(exc)}.") from None
        except DBAPIError as exc:
            raise DatabaseProblem(f"The change could not be saved: {first_line(exc)}.") from None

    def _step(self, state: RecordState) -> str:
        return step_reached(state, self.framework_of(state).ids)

    # --- sessions -------------------------------------------------------------------------------
    @contextmanager
    def _reading(self) -> Iterator[Session]:
        """A read session whose driver errors become one sentence for the user."""
        try:
            with self.db.reading() as s:
                yield s
        except DBAPIError as exc:
            raise DatabaseProblem(f"The database cannot be read: {first_line(exc)}.") from None


def _refuse_overlap(s: Session, seen: RecordState, before: RecordState, after: RecordState) -> None:
    """Raise `EditConflict` if the change `before` -> `after` overwrites a part someone else changed
    after `seen` was read; name who changed it last and when, from the log."""
    from ethicsdesk.domain.parts import changed_parts, conflicting_parts, describe_part

    clash = conflicting_parts(seen, before, after)
    if not clash:
        return
    by, at, state = "someone else", "", seen
    for row in eventlog.read(s, before.id):
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
