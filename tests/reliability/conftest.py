"""The reliability suite: crash, fuzz, tamper, a stateful model of the service, and hostile
text end to end.

CI runs the CI figures below on every push. The heavy figures are for a longer run by hand, before a
release or after a change to the store or the service:

    ETHICSDESK_HEAVY=1 .venv/bin/python -m pytest tests/reliability

`ETHICSDESK_SEED` fixes the crash test's random seed (the failure message names the seed it used).
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

HEAVY = os.environ.get("ETHICSDESK_HEAVY", "") == "1"


def figure(ci: int, heavy: int) -> int:
    """The CI figure, or the heavy one when ETHICSDESK_HEAVY=1."""
    return heavy if HEAVY else ci


KILLS = figure(20, 120)  # SIGKILLs of a SQLite writer
PG_KILLS = figure(6, 40)  # SIGKILLs of a PostgreSQL client
# Generated dilemma files per fuzz test. The examples are the same each run (the "ci" hypothesis
# profile, tests/conftest.py), so past a few hundred they repeat shapes already read: 600 still give
# each of the six kinds of file of test_any_file_is_read_or_refused_in_one_line about a hundred
# examples, and every optional field of a valid file hundreds of times present and absent. The
# heavy run (`make test-heavy`, by hand before a release) draws 10,000.
FUZZ_EXAMPLES = figure(600, 10_000)
IMPORT_EXAMPLES = figure(200, 2_000)  # batches with one bad file
TAMPER_EXAMPLES = figure(200, 3_000)  # single-field changes
STATEFUL_EXAMPLES = figure(30, 300)  # runs of the state machine
STATEFUL_STEPS = figure(20, 50)  # rules per run

# Tables that hold no record's reasoning, and why verify is right to leave them alone.
NOT_REASONING = {
    "cursors": "where a user left a record in the walk: navigation, kept out of the log (store/tables.py)",
    "record_search": "the full-text index, derived from the tables for search (store/projection.py)",
    "users": "who may do what on a shared database; each event carries the actor's role itself",
    "alembic_version": "the schema revision",
    "database_meta": "the database's id, which a checkpoint names; a changed id refuses the checkpoint (exit 2)",
    "tombstones": "purged records only, none here; forged and changed ones: test_tamper_anchors.py",
    "trusted_keys": "PostgreSQL only (a SQLite desk keeps its trusted keys in a file outside the database)",
    "role_changes": "PostgreSQL only, written by a server trigger",
}


def row_counts(db_file: Path) -> dict[str, int]:
    """Rows per table of a SQLite file, read with the plain sqlite3 module (not through ethicsdesk)."""
    conn = sqlite3.connect(db_file)
    try:
        tables = [
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            if not name.startswith(("sqlite_", "record_search_"))
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()
