"""What copying records into another database reads and writes (service/copying.py decides what is
copied; the SQL is here): the signing keys and users of the source, a record's head on the target,
and the rows written there — events exactly as they were, hashes and all."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from ethicsdesk.store import eventlog
from ethicsdesk.store.eventlog import EventEntry
from ethicsdesk.store.tables import RecordRow, SigningKeyRow, UserRow


def signing_keys(session: Session) -> list[SigningKeyRow]:
    return list(session.scalars(select(SigningKeyRow)))


def users(session: Session) -> list[UserRow]:
    return list(session.scalars(select(UserRow)))


def head_hash(session: Session, record_id: str) -> str | None:
    """The head of the record on this database, or None when it is not here."""
    existing = session.get(RecordRow, record_id)
    return None if existing is None else existing.head_hash


def insert_events(session: Session, rows: list[EventEntry]) -> None:
    """The events as the source wrote them (after the record's row, which they refer to)."""
    session.flush()
    eventlog.insert_many(
        session,
        [
            {
                "record_id": r.record_id,
                "seq": r.seq,
                "type": r.type,
                "actor": r.actor,
                "actor_role": r.actor_role,
                "at": r.at,
                "payload": r.payload,
                "prev_hash": r.prev_hash,
                "hash": r.hash,
            }
            for r in rows
        ],
    )


def add_missing_keys(session: Session, keys: list[SigningKeyRow]) -> None:
    for k in keys:
        if session.get(SigningKeyRow, k.fingerprint) is None:
            session.add(
                SigningKeyRow(fingerprint=k.fingerprint, user=k.user, public_key=k.public_key, created_at=k.created_at)
            )


def add_missing_users(session: Session, rows: list[UserRow]) -> None:
    for u in rows:
        if session.get(UserRow, u.name) is None:
            session.add(UserRow(**{c: getattr(u, c) for c in UserRow.model_fields}))

