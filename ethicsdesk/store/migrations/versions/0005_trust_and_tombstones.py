"""tombstones, the database's id, trusted keys and the server-set identity of PostgreSQL

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 03:00:00

Tamper beyond the hash chain's reach. On both engines: `tombstones` (a purged record's who, when, why and head; the event log
lets a record's events go only once its tombstone is there, and tombstones are append-only) and
`database_meta` (the id a checkpoint names). `trusted_keys` and `role_changes` are used on
PostgreSQL only (SQLite keeps its trusted keys in a file); they exist on both so the schema is one.

On PostgreSQL, triggers the client cannot get round: an event's actor and role must be the session's
login and its role in `users` (the hash covers them, so they are checked, not rewritten); every
change to `users` is written to `role_changes` with the login that made it; `trusted_keys` records
who added a key. A superuser is exempt: it can drop any trigger anyway (the README's threat model).
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes  # noqa: F401  (generated revisions refer to it; importing the submodule lets mypy see it)
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT = sqlmodel.sql.sqltypes.AutoString
_APPEND_ONLY = "BEGIN SELECT RAISE(ABORT, '{what} is append-only'); END"
_SAFE = "SET search_path = public, pg_temp"  # a temporary table cannot stand in for `users`
_NOW = """to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
_SUPERUSER = "(SELECT rolsuper FROM pg_roles WHERE rolname = session_user)"

_PG_FUNCTIONS = {
    "ethicsdesk_events_append_only": """
        BEGIN
          IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM tombstones t WHERE t.record_id = OLD.record_id) THEN
            RETURN OLD;  -- a purge: the record's tombstone was written first
          END IF;
          RAISE EXCEPTION 'the event log is append-only';
        END""",
    "ethicsdesk_event_identity": f"""
        DECLARE r text;
        BEGIN
          IF {_SUPERUSER} THEN RETURN NEW; END IF;
          SELECT role INTO r FROM users WHERE name = session_user;
          IF r IS NULL THEN
            RAISE EXCEPTION 'the login % is not a user of this database', session_user;
          END IF;
          IF NEW.actor IS DISTINCT FROM session_user::text OR NEW.actor_role IS DISTINCT FROM r THEN
            RAISE EXCEPTION 'events are recorded as the login that writes them (%, %), not as % (%)',
              session_user, r, NEW.actor, NEW.actor_role;
          END IF;
          RETURN NEW;
        END""",
    "ethicsdesk_tombstone_identity": f"""
        BEGIN
          IF TG_OP <> 'INSERT' THEN RAISE EXCEPTION 'tombstones are append-only'; END IF;
          IF NOT {_SUPERUSER} AND NEW.purged_by IS DISTINCT FROM session_user::text THEN
            RAISE EXCEPTION 'a purge is recorded as the login that makes it (%), not as %', session_user, NEW.purged_by;
          END IF;
          RETURN NEW;
        END""",
    "ethicsdesk_audit_role": f"""
        BEGIN
          IF TG_OP = 'DELETE' THEN
            INSERT INTO role_changes (name, old_role, new_role, changed_by, changed_at)
              VALUES (OLD.name, OLD.role, '', session_user, {_NOW});
            RETURN OLD;
          END IF;
          IF TG_OP = 'INSERT' OR NEW.role IS DISTINCT FROM OLD.role OR NEW.name IS DISTINCT FROM OLD.name THEN
            INSERT INTO role_changes (name, old_role, new_role, changed_by, changed_at)
              VALUES (NEW.name, CASE WHEN TG_OP = 'INSERT' THEN '' ELSE OLD.role END, NEW.role, session_user, {_NOW});
          END IF;
          RETURN NEW;
        END""",
    "ethicsdesk_role_changes_append_only": """
        BEGIN RAISE EXCEPTION 'the record of role changes is append-only'; END""",
    "ethicsdesk_key_added_by": f"""
        BEGIN
          IF TG_OP <> 'INSERT' THEN RAISE EXCEPTION 'a trusted key is never changed; add its replacement'; END IF;
          NEW.added_by := session_user;
          NEW.added_at := {_NOW};
          RETURN NEW;
        END""",
}
# Functions that write where the caller may not: they run as their owner.
_DEFINER = {"ethicsdesk_audit_role"}

