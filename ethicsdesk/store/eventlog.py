"""The append-only event log: each record's events in order, chained by hash (plain SQL:
store/dbapi.py)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from ethicsdesk.domain.chain import GENESIS, ChainLink, EventHasher, canonical_json, event_hash, hashed_content
from ethicsdesk.domain.record import Event
from ethicsdesk.store.dbapi import first, rows_of


class EventEntry(NamedTuple):
    """One row of the `events` table."""

    id: int
    record_id: str
    seq: int
    type: str
    actor: str
    actor_role: str
    at: str
    payload: str  # canonical JSON, exactly the bytes the hash covers
    prev_hash: str
    hash: str


_COLUMNS = ", ".join(EventEntry._fields)
_NEW = [c for c in EventEntry._fields if c != "id"]
_INSERT = f"INSERT INTO events ({', '.join(_NEW)}) VALUES ({', '.join('?' for _ in _NEW)})"


def lock_record(session: Any, record_id: str) -> None:
    """Serialise appends to one record's chain. SQLite's BEGIN IMMEDIATE already holds the write
    lock; PostgreSQL takes a transaction-scoped advisory lock on the record, not a global one."""
    rows = rows_of(session)
    if rows.dialect == "postgresql":
        rows.all("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", [record_id])


def head(session: Any, record_id: str) -> tuple[int, str]:
    """The last sequence number and hash of a record's chain; (0, GENESIS) before its first event."""
    sql = "SELECT seq, hash FROM events WHERE record_id = ? ORDER BY seq DESC LIMIT 1"
    row = first(rows_of(session), sql, [record_id])
    return (row[0], row[1]) if row else (0, GENESIS)


def event_row(event: Event, role: str, prev_hash: str, hasher: EventHasher | None = None) -> dict[str, Any]:
    """The events-table row of `event` (acting in `role`), chained after the head hash `prev_hash`
    (the head's seq is the event's less one); its hash computed, by `hasher` where a batch of events
    of one type by one actor in one role has one."""
    payload_json = canonical_json(event.payload)
    if hasher is not None:
        hashed = hasher.hash(prev_hash, event.seq, event.record_id, event.at, payload_json)
    else:
        content = hashed_content(event.record_id, event.type, event.actor, role, event.at, payload_json)
        hashed = event_hash(prev_hash, event.seq, content)
    return {
        "record_id": event.record_id,
        "seq": event.seq,
        "type": event.type,
        "actor": event.actor,
        "actor_role": role,
        "at": event.at,
        "payload": payload_json,
        "prev_hash": prev_hash,
        "hash": hashed,
    }


def append(session: Any, event: Event, role: str, prev_hash: str) -> str:
    """Add `event` after the head hash `prev_hash`; returns the new head hash."""
    row = event_row(event, role, prev_hash)
    rows_of(session).run(_INSERT, [row[c] for c in _NEW])
    return str(row["hash"])


def insert_many(session: Any, rows: list[dict[str, Any]]) -> None:
    """Events already made whole (hashes and all, by `event_row` or read from another database), in
    one executemany: an import's batch, a copied log."""
    from ethicsdesk.store.tables import EventRow, insert_all

    insert_all(session, EventRow, rows)


def read(session: Any, record_id: str, upto: int | None = None) -> list[EventEntry]:
    sql = f"SELECT {_COLUMNS} FROM events WHERE record_id = ?"
    params: list[Any] = [record_id]
    if upto is not None:
        sql += " AND seq <= ?"
        params.append(upto)
    return [EventEntry(*row) for row in rows_of(session).all(sql + " ORDER BY seq", params)]


# The columns of an event that a fold reads (seq, type, actor, actor_role, at, payload), the payload
# not yet parsed: plain tuples as the driver gives them, 10,000 named ones cost a tenth of the read.
FoldRow = tuple[int, str, str, str, str, str]

