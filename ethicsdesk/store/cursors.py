"""Where each user left each record in the walk (the step and the field), to resume there: read on
opening a record, written as the user moves. Kept apart from the record's events: moving through the
walk changes nothing of the record."""

from __future__ import annotations

from typing import Any

from ethicsdesk.store.dbapi import first, rows_of


def read_cursor(rows: Any, record_id: str, user: str) -> tuple[str, str] | None:
    """Where `user` left the record, in plain SQL (store/dbapi.py): both services read it this way."""
    row = first(rows_of(rows), 'SELECT step, field FROM cursors WHERE record_id = ? AND "user" = ?', [record_id, user])
    return (row[0], row[1]) if row else None


def save_cursor(session: Any, record_id: str, user: str, step: str, field: str) -> None:
    from ethicsdesk.store.tables import CursorRow

    row = session.get(CursorRow, (record_id, user))
    if row is None:
        session.add(CursorRow(record_id=record_id, user=user, step=step, field=field))
    else:
        row.step, row.field = step, field
