"""consultation answers, signatures, addenda and signing keys

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 16:05:00

A supervisor answers a consultation and signs; a signed record takes addenda only.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (generated revisions refer to it; importing the submodule lets mypy see it)
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        for name in ("outcome", "notes", "conditions", "answered_by", "answered_at"):
            batch_op.add_column(sa.Column(name, _TEXT(), nullable=False, server_default=""))
    op.create_table(
        "signatures",
        sa.Column("record_id", _TEXT(length=32), nullable=False),
        sa.Column("signer", _TEXT(), nullable=False),
        sa.Column("role", _TEXT(), nullable=False),
        sa.Column("at", _TEXT(), nullable=False),
        sa.Column("signed_head", _TEXT(length=64), nullable=False),
        sa.Column("public_key", _TEXT(), nullable=False),
        sa.Column("fingerprint", _TEXT(length=64), nullable=False),
        sa.Column("signature", _TEXT(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_signatures_record_id_records"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_signatures")),
    )
    op.create_table(
        "addenda",
        sa.Column("record_id", _TEXT(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("topic", _TEXT(length=32), nullable=False),
        sa.Column("reason", _TEXT(), nullable=False),
        sa.Column("text", _TEXT(), nullable=False),
        sa.Column("author", _TEXT(), nullable=False),
        sa.Column("at", _TEXT(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id"], ["records.id"], name=op.f("fk_addenda_record_id_records"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("record_id", "position", name=op.f("pk_addenda")),
    )
    op.create_table(
        "signing_keys",
        sa.Column("fingerprint", _TEXT(length=64), nullable=False),
        sa.Column("user", _TEXT(), nullable=False),
        sa.Column("public_key", _TEXT(), nullable=False),
        sa.Column("created_at", _TEXT(), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_signing_keys")),
    )


def downgrade() -> None:
    op.drop_table("signing_keys")
    op.drop_table("addenda")
    op.drop_table("signatures")
    with op.batch_alter_table("consultations", schema=None) as batch_op:
        for name in ("answered_at", "answered_by", "conditions", "notes", "outcome"):
            batch_op.drop_column(name)
