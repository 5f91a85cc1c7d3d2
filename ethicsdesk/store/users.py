"""The users table of a shared database (who may do what: service/users.py decides), and the server
login a session runs as."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlmodel import Session

from ethicsdesk.store.tables import UserRow

USERS_LOCK_KEY = 0x7573657273  # "users" in ASCII: pg_advisory_xact_lock key of changes to the users table


def every_user(session: Session) -> list[UserRow]:
    """By name."""
    return list(session.scalars(select(UserRow).order_by(UserRow.name)))


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(UserRow)) or 0


def user(session: Session, name: str) -> UserRow | None:
    return session.get(UserRow, name)


def add(session: Session, name: str, role: str, at: str, by: str) -> None:
    session.add(UserRow(name=name, role=role, created_at=at, created_by=by, updated_at=at, updated_by=by))


def set_role(row: UserRow, role: str, at: str, by: str) -> None:
    row.role, row.updated_at, row.updated_by = role, at, by


def current_login(session: Session) -> str:
    """The role the PostgreSQL session acts as now (a SET ROLE changes it)."""
    return str(session.execute(text("SELECT current_user")).scalar())


def session_login(session: Session) -> str:
    """The PostgreSQL login itself, which the server's triggers hold events to (a SET ROLE does not
    change it)."""
    return str(session.execute(text("SELECT session_user")).scalar())


def lock_changes(session: Session) -> None:
    """Serialise changes to the users table on PostgreSQL until the transaction ends (SQLite's BEGIN
    IMMEDIATE already does)."""
    session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": USERS_LOCK_KEY})
