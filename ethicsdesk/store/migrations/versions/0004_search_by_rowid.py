"""search index keyed by the record's rowid, with the record kind as a column

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 16:25:00

The first index matched a record by an UNINDEXED column, so replacing one record's entry scanned
the whole index: quadratic over an import, and a full scan per edit at 100,000 records (bench/).
Keyed by `records.rowid`, replacing an entry is a lookup; with `kind` indexed, a search for case
records (not training attempts) is part of the match itself. SQLite only: PostgreSQL searches the
tables directly.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'"
# The same words the projection indexes (store/projection.py search_body), gathered in SQL.
_BODY = """
    COALESCE((SELECT group_concat(value, char(10)) FROM record_texts t WHERE t.record_id = r.id), '')
    || char(10) || r.title || char(10) || r.case_code
    || char(10) || COALESCE((SELECT group_concat(label || ' ' || description, char(10))
                             FROM options o WHERE o.record_id = r.id), '')
    || char(10) || COALESCE((SELECT group_concat(name || ' ' || interest, char(10))
                             FROM stakeholders s WHERE s.record_id = r.id), '')
    || char(10) || COALESCE((SELECT group_concat(value, char(10))
                             FROM record_list_items l WHERE l.record_id = r.id AND l.name = 'tags'), '')
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE record_search")
    op.execute(f"CREATE VIRTUAL TABLE record_search USING fts5(kind, body, {_TOKENIZE})")
    op.execute(f"INSERT INTO record_search (rowid, kind, body) SELECT r.rowid, r.kind, {_BODY} FROM records r")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE record_search")
    op.execute(f"CREATE VIRTUAL TABLE record_search USING fts5(record_id UNINDEXED, body, {_TOKENIZE})")
    op.execute(f"INSERT INTO record_search (record_id, body) SELECT r.id, {_BODY} FROM records r")
