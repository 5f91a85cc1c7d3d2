"""signing keys registered only through a function, and each tombstone's event hashes

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 01:00:00

`tombstones` gains `hashes`: the purged record's event hashes in order, space-separated
(signed with the rest of the tombstone), so a checkpoint taken before the record grew and was
purged can still be matched: the checkpoint's head must be the hash at its count. Tombstones written
before keep an empty list; they match a checkpoint only at their own count.

On PostgreSQL, `ethicsdesk_register_signing_key` registers a key to the login that calls it (a
superuser may name anyone, as it can anyway): staff lose INSERT on `signing_keys` (server_roles.py)
and may only call this function, so no one registers a key under another person's name.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (generated revisions refer to it; importing the submodule lets mypy see it)
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString
_SUPERUSER = "(SELECT rolsuper FROM pg_roles WHERE rolname = session_user)"
REGISTER = "ethicsdesk_register_signing_key(text, text, text, text)"

_REGISTER_BODY = f"""
    DECLARE owner_name text;
    BEGIN
      IF NOT {_SUPERUSER} AND p_user IS DISTINCT FROM session_user::text THEN
        RAISE EXCEPTION 'a signing key is registered to the login that uses it (%), not to %', session_user, p_user;
      END IF;
      INSERT INTO signing_keys (fingerprint, "user", public_key, created_at)
        VALUES (p_fingerprint, p_user, p_public_key, p_at) ON CONFLICT (fingerprint) DO NOTHING;
      SELECT "user" INTO owner_name FROM signing_keys WHERE fingerprint = p_fingerprint;
      RETURN owner_name;
    END"""


def upgrade() -> None:
    # a plain ADD COLUMN: a batch copy of the table would trip the event log's trigger that names it
    op.add_column("tombstones", sa.Column("hashes", _TEXT(), nullable=False, server_default=""))
    if op.get_bind().dialect.name == "sqlite":
        return
    op.execute(
        "CREATE OR REPLACE FUNCTION ethicsdesk_register_signing_key("
        "p_fingerprint text, p_user text, p_public_key text, p_at text) "
        "RETURNS text LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp "
        f"AS $$ {_REGISTER_BODY} $$"
    )
    op.execute(f"REVOKE ALL ON FUNCTION {REGISTER} FROM PUBLIC")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.execute(f"DROP FUNCTION {REGISTER}")
    op.drop_column("tombstones", "hashes")  # SQLite has DROP COLUMN since 3.35
