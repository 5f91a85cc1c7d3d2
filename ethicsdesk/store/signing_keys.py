"""The signing keys this database has seen: each public key, whose it is, registered when first used."""

from __future__ import annotations

from sqlalchemy import text
from sqlmodel import Session

from ethicsdesk.store.tables import SigningKeyRow


def owner(session: Session, fingerprint: str) -> str | None:
    """Whose the key is, or None when it was never registered here."""
    row = session.get(SigningKeyRow, fingerprint)
    return row.user if row else None


def registered(session: Session, fingerprint: str) -> tuple[str, str] | None:
    """(whose it is, the public key) as registered here, or None."""
    row = session.get(SigningKeyRow, fingerprint)
    return (row.user, row.public_key) if row else None


def register(session: Session, fingerprint: str, user: str, public_key: str, at: str) -> str:
    """Register the key to `user` unless it is registered already; return whose it is now (someone
    else's when it was registered to them first). On PostgreSQL through the server's function, which
    registers a key only to the login calling it (schema 0007)."""
    if session.get_bind().dialect.name == "postgresql":
        owner_name = session.execute(
            text("SELECT ethicsdesk_register_signing_key(:fp, :user, :public_key, :at)"),
            {"fp": fingerprint, "user": user, "public_key": public_key, "at": at},
        ).scalar()
        return str(owner_name)
    row = session.get(SigningKeyRow, fingerprint)
    if row is None:
        session.add(SigningKeyRow(fingerprint=fingerprint, user=user, public_key=public_key, created_at=at))
        return user
    return row.user
