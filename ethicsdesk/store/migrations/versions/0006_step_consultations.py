"""consultation from any step: whom, from which step, and answers written in for others

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 06:00:00

Consultation from any step of the walk. `consultations` (the sign-off consultation) gains `kind` (supervisor, committee, colleague),
`step`, `number` (always 0 there) and `recorded_by`; `step_consultations` holds those asked from a
step before sign-off, numbered 1, 2, … per record. Rows written before keep their meaning: a request
to a supervisor at the Consult step.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (generated revisions refer to it; importing the submodule lets mypy see it)
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", _TEXT(length=16), nullable=False, server_default="supervisor"))
        batch_op.add_column(sa.Column("step", _TEXT(length=32), nullable=False, server_default="consult"))
        batch_op.add_column(sa.Column("number", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("recorded_by", _TEXT(), nullable=False, server_default=""))
    op.create_table(
        "step_consultations",
        sa.Column("record_id", _TEXT(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("supervisor", _TEXT(), nullable=False),
        sa.Column("question", _TEXT(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("requested_by", _TEXT(), nullable=False),
        sa.Column("requested_at", _TEXT(), nullable=False),
        sa.Column("state", _TEXT(length=16), nullable=False),
        sa.Column("outcome", _TEXT(), nullable=False),
        sa.Column("notes", _TEXT(), nullable=False),
        sa.Column("conditions", _TEXT(), nullable=False),
        sa.Column("answered_by", _TEXT(), nullable=False),
        sa.Column("answered_at", _TEXT(), nullable=False),
        sa.Column("kind", _TEXT(length=16), nullable=False),
        sa.Column("step", _TEXT(length=32), nullable=False),
        sa.Column("recorded_by", _TEXT(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_step_consultations_record_id_records"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("record_id", "number", name=op.f("pk_step_consultations")),
    )


def downgrade() -> None:
    op.drop_table("step_consultations")
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        for name in ("recorded_by", "number", "step", "kind"):
            batch_op.drop_column(name)
