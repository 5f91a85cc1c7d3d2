"""users and their roles, for shared databases

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 16:10:00

On a shared PostgreSQL database people are identified by their login and their role comes
from this table, which a supervisor manages (`ethicsdesk users add|list|role`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (generated revisions refer to it; importing the submodule lets mypy see it)
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("name", _TEXT(), nullable=False),
        sa.Column("role", _TEXT(length=16), nullable=False),
        sa.Column("created_at", _TEXT(), nullable=False),
        sa.Column("created_by", _TEXT(), nullable=False),
        sa.Column("updated_at", _TEXT(), nullable=False),
        sa.Column("updated_by", _TEXT(), nullable=False),
        sa.CheckConstraint("role IN ('case manager', 'supervisor', 'trainer')", name=op.f("ck_users_role")),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_users")),
    )


def downgrade() -> None:
    op.drop_table("users")
