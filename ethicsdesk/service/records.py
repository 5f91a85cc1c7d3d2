"""Finding, reading and changing records, over the store's plain SQL (store/dbapi.py).

`RecordAccess` holds the operations; where they run is the subclass's: the full service (core.py,
SQLAlchemy: every database, every operation) or `LightService` (light_records.py), the standard
library's sqlite3 on an existing SQLite file at the current schema. The everyday commands (show,
list, export) open the light one when they can (`open_records`), so they never import SQLAlchemy,
SQLModel or alembic: the queries, the event chain and the transaction are the same code either way.

The one change both can make is an event that leaves the record's content as it is (an export,
`_log_unchanged`): one transaction that locks the record's chain, applies the event to the current
state (which validates it), appends the event with its hash and moves the record's head. A change of
content is the full service's `_change` (core.py), which also rewrites the current-state tables.
If anything fails, nothing of it is written.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar

from ethicsdesk.domain.events.kind import Draft
from ethicsdesk.domain.events.making import RECORD_EXPORTED
from ethicsdesk.domain.events.registry import ON_SIGNED
from ethicsdesk.domain.fold import apply, fold
from ethicsdesk.domain.frameworks import DEFAULT_FRAMEWORK, Framework
from ethicsdesk.domain.history import HistoryEntry
from ethicsdesk.domain.obligations import Catalogue
from ethicsdesk.domain.record import DomainError, Event, RecordState
from ethicsdesk.domain.walk import step_reached
from ethicsdesk.errors import BadInput, CheckFailed, Conflict, DatabaseProblem, NotFound
from ethicsdesk.service import frameworks
from ethicsdesk.service.projection_check import projection_differs
from ethicsdesk.settings import User
from ethicsdesk.store import durable_files, eventlog, queries
from ethicsdesk.store.current_state import move_head, read_projection, stored_head
from ethicsdesk.store.dbapi import (
    Rows,
    first_line,
)

if TYPE_CHECKING:  # imported where they are made: reading a record needs neither
    from ethicsdesk.domain.due import DueWork
    from ethicsdesk.domain.insight import Insight

ID_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/i/l: ids are read aloud and typed
ID_LENGTH = 10
MIN_PREFIX = 4

FROZEN_ALLOWED = ON_SIGNED  # the events a signed record still takes

# The rows a subclass's transactions hand out: the projection is rewritten through the same kind.
RowsT = TypeVar("RowsT", bound=Rows)


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# Every pair of digits of the alphabet by its value, the less significant digit first as the id spells it:
# an id is written two digits a division (ten divisions an id were half of its making).
_BASE = len(ID_ALPHABET)
_DIGIT_PAIRS = [ID_ALPHABET[n % _BASE] + ID_ALPHABET[n // _BASE] for n in range(_BASE**2)]


def new_record_id() -> str:
    """ID_LENGTH characters of ID_ALPHABET, each as likely as with a choice of each in turn: one number
    drawn below the count of all ids, written in the alphabet's digits (a draw a character read the
    system's random source ten times an id, a tenth of an import of small files)."""
    n = secrets.randbelow(len(ID_ALPHABET) ** ID_LENGTH)
    pairs = []
    for _ in range(ID_LENGTH // 2):
        n, d = divmod(n, len(_DIGIT_PAIRS))
        pairs.append(_DIGIT_PAIRS[d])
    if ID_LENGTH % 2:
        pairs.append(ID_ALPHABET[n])
    return "".join(pairs)


class Clock:
    """The time a service stamps its changes with, and the ids of the records it makes: the system
    clock and random ids. A test that must repeat to the byte (reports, snapshots) passes the service
    a clock of its own, with fixed times and counted ids."""

    def now(self) -> str:
        return now()

    def new_id(self) -> str:
        return new_record_id()


@dataclass
class Known:
    """A record as a caller holds it: `state` at `head`, read by `record` (so checked against its log)
    or made by this caller's own changes from such a state (`RecordAccess.continuing`)."""

    state: RecordState
    head: str
    current: bool = True  # False once a change found the record moved on: the caller reads it again


class _Expectations(threading.local):
    """What a caller expects of the record it changes, per thread: a screen saves from a worker
    thread while its UI thread reads, and one thread's expectation must not hold another's change."""

    head: str | None = None
    seen: RecordState | None = None
    known: Known | None = None


class RecordAccess(Generic[RowsT]):
    """The record operations every face may ask of any database."""

    # The driver's errors, as the subclass's connection raises them: a refused change, any other.
    _refused: tuple[type[BaseException], ...] = ()
    _failed: tuple[type[BaseException], ...] = ()

    def __init__(self, user: User, clock: Clock | None = None) -> None:
        self.user = user
        self.clock = clock or Clock()
        self._expectations = _Expectations()

    def today(self) -> date:
        """The day on the service's clock (UTC): what a follow-up period counts from, and what a
        follow-up date is judged past against."""
        return date.fromisoformat(self.clock.now()[:10])

    @property
    def _expect_head(self) -> str | None:
        return self._expectations.head

    # --- where the SQL runs (the subclass's) ----------------------------------------------------
    def _reads(self) -> AbstractContextManager[RowsT]:
        """One read transaction (a consistent snapshot)."""
        raise NotImplementedError

    def _writes(self) -> AbstractContextManager[RowsT]:
        """One write transaction: BEGIN IMMEDIATE on SQLite; committed on success, else rolled back."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def _database_path(self) -> Path | None:
        """The SQLite file, or None for a server database."""
        raise NotImplementedError

    def database_files(self) -> list[Path]:
        """The files of a SQLite database (the .db and its -wal, -shm and -journal), which nothing
        ethicsdesk writes may replace; none for a server database."""
        return durable_files.database_files(self._database_path())

    def write_file(self, path: Path, data: bytes, *, force: bool, mode: int = 0o600) -> Path:
        """Write a file the user named (service/output_files.py), never over this database's files."""
        from ethicsdesk.service.output_files import write_output

        return write_output(path, data, force=force, protected=self.database_files(), mode=mode)

    def check_file(self, path: Path, *, force: bool) -> None:
        """What `write_file` would refuse, said before the work that makes the data."""
        from ethicsdesk.service.output_files import check_output

        check_output(path, force=force, protected=self.database_files())

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def expecting(self, head: str | None) -> Iterator[None]:
        """Changes made inside are refused if the record's head is no longer `head` (someone else
        changed it since the caller read it). For what must match exactly what was shown (signing);
        an editor uses `expecting_since`, which only a change to the same part refuses."""
        with self._holding("head", head):
            yield

    @contextmanager
    def expecting_since(self, seen: RecordState | None) -> Iterator[None]:
        """Changes made inside are refused (`EditConflict`) only if a part of the record they change
        was changed by someone else after the caller read `seen`. An export, a cursor move, or a
        change to another field since then does not refuse them (domain/parts.py)."""
        with self._holding("seen", seen):
            yield

    @contextmanager
    def continuing(self, state: RecordState | None, head: str | None) -> Iterator[Known | None]:
        """Changes made inside start from `state` at `head` (what the caller read with `record`) when
        the record's row still holds that head and event count: each reads one row instead of the
        whole record. Every change moves the head, so a record changed by anyone else since is read
        from its tables as usual, and the `Known` yielded then says it is no longer `current`: the
        caller reads the record again (`record`, which checks it against its log). While current,
        its `state` and `head` are the record after the changes made inside, exactly as the log now
        gives them: the caller's checked state with its own events applied."""
        if state is None or head is None:
            yield None
            return
        known = Known(state, head)
        with self._holding("known", known):
            yield known

    @contextmanager
    def _holding(self, expectation: str, value: object) -> Iterator[None]:
        """This thread's `expectation` is `value` inside, and what it was before again after."""
        previous = getattr(self._expectations, expectation)
        setattr(self._expectations, expectation, value)
        try:
            yield
        finally:
            setattr(self._expectations, expectation, previous)

    # --- knowledge -----------------------------------------------------------------------------
    def framework(self, framework_id: str = DEFAULT_FRAMEWORK) -> Framework:
        """A shipped framework or an agency's kept one by id, or a framework file by path."""
        return frameworks.find_framework(framework_id)

    def catalogue(self) -> Catalogue:
        return frameworks.shipped_catalogue()

    def framework_of(self, state: RecordState) -> Framework:
        return frameworks.framework_for_record(state.framework)

    def _step(self, state: RecordState) -> str:
        return step_reached(state, self.framework_of(state).ids)

    # --- finding and reading records --------------------------------------------------------------
    def resolve(self, ref: str) -> str:
        """A full id or an unambiguous prefix of at least four characters, in either case. A refusal
        quotes the reference as typed (ids are lower case: 'ABC' is not reported as 'abc'), cut to
        a line; the faces neutralise its control characters when they print it."""
        typed = ref.strip()
        key = typed.lower()
        shown = typed if len(typed) <= 64 else typed[:48] + "…" + typed[-8:]
        with self._reads() as rows:
            if queries.summary(rows, key) is not None:
                return key
            if len(key) >= MIN_PREFIX:
                found = queries.ids_with_prefix(rows, key)
                if len(found) == 1:
                    return found[0]
                if len(found) > 1:
                    raise BadInput(f"'{shown}' matches more than one record; type more of the id.")
        raise NotFound(f"There is no record '{shown}' (see 'ethicsdesk list').")

    def record(self, record_id: str) -> RecordState:
        """The record as its tables hold it, once they are seen to be what its events give: a login
        allowed to write the tables (PostgreSQL's staff, the holder of a SQLite file) could otherwise
        put words under a supervisor's signature."""
        with self._reads() as rows:
            return self._read_checked(rows, record_id)[0]

    def record_and_contributors(self, record_id: str) -> tuple[RecordState, str, list[dict[str, Any]]]:
        """The record (checked as `record` checks it), its head hash and who changed it (as
        `contributors` counts them), read in one transaction: one moment, so they cannot disagree."""
        people = eventlog.Contributors()
        with self._reads() as rows:
            state, last_hash = self._read_checked(rows, record_id, people)
        return state, last_hash, _people(people.rows())

    @staticmethod
    def _read_checked(
        rows: Rows, record_id: str, people: eventlog.Contributors | None = None
    ) -> tuple[RecordState, str]:
        """The record read from its tables and its head hash, once the tables are seen to be what its
        events give, inside the caller's read transaction: the events are folded as they are read
        (and counted to who made them in `people`)."""
        found = read_projection(rows, record_id)
        if found is None:
            raise NotFound(f"There is no record '{record_id}' (see 'ethicsdesk list').")
        last_hash, count = eventlog.head_and_count(rows, record_id)
        events = eventlog.iter_events(record_id, eventlog.each_for_fold(rows, record_id), people)
        differ = projection_differs(record_id, found[0], found[1], events, last_hash, count)
        if differ:
            raise CheckFailed(
                f"{record_id} is not shown: its current-state tables differ from its event log in "
                f"{', '.join(differ)} (they were changed outside ethicsdesk); 'ethicsdesk verify {record_id}' "
                "says more."
            )
        return found[0], last_hash

    def cursor(self, record_id: str) -> tuple[str, str] | None:
        """Where this service's user left the record in the walk: its step and field."""
        from ethicsdesk.store.cursors import read_cursor

        with self._reads() as rows:
            return read_cursor(rows, record_id, self.user.name)

    def head(self, record_id: str) -> str:
        return self.summary(record_id).head_hash

    def summary(self, record_id: str) -> queries.RecordSummary:
        with self._reads() as rows:
            found = queries.summary(rows, record_id)
        if found is None:
            raise NotFound(f"There is no record '{record_id}' (see 'ethicsdesk list').")
        return found

    def list_records(self, *, where_i_left: bool = False, **filters: Any) -> list[queries.RecordSummary]:
        """Records, newest change first, each row checked against what its events give (as `record`
        does): a title or status rewritten in the tables is refused, never listed as the record's.
        With `where_i_left`, each one's step is where this service's user left it in the walk (home's
        Step column: where the record opens for them)."""
        with self._reads() as rows:
            found = queries.list_records(rows, left_by=self.user.name if where_i_left else None, **filters)
            logs = {r.id: eventlog.read(rows, r.id) for r in found}
        odd = [r.id for r in found if self._summary_differs(r, logs[r.id], step_shown=not where_i_left)]
        if odd:
            raise CheckFailed(
                f"The list is not shown: the tables of {len(odd)} record(s) differ from their event logs "
                f"({', '.join(odd)}; they were changed outside ethicsdesk); 'ethicsdesk verify' says more."
            )
        return found

    def due_work(self, today: date | None = None) -> DueWork:
        """What comes due for this service's user (domain/due.py): the follow-ups of their records
        overdue or due within a week, and the consultation requests they asked or are asked, open.
        `today` defaults to the service's clock."""
        from ethicsdesk.domain import due
        from ethicsdesk.store import due_work

        day = today or self.today()
        with self._reads() as rows:
            pending = due_work.pending_follow_ups(rows, self.user.name, due.horizon(day).isoformat())
            requests = due_work.open_requests(rows)
        return due.due_work(pending, requests, self.user.name, day)

    def insight(self, since: date | None = None, today: date | None = None) -> Insight:
        """The agency's ethics work in counts (domain/insight.py): a supervisor's covers every case
        record, anyone else's only their own. `today` defaults to the service's clock."""
        from ethicsdesk.domain.insight import Insight, ranked_obligations
        from ethicsdesk.store import insight_queries

        day = today or self.today()
        everyone = self.user.role == "supervisor"
        with self._reads() as rows:
            figures = insight_queries.aggregates(
                rows,
                since=since.isoformat() if since else "",
                today=day.isoformat(),
                owner=None if everyone else self.user.name,
            )
        names = {o.id: (o.name, o.floor_name or "duty") for o in self.catalogue().obligations}
        obligations = ranked_obligations(figures.obligations, names)
        since_text = since.isoformat() if since else ""
        return Insight(since_text, day.isoformat(), "everyone" if everyone else "own", figures, obligations)

    def _summary_differs(
        self, row: queries.RecordSummary, events: list[eventlog.EventEntry], *, step_shown: bool
    ) -> bool:
        """Whether a listed row says other than its events give; the step is compared only when the row
        shows the record's own step (not where a user left it)."""
        if not events or row.head_hash != events[-1].hash or row.events != len(events):
            return True
        try:
            parts = ((e.seq, e.type, e.actor, e.actor_role, e.at, e.payload) for e in events)
            folded = fold(row.id, eventlog.to_events(row.id, parts))
        except (DomainError, ValueError, KeyError, TypeError):
            return True
        shown = (row.title, row.case_code, row.status, row.kind, row.sample_id)
        given = (folded.title, folded.case_code, folded.status, folded.kind, folded.sample_id)
        return shown != given or (step_shown and row.step != self._step(folded))

    def history(self, record_id: str) -> list[HistoryEntry]:
        from ethicsdesk.domain.history import describe, option_labels

        with self._reads() as rows:
            entries = eventlog.read(rows, record_id)
        events = eventlog.to_events(
            record_id, ((r.seq, r.type, r.actor, r.actor_role, r.at, r.payload) for r in entries)
        )
        return [
            HistoryEntry(r.seq, r.at, r.actor, r.actor_role, r.type, describe(event, labels), r.hash)
            for r, event, labels in zip(entries, events, option_labels(events), strict=True)
        ]

    def record_export(
        self, record_id: str, fmt: str, masked: bool, target: str, deliver: Callable[[], object] | None = None
    ) -> RecordState:
        """Log that a report left ethicsdesk: who, when, which format, masked or not, and where to.
        `deliver` (writing the file, or to standard output) runs inside the transaction that logs it,
        after the event is appended and before the commit: a delivery that fails rolls the event
        back, so the log counts only reports that were delivered."""
        exported = RECORD_EXPORTED.new({"format": fmt, "masked": bool(masked), "target": target})
        return self._log_unchanged(record_id, exported, inside=deliver)

    # --- the one way to change a record ---------------------------------------------------------
    def _before_change(
        self, tx: RowsT, record_id: str, type_: str, expect_head: str | None, create: bool
    ) -> tuple[RecordState, str]:
        """The record and its head as the change finds them, inside its transaction (a new record:
        empty); a signed record takes only what FROZEN_ALLOWED names, and a record changed since the
        caller read it (`expect_head`, else the one set for this service) is refused."""
        if create:
            return RecordState(id=record_id), eventlog.head(tx, record_id)[1]
        known = self._expectations.known
        found = self._known_before(tx, known, record_id)
        if found is None:
            found = read_projection(tx, record_id)
        if found is None:
            raise NotFound(f"There is no record '{record_id}'.")
        before, head_hash = found
        if expect_head is None:
            expect_head = self._expect_head
        if before.frozen and type_ not in FROZEN_ALLOWED:
            signer = before.signature.signer if before.signature else "a supervisor"
            raise BadInput(f"This record was signed by {signer} and is frozen; add an addendum instead of editing it.")
        if expect_head is not None and expect_head != head_hash:
            raise Conflict(
                "Someone else changed this record after you opened it; reopen it to see their "
                "change (nothing of yours was overwritten)."
            )
        return before, head_hash

    @staticmethod
    def _known_before(tx: RowsT, known: Known | None, record_id: str) -> tuple[RecordState, str] | None:
        """The caller's known state as the change's starting point, if the record's row still holds
        its head and event count (else None, and the caller is told to read the record again)."""
        if known is None or not known.current or known.state.id != record_id:
            return None
        if stored_head(tx, record_id) == (known.head, known.state.events):
            return known.state, known.head
        known.current = False
        return None

    def _committed(self, after: RecordState, new_head: str) -> None:
        """A change of the record the caller holds was committed: the caller now holds its new head."""
        known = self._expectations.known
        if known is not None and known.current and known.state.id == after.id:
            known.state, known.head = after, new_head

    def _log_unchanged(
        self, record_id: str, draft: Draft, *, inside: Callable[[], object] | None = None
    ) -> RecordState:
        """Append an event that leaves the record's content as it is (an export, NEUTRAL_EVENTS): only
        its head moves, so every kind of service can log it. `inside` runs last in the transaction: if
        it raises, nothing is logged. A change of content is the full service's (`ServiceCore._change`),
        which rewrites the current-state tables."""
        with self._changing() as tx:
            _, probe, after, head_hash = self._applying(tx, record_id, draft, None, False)
            new_head = eventlog.append(tx, probe, self.user.role, head_hash)
            move_head(tx, after, new_head)
            if inside is not None:
                inside()
        self._committed(after, new_head)
        return after

    def _applying(
        self,
        tx: RowsT,
        record_id: str,
        draft: Draft,
        expect_head: str | None,
        create: bool,
    ) -> tuple[RecordState, Event, RecordState, str]:
        """Lock the record's chain and apply the event to the record as the change finds it: the
        record before, the event, the record after and the head before (`_before_change` refuses)."""
        eventlog.lock_record(tx, record_id)
        before, head_hash = self._before_change(tx, record_id, draft.type, expect_head, create)
        event = draft.as_event(record_id, before.events + 1, self.user.name, self.clock.now())
        return before, event, applied(before, event), head_hash

    @contextmanager
    def _changing(self) -> Iterator[RowsT]:
        """One write transaction whose driver errors become one sentence each: a refused change, any
        other failure."""
        try:
            with self._writes() as tx:
                yield tx
        except self._refused as exc:
            raise DatabaseProblem(f"The database refused the change: {first_line(exc)}.") from None
        except self._failed as exc:
            raise DatabaseProblem(f"The change could not be saved: {first_line(exc)}.") from None


def _people(found: list[tuple[str, str, int, str, str]]) -> list[dict[str, Any]]:
    """Who changed a record, as a report lists them, from `eventlog.Contributors`' rows."""
    return [
        {"name": actor, "role": role, "changes": n, "first": first, "last": last}
        for actor, role, n, first, last in found
    ]


def applied(before: RecordState, event: Event) -> RecordState:
    """`before` with `event` applied, or the domain's refusal as one sentence for the user."""
    try:
        return apply(before, event)
    except DomainError as exc:
        raise BadInput(str(exc)[0].upper() + str(exc)[1:] + ".") from None
