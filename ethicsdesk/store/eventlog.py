"""The append-only event log: each record's events in order, chained by hash (plain SQL:
store/dbapi.py)."""

from __future__ import annotations

import json
from collections.abc import Iterable
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


# The columns of an event that a fold reads (seq, type, actor, at, payload), the payload not yet
# parsed: plain tuples as the driver gives them, 10,000 named ones cost a tenth of the whole read.
FoldRow = tuple[int, str, str, str, str]


def read_for_fold(session: Any, record_id: str) -> list[FoldRow]:
    """A record's events in order, only the columns a fold reads: every read of a record folds its
    whole log to check its tables, and at 10,000 events whole rows cost twice as much to fetch."""
    sql = "SELECT seq, type, actor, at, payload FROM events WHERE record_id = ? ORDER BY seq"
    return rows_of(session).all(sql, [record_id])


def to_events(record_id: str, rows: Iterable[FoldRow]) -> list[Event]:
    """The events of `rows` (`FoldRow`s), each payload parsed by the
    decoder itself (`json.loads` costs about three times as much a payload); a payload that is not
    exactly one JSON value goes to `json.loads`, which says what it is or raises ValueError as ever."""
    decode = json.JSONDecoder().raw_decode
    events = []
    for seq, type_, actor, at, text in rows:
        try:
            payload, end = decode(text)
        except (ValueError, TypeError):
            end = -1
        if end != len(text):
            payload = json.loads(text)
        events.append(Event(record_id, seq, type_, actor, at, payload))
    return events


def contributors(session: Any, record_id: str) -> list[tuple[str, str, int, str, str, int]]:
    """Who changed the record, in the order they first did: (actor, role, events, the time of
    their first and of their last, their last seq), counted by the database: a report that lists
    the people reads no event's payload."""
    sql = (
        "SELECT g.actor, g.actor_role, g.n, f.at, l.at, g.hi FROM ("
        "SELECT actor, actor_role, COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi FROM events "
        "WHERE record_id = ? GROUP BY actor, actor_role) g "
        "JOIN events f ON f.record_id = ? AND f.seq = g.lo JOIN events l ON l.record_id = ? AND l.seq = g.hi "
        "ORDER BY g.lo"
    )
    return [tuple(r) for r in rows_of(session).all(sql, [record_id] * 3)]


def to_event(row: EventEntry) -> Event:
    return Event(row.record_id, row.seq, row.type, row.actor, row.at, json.loads(row.payload))


def to_link(row: EventEntry) -> ChainLink:
    return ChainLink(
        row.seq, row.record_id, row.type, row.actor, row.actor_role, row.at, row.payload, row.prev_hash, row.hash
    )
