"""Looking at a test's database from outside ethicsdesk, on either engine: every row of every table (to
say that a refused change wrote nothing), and a connection of one's own to change rows behind
ethicsdesk's back, as someone with the SQLite file or a PostgreSQL login could."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, create_engine, inspect, text
from sqlalchemy.pool import NullPool

from ethicsdesk.service import Service

# The triggers that keep the event log append-only (ethicsdesk/store/migrations/versions 0001, 0005).
APPEND_ONLY_TRIGGERS = {
    "sqlite": ("events_no_update", "events_no_delete"),
    "postgresql": ("events_append_only",),
}


def database_dump(service: Service) -> dict[str, list[tuple[object, ...]]]:
    """Every table of the service's database with all its rows, in a fixed order (by their text: a
    table's rows have no order of their own, and SQLite's bytes may move between the file and its WAL).
    Read through the service's own engine, committed data only; sequences are left out (PostgreSQL
    spends a number on a refused insert too, and nothing reads them back)."""
    engine = service.db.engine
    with engine.connect() as conn:
        return {
            table: sorted((tuple(row) for row in conn.execute(text(f'SELECT * FROM "{table}"'))), key=repr)
            for table in sorted(inspect(conn).get_table_names())
        }


@contextmanager
def outside_connection(url: str) -> Iterator[Connection]:
    """A connection of the test's own to the database at `url`, opened without anything ethicsdesk sets
    on its connections, in one transaction committed at the end (SQLAlchemy binds the parameters, so
    the same statement with `:name` parameters runs on both engines). On PostgreSQL it logs in as the
    test server's superuser, who, like the owner of a SQLite file, can drop any trigger."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


def drop_append_only_triggers(conn: Connection) -> None:
    """Drop the event log's append-only triggers, as a forger with the file or the superuser's login
    would before rewriting events."""
    for trigger in APPEND_ONLY_TRIGGERS[conn.dialect.name]:
        on_table = "" if conn.dialect.name == "sqlite" else " ON events"
        conn.execute(text(f"DROP TRIGGER IF EXISTS {trigger}{on_table}"))


def engine_name(service: Service) -> str:
    """`sqlite` or `postgresql`: the engine the service really talks to."""
    return service.db.engine.dialect.name
