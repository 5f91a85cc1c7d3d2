"""The signing keys this database has seen: each public key, whose it is, registered when first used."""

from __future__ import annotations

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
    else's when it was registered to them first)."""
    row = session.get(SigningKeyRow, fingerprint)
    if row is None:
        session.add(SigningKeyRow(fingerprint=fingerprint, user=user, public_key=public_key, created_at=at))
        return user
    return row.user