_PG_TRIGGERS = (
    ("events_identity", "BEFORE INSERT ON events", "ethicsdesk_event_identity"),
    ("tombstones_identity", "BEFORE INSERT OR UPDATE OR DELETE ON tombstones", "ethicsdesk_tombstone_identity"),
    ("users_role_audit", "AFTER INSERT OR UPDATE OR DELETE ON users", "ethicsdesk_audit_role"),
    ("role_changes_append_only", "BEFORE UPDATE OR DELETE ON role_changes", "ethicsdesk_role_changes_append_only"),
    ("trusted_keys_added_by", "BEFORE INSERT OR UPDATE OR DELETE ON trusted_keys", "ethicsdesk_key_added_by"),
)


def upgrade() -> None:
    op.create_table(
        "tombstones",
        sa.Column("record_id", _TEXT(length=32), nullable=False),
        sa.Column("kind", _TEXT(length=16), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("head_hash", _TEXT(length=64), nullable=False),
        sa.Column("purged_at", _TEXT(), nullable=False),
        sa.Column("purged_by", _TEXT(), nullable=False),
        sa.Column("purged_role", _TEXT(), nullable=False),
        sa.Column("reason", _TEXT(), nullable=False),
        sa.Column("public_key", _TEXT(), nullable=False),
        sa.Column("fingerprint", _TEXT(length=64), nullable=False),
        sa.Column("signature", _TEXT(), nullable=False),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_tombstones")),
    )
    op.create_table(
        "database_meta",
        sa.Column("name", _TEXT(length=64), nullable=False),
        sa.Column("value", _TEXT(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_database_meta")),
    )
    op.create_table(
        "trusted_keys",
        sa.Column("fingerprint", _TEXT(length=64), nullable=False),
        sa.Column("name", _TEXT(), nullable=False),
        sa.Column("public_key", _TEXT(), nullable=False),
        sa.Column("added_at", _TEXT(), nullable=False),
        sa.Column("added_by", _TEXT(), nullable=False),
        sa.Column("replaces", _TEXT(), nullable=False),
        sa.PrimaryKeyConstraint("fingerprint", name=op.f("pk_trusted_keys")),
    )
    op.create_table(
        "role_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", _TEXT(), nullable=False),
        sa.Column("old_role", _TEXT(), nullable=False),
        sa.Column("new_role", _TEXT(), nullable=False),
        sa.Column("changed_by", _TEXT(), nullable=False),
        sa.Column("changed_at", _TEXT(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_changes")),
    )
    # made here, once: a copy of the database (a backup, a restore) keeps it, another database has its own
    op.get_bind().execute(
        sa.text("INSERT INTO database_meta (name, value) VALUES ('database_id', :v)"), {"v": str(uuid.uuid4())}
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER events_no_delete")
        op.execute(
            "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
            "WHEN NOT EXISTS (SELECT 1 FROM tombstones t WHERE t.record_id = OLD.record_id) "
            + _APPEND_ONLY.format(what="the event log")
        )
        for verb in ("update", "delete"):
            op.execute(
                f"CREATE TRIGGER tombstones_no_{verb} BEFORE {verb.upper()} ON tombstones "
                + _APPEND_ONLY.format(what="the list of purged records")
            )
        return
    for name, body in _PG_FUNCTIONS.items():
        definer = " SECURITY DEFINER" if name in _DEFINER else ""
        op.execute(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql{definer} {_SAFE} AS $$ {body} $$"
        )
    for trigger, when, function in _PG_TRIGGERS:
        op.execute(f"CREATE TRIGGER {trigger} {when} FOR EACH ROW EXECUTE FUNCTION {function}()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER tombstones_no_update")
        op.execute("DROP TRIGGER tombstones_no_delete")
        op.execute("DROP TRIGGER events_no_delete")
        op.execute(
            "CREATE TRIGGER events_no_delete BEFORE DELETE ON events " + _APPEND_ONLY.format(what="the event log")
        )
    else:
        for trigger, when, _function in _PG_TRIGGERS:
            op.execute(f"DROP TRIGGER {trigger} ON {when.split(' ON ')[1]}")
        for name in _PG_FUNCTIONS:
            if name != "ethicsdesk_events_append_only":
                op.execute(f"DROP FUNCTION {name}()")
        op.execute(
            "CREATE OR REPLACE FUNCTION ethicsdesk_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'the event log is append-only'; END $$"
        )
    op.drop_table("role_changes")
    op.drop_table("trusted_keys")
    op.drop_table("database_meta")
    op.drop_table("tombstones")