# json.loads's own decoder: the same scanner, the same parse of numbers, constants and strings.
_DECODER = json.JSONDecoder()


def each_for_fold(session: Any, record_id: str) -> Iterator[FoldRow]:
    """A record's events in order, only the columns a fold (and a count of who made them) reads, one
    at a time: every read of a record folds its whole log to check its tables; at 10,000 events whole
    rows cost twice as much to fetch, and the rows held all at once cost a page fault every three events."""
    sql = "SELECT seq, type, actor, actor_role, at, payload FROM events WHERE record_id = ? ORDER BY seq"
    return rows_of(session).each(sql, [record_id])


def head_and_count(session: Any, record_id: str) -> tuple[str, int]:
    """The hash of a record's last event and how many events it has (GENESIS and 0 before its first),
    in one statement: one moment of the log."""
    sql = (
        "SELECT (SELECT hash FROM events WHERE record_id = ? ORDER BY seq DESC LIMIT 1), "
        "(SELECT COUNT(*) FROM events WHERE record_id = ?)"
    )
    last, count = rows_of(session).all(sql, [record_id, record_id])[0]
    return (GENESIS if last is None else last), count


class Contributors:
    """Who changed a record, counted as `iter_events` reads its events: for each actor in each role,
    in the order they first did, how many events and the times of their first and their last. What
    `GROUP BY actor, actor_role` ordered by the first seq gives, without a second pass over the log
    (the database sorted all 10,000 rows of a long record to group them)."""

    def __init__(self) -> None:
        self.counts: dict[tuple[str, str], list[Any]] = {}  # (actor, role) -> [events, first at, last at]

    def rows(self) -> list[tuple[str, str, int, str, str]]:
        """(actor, role, events, the time of their first, of their last), in the order they first did."""
        return [(actor, role, n, first, last) for (actor, role), (n, first, last) in self.counts.items()]


_NOBODY = object()  # the actor before the first event: equal to no actor a log holds


def iter_events(record_id: str, rows: Iterable[FoldRow], people: Contributors | None = None) -> Iterator[Event]:
    """The events of `rows` (`FoldRow`s) as they are read, each payload parsed by the decoder's
    scanner itself, the one `raw_decode` and `json.loads` call (`json.loads` costs about three times
    as much a payload, `raw_decode` half as much again as its scanner); a payload that is not exactly
    one JSON value goes to `json.loads`, which says what it is or raises ValueError as ever. With
    `people`, each event is counted to its actor and role there (looked up only where they change)."""
    scan = _DECODER.scan_once  # type: ignore[attr-defined]  # set in JSONDecoder.__init__; typeshed leaves it out
    loads = json.loads
    make = tuple.__new__  # what Event._make does, without its check of the length: six fields here
    counts = people.counts if people is not None else None
    actor_now: object = _NOBODY
    role_now: object = _NOBODY
    tally: list[Any] = []
    for seq, type_, actor, role, at, text in rows:
        if counts is not None:
            if actor != actor_now or role != role_now:
                actor_now, role_now = actor, role
                tally = counts.setdefault((actor, role), [0, at, at])
            tally[0] += 1
            tally[2] = at
        try:
            payload, end = scan(text, 0)
        except (StopIteration, ValueError, TypeError):
            end = -1
        if end != len(text):
            payload = loads(text)
        yield make(Event, (record_id, seq, type_, actor, at, payload))


def to_events(record_id: str, rows: Iterable[FoldRow]) -> list[Event]:
    """The events of `rows`, all at once (`iter_events`)."""
    return list(iter_events(record_id, rows))


def to_event(row: EventEntry) -> Event:
    return Event(row.record_id, row.seq, row.type, row.actor, row.at, json.loads(row.payload))


def to_link(row: EventEntry) -> ChainLink:
    return ChainLink(
        row.seq, row.record_id, row.type, row.actor, row.actor_role, row.at, row.payload, row.prev_hash, row.hash
    )
