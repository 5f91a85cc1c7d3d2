"""The database itself, for the `db` commands: bring it to this version's schema, prepare a server's,
back a SQLite file up; and how a database is named in a message.

Each operation opens the database, does its one thing and closes every connection before it
returns (closing is what folds SQLite's -wal into the .db file,
so the file alone holds every record). The store is imported
inside each: `ethicsdesk --help` loads no SQLAlchemy.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from ethicsdesk.store.new_files import announce_new_files

__all__ = [
    "Initialised",
    "Upgraded",
    "announce_new_files",
    "backup_database",
    "close_every_database",
    "describe",
    "init_database",
    "upgrade_database",
]


@dataclass(frozen=True)
class Upgraded:
    where: str  # the database as a message names it (no password)
    before: str | None  # the schema it was at
    head: str  # the schema it is at now
    backup: Path | None  # the copy made first, for a SQLite file


@dataclass(frozen=True)
class Initialised:
    where: str
    before: str | None  # None: it was empty
    head: str
    grants: tuple[str, str] | None  # (staff role, administrator role) on a server; None for SQLite


def close_every_database() -> None:
    """Close every connection this process opened through SQLAlchemy, so SQLite folds each -wal into
    its .db file before the process exits. The store's engine module is not imported just for this:
    a process that never loaded it has no engine to close."""
    engine = sys.modules.get("ethicsdesk.store.engine")
    if engine is not None:
        engine.dispose_all()


def describe(url: str) -> str:
    """The database as a message names it: a file's path, a server's address without its password."""
    from ethicsdesk.store.url_text import describe

    return describe(url)


def two_databases(first: str, second: str) -> str:
    """The sentence for --db given twice with different values, which never shows them alike: two
    URLs may differ only in a user name, a password or a query secret, none of which is shown."""
    one, two = describe(first), describe(second)
    if one == two:
        return (
            f"--db is given twice with two different values, which differ only in credentials or a secret "
            f"that is not shown ({one}); give it once."
        )
    return f"--db is given twice with different databases ({one} and {two}); give it once."


def upgrade_database(url: str) -> Upgraded:
    """Bring the database to this version's schema (a SQLite file is backed up first); on a server,
    tables a migration adds get their grants too, since
    on a server the grants decide what each login may do."""
    from ethicsdesk.store.engine import describe, open_database
    from ethicsdesk.store.schema import HEAD, current_revision, upgrade

    database = open_database(url)
    try:
        before = current_revision(database)
        backup = upgrade(database)
        if not database.is_sqlite:
            from ethicsdesk.store.server_roles import secure

            secure(database)
        return Upgraded(describe(database.url), before, HEAD, backup)
    finally:
        database.dispose()


def backup_database(url: str, target: Path, *, create: bool = True) -> None:
    """A consistent copy of the SQLite database (made by SQLite, never a file copy); a file that is
    not there is made first only when `create` (the default database on first use)."""
    from ethicsdesk.store.engine import open_database
    from ethicsdesk.store.schema import backup, ensure_schema

    database = open_database(url, create=create)
    try:
        ensure_schema(database)
        backup(database, target)
    finally:
        database.dispose()


def init_database(url: str) -> Initialised:
    """Prepare an empty database at this version's schema (an older one is not upgraded here); on a
    server, what each login may do is the server's to enforce, so the grants are set."""
    from ethicsdesk.store.engine import describe, open_database
    from ethicsdesk.store.schema import HEAD, current_revision, ensure_schema
    from ethicsdesk.store.server_roles import ADMIN, STAFF, secure

    database = open_database(url)
    try:
        before = current_revision(database)
        ensure_schema(database, upgrade_older=False)
        grants = None
        if not database.is_sqlite:
            secure(database)
            grants = (STAFF, ADMIN)
        return Initialised(describe(database.url), before, HEAD, grants)
    finally:
        database.dispose()
