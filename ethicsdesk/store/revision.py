"""The schema revisions this code knows, and the database's own, read from `alembic_version` directly
(alembic is loaded only to create or upgrade a database: store/schema.py)."""

from __future__ import annotations

from ethicsdesk.store.dbapi import Rows, first

# Every revision this code knows, oldest first. tests/store/test_schema.py checks this against the
# revision files, so a new migration cannot be forgotten here.
REVISIONS = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008")
HEAD = REVISIONS[-1]


def read_revision(rows: Rows) -> str | None:
    """The revision stamped in the database (the caller knows `alembic_version` exists)."""
    row = first(rows, "SELECT version_num FROM alembic_version")
    return str(row[0]) if row else None
