"""What anchors the records outside the database reads: each chain's head, the tombstones of purged
records, the signatures in the log, the database's id, and on PostgreSQL the trusted keys and the
session's own standing."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, text, tuple_
from sqlmodel import Session, col

from ethicsdesk.domain.checkpoint import Head
from ethicsdesk.domain.events.review import RECORD_SIGNED
from ethicsdesk.domain.trust import TrustedKey
from ethicsdesk.store.tables import (
    DatabaseMetaRow,
    EventRow,
    RecordRow,
    RoleChangeRow,
    SigningKeyRow,
    TombstoneRow,
    TrustedKeyRow,
    core_table,
)

ADMIN_ROLE = "ethicsdesk_admin"


def chain_heads(session: Session, record_id: str | None = None) -> dict[str, Head]:
    """Every chain's last event, from the event log itself (not the records table, which may lie)."""
    last = select(col(EventRow.record_id), func.max(EventRow.seq).label("seq")).group_by(col(EventRow.record_id))
    if record_id is not None:
        last = last.where(col(EventRow.record_id) == record_id)
    sub = last.subquery()
    stmt = select(col(EventRow.record_id), col(EventRow.seq), col(EventRow.hash)).join(
        sub, and_(col(EventRow.record_id) == sub.c.record_id, col(EventRow.seq) == sub.c.seq)
    )
    return {rid: Head(rid, seq, h) for rid, seq, h in session.execute(stmt)}


def hashes_at(session: Session, wanted: list[tuple[str, int]]) -> dict[str, str]:
    """The hash of each (record, seq) asked for."""
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 400):  # SQLite caps the number of bound parameters
        chunk = wanted[start : start + 400]
        stmt = select(col(EventRow.record_id), col(EventRow.hash)).where(
            tuple_(col(EventRow.record_id), col(EventRow.seq)).in_(chunk)
        )
        found.update({rid: h for rid, h in session.execute(stmt)})
    return found


def tombstones(session: Session) -> list[TombstoneRow]:
    return list(session.scalars(select(TombstoneRow).order_by(col(TombstoneRow.purged_at))))


def leftovers(session: Session, record_id: str) -> bool:
    """Whether anything of a purged record is still there."""
    row = session.get(RecordRow, record_id)
    return (
        row is not None
        or session.execute(select(col(EventRow.id)).where(col(EventRow.record_id) == record_id)).first() is not None
    )


def signatures(session: Session, record_id: str | None = None) -> list[dict[str, Any]]:
    """Every sign-off in the log: record, signer, role, when and the payload's key fields."""
    stmt = select(
        col(EventRow.record_id), col(EventRow.actor), col(EventRow.actor_role), col(EventRow.at), col(EventRow.payload)
    ).where(col(EventRow.type) == RECORD_SIGNED.type)
    if record_id is not None:
        stmt = stmt.where(col(EventRow.record_id) == record_id)
    out = []
    for rid, actor, role, at, payload in session.execute(stmt.order_by(col(EventRow.record_id))):
        try:
            body = json.loads(payload)
        except ValueError:
            body = {}
        out.append(
            {
                "record_id": rid,
                "signer": actor,
                "role": role,
                "at": at,
                "fingerprint": str(body.get("fingerprint", "")),
                "public_key": str(body.get("public_key", "")),
            }
        )
    return out


def registered_keys(session: Session) -> dict[str, list[str]]:
    """Each user's fingerprints in the database's own signing_keys table."""
    by_user: dict[str, list[str]] = {}
    for row in session.scalars(select(SigningKeyRow).order_by(col(SigningKeyRow.created_at))):
        by_user.setdefault(row.user, []).append(row.fingerprint)
    return by_user


def database_id(session: Session) -> str:
    row = session.get(DatabaseMetaRow, "database_id")
    return row.value if row else ""


# --- PostgreSQL: the trusted-keys table and the session's standing ---------------------------------
def server_trusted_keys(session: Session) -> list[TrustedKey]:
    rows = session.scalars(select(TrustedKeyRow).order_by(col(TrustedKeyRow.added_at)))
    return [TrustedKey(r.name, r.public_key, r.fingerprint, r.added_at, r.added_by, r.replaces) for r in rows]


def lock_trusted_keys(session: Session) -> None:
    """One writer at a time, taken before the keys are read, so two administrators cannot each add a
    "first" key for one person. An advisory lock: LOCK TABLE in a mode that strong needs UPDATE,
    which no one is granted."""
    session.execute(text("SELECT pg_advisory_xact_lock(hashtext('ethicsdesk trusted keys'))"))


def add_server_trusted_key(session: Session, key: TrustedKey) -> None:
    session.execute(
        insert(core_table(TrustedKeyRow)),
        [
            {
                "fingerprint": key.fingerprint,
                "name": key.name,
                "public_key": key.public_key,
                "added_at": "",
                "added_by": "",
                "replaces": key.replaces,
            }
        ],
    )  # the server's trigger sets added_at and added_by


def is_administrator(session: Session) -> bool:
    """A superuser, or a member of the administrator role that `db init` creates."""
    row = session.execute(
        text(
            "SELECT r.rolsuper OR EXISTS (SELECT 1 FROM pg_roles a WHERE a.rolname = :admin "
            "AND pg_has_role(session_user, a.oid, 'MEMBER')) FROM pg_roles r WHERE r.rolname = session_user"
        ),
        {"admin": ADMIN_ROLE},
    ).scalar()
    return bool(row)


def role_changes(session: Session) -> list[RoleChangeRow]:
    return list(session.scalars(select(RoleChangeRow).order_by(col(RoleChangeRow.id))))


def add_tombstone(session: Session, row: dict[str, Any]) -> None:
    """The tombstone of a record about to be removed: what it was, who purged it and why."""
    session.execute(insert(core_table(TombstoneRow)), [row])


def remove_record(session: Session, record_id: str) -> None:
    """Delete a purged record's events, rows and search entry (its tombstone is already written)."""
    from ethicsdesk.store.projection import CHILD_TABLES
    from ethicsdesk.store.tables import CursorRow

    if session.get_bind().dialect.name == "sqlite":
        session.execute(
            text("DELETE FROM record_search WHERE rowid = (SELECT rowid FROM records WHERE id = :r)"), {"r": record_id}
        )
    for table in (*CHILD_TABLES, CursorRow):
        session.execute(delete(table).where(col(table.record_id) == record_id))
    session.execute(delete(EventRow).where(col(EventRow.record_id) == record_id))
    session.execute(delete(RecordRow).where(col(RecordRow.id) == record_id))
