"""The PostgreSQL roles and grants `ethicsdesk db init` sets, so that the server, not the
application, decides what each login may do.

Two group roles, made once per server:

- `ethicsdesk_staff`: every person's login is a member. It reads everything, changes the
  current-state tables (which every read checks against the events: service/records.py), and may
  only *add* events (which a trigger holds to the login's own name and role) and register its own
  signing key (through a function that writes the login's name: schema 0007). It cannot change
  `users`, `trusted_keys`, `tombstones`, `signing_keys` or `role_changes`, and cannot delete an event.
- `ethicsdesk_admin`: the administrator. Everything staff may, and also manage `users` (each
  change is written to `role_changes` by a trigger, with the login that made it), add trusted keys,
  and purge records (a tombstone first; only then do the event log's triggers let the events go).

Nothing is granted to PUBLIC. Whoever runs `db init` (the database owner) keeps full rights, as
an owner does: the README's threat model says what that means.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ethicsdesk.errors import DatabaseProblem
from ethicsdesk.store.engine import Database, describe, first_line

STAFF, ADMIN = "ethicsdesk_staff", "ethicsdesk_admin"

PROJECTION = (
    "records", "record_texts", "record_list_items", "stakeholders", "options", "cells", "weights", "priorities",
    "obligations", "floor_checks", "decisions", "answers", "consultations", "signatures", "addenda", "cursors",
    "step_consultations",
)  # fmt: skip
EVERY_TABLE = (
    *PROJECTION, "events", "signing_keys", "users", "alembic_version", "tombstones", "database_meta",
    "trusted_keys", "role_changes",
)  # fmt: skip

REGISTER_KEY = "ethicsdesk_register_signing_key(text, text, text, text)"  # schema 0007

GRANTS = (
    f"REVOKE ALL ON {', '.join(EVERY_TABLE)} FROM PUBLIC",
    f"GRANT SELECT ON {', '.join(EVERY_TABLE)} TO {STAFF}",
    f"GRANT INSERT, UPDATE, DELETE ON {', '.join(PROJECTION)} TO {STAFF}",
    # a key is registered only through the function, to the login calling it; the REVOKE takes back
    # what `db init` granted before schema 0007
    f"REVOKE INSERT, UPDATE, DELETE ON signing_keys FROM {STAFF}",
    f"REVOKE ALL ON FUNCTION {REGISTER_KEY} FROM PUBLIC",
    f"GRANT EXECUTE ON FUNCTION {REGISTER_KEY} TO {STAFF}",
    f"GRANT INSERT ON events TO {STAFF}",
    f"GRANT USAGE ON SEQUENCE events_id_seq TO {STAFF}",
    f"GRANT {STAFF} TO {ADMIN}",
    f"GRANT INSERT, UPDATE, DELETE ON users TO {ADMIN}",
    f"GRANT INSERT ON trusted_keys, tombstones TO {ADMIN}",
    f"GRANT DELETE ON events TO {ADMIN}",
)


def _create_role(name: str) -> str:
    # roles belong to the server, not the database: a second database's `db init` finds them there
    return f"DO $$ BEGIN CREATE ROLE {name} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$"


def secure(db: Database) -> None:
    """Create the two roles if the server lacks them and set this database's grants (idempotent)."""
    if db.is_sqlite:
        return
    try:
        with db.engine.begin() as conn:
            # two `db init`s at once on one server: one makes the roles, the other waits, then finds them
            conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('ethicsdesk roles'))"))
            for statement in (_create_role(STAFF), _create_role(ADMIN), *GRANTS):
                conn.execute(text(statement))
    except DBAPIError as exc:
        raise DatabaseProblem(
            f"The roles and grants of {describe(db.url)} cannot be set (run 'ethicsdesk db init' as the "
            f"database's owner, with the right to create roles): {first_line(exc)}."
        ) from None
