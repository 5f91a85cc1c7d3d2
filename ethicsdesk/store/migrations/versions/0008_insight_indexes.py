"""indexes for the agency's counts (`ethicsdesk insight`)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 06:50:00

`insight` counts over every case record (store/insight_queries.py). Without these it read each
record's row to learn its kind, date and author, and sorted every obligation row to group them:
about 2.4 s at 100,000 records (bench/). With them: the case records by kind and creation date,
their author and id inside the index (nothing else is read); the obligation rows in obligation
order; the follow-ups by date; the answers by question (where the ratings' levels are). Both
engines, plain CREATE INDEX: the tables are not rewritten.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_records_kind_created", "records", ["kind", "created_at", "created_by", "id"]),
    ("ix_obligations_obligation", "obligations", ["obligation_id", "record_id"]),
    ("ix_decisions_follow_up", "decisions", ["follow_up"]),
    ("ix_answers_question", "answers", ["question"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
