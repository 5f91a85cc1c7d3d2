"""The append-only event log: each record's events in order, chained by hash."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, insert, select
from sqlmodel import Session

from ethicsdesk.domain.chain import GENESIS, ChainLink, canonical_json, event_hash, hashed_content
from ethicsdesk.domain.record import Event
from ethicsdesk.store.tables import EventRow


def lock_record(session: Session, record_id: str) -> None:
    """Serialise appends to one record's chain. SQLite's BEGIN IMMEDIATE already holds the write
    lock; PostgreSQL takes a transaction-scoped advisory lock on the record, not a global one."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(record_id, 0))))


def head(session: Session, record_id: str) -> tuple[int, str]:
    """The last sequence number and hash of a record's chain; (0, GENESIS) before its first event."""
    row = session.execute(
        select(EventRow.seq, EventRow.hash)
        .where(EventRow.record_id == record_id)
        .order_by(EventRow.seq.desc())
        .limit(1)  # type: ignore[attr-defined]
    ).first()
    return (row[0], row[1]) if row else (0, GENESIS)


def event_row(
    record_id: str,
    type_: str,
    actor: str,
    role: str,
    at: str,
    payload: dict[str, Any],
    after: tuple[int, str],
) -> dict[str, Any]:
    """The events-table row of one new event after the head `after`, hash computed."""
    seq, prev = after[0] + 1, after[1]
    payload_json = canonical_json(payload)
    digest = event_hash(prev, seq, hashed_content(record_id, type_, actor, role, at, payload_json))
    return {
        "record_id": record_id,
        "seq": seq,
        "type": type_,
        "actor": actor,
        "actor_role": role,
        "at": at,
        "payload": payload_json,
        "prev_hash": prev,
        "hash": digest,
    }


def append(
    session: Session,
    record_id: str,
    type_: str,
    actor: str,
    role: str,
    at: str,
    payload: dict[str, Any],
    after: tuple[int, str],
) -> tuple[Event, str]:
    """Add one event after the head `after`; returns it and the new head hash."""
    row = event_row(record_id, type_, actor, role, at, payload, after)
    session.execute(insert(EventRow.__table__), [row])  # type: ignore[attr-defined]
    return Event(record_id, row["seq"], type_, actor, at, payload), row["hash"]


def read(session: Session, record_id: str, upto: int | None = None) -> list[EventRow]:
    stmt = select(EventRow).where(EventRow.record_id == record_id)
    if upto is not None:
        stmt = stmt.where(EventRow.seq <= upto)
    return list(session.scalars(stmt.order_by(EventRow.seq)))  # type: ignore[arg-type]


def to_event(row: EventRow) -> Event:
    return Event(row.record_id, row.seq, row.type, row.actor, row.at, json.loads(row.payload))


def to_link(row: EventRow) -> ChainLink:
    return ChainLink(
        row.seq, row.record_id, row.type, row.actor, row.actor_role, row.at, row.payload, row.prev_hash, row.hash
    )
