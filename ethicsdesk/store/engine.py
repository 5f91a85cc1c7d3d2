"""Opening a database: the SQLite file (embedded default) or a PostgreSQL server (agencies).

SQLite facts this relies on: `busy_timeout` before `journal_mode=WAL`,
`synchronous=FULL` and `foreign_keys=ON` on every connection, and `BEGIN IMMEDIATE` for writes,
emitted from SQLAlchemy's `begin` event with the driver's own transaction handling switched off.
Plain `BEGIN` lost a third of concurrent read-then-write transactions to "database is locked".
"""

from __future__ import annotations

import contextlib
import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlmodel import Session, create_engine

from ethicsdesk.errors import DatabaseProblem
from ethicsdesk.store import new_files
from ethicsdesk.store.dbapi import (
    BUSY_TIMEOUT_MS,
    SQLITE_HEADER,
    begin_immediate,
    busy_timeout_back,
    configure_sqlite,
    file_header,
    first_line,
    hold,
    release,
)
from ethicsdesk.store.url_text import describe, scrubbed, split_url

__all__ = ["BUSY_TIMEOUT_MS", "SQLITE_HEADER", "WRITE_OPTION", "Database", "describe", "first_line", "open_database"]
WRITE_OPTION = "ethicsdesk_write"  # an execution option: this transaction writes (BEGIN IMMEDIATE)


@dataclass
class Database:
    url: str
    engine: Engine
    path: Path | None  # the SQLite file, when there is one
    encrypted: bool = False  # a SQLCipher file (store/encryption.py), opened with its passphrase
    held: tuple[int, int] | None = None  # the file as store/dbapi.py's `hold` knows it

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @cached_property
    def _snapshot_engine(self) -> Engine:
        """The engine for reads. A SQLite transaction's reads share one snapshot already; PostgreSQL's
        default level gives each statement its own, so a record's tables and its log, read one after
        the other, could be of two moments, and a save made meanwhile at another desk was taken for
        tables changed outside ethicsdesk. There a read asks for REPEATABLE READ: one snapshot, and a
        transaction that only reads is never refused at that level."""
        if self.is_sqlite:
            return self.engine
        return self.engine.execution_options(isolation_level="REPEATABLE READ")

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with Session(self._snapshot_engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One unit of work: BEGIN IMMEDIATE on SQLite; committed on success, rolled back on error."""
        with Session(self.engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        self.engine.dispose()
        _open_engines.discard(self.engine)
        if self.held is not None:
            release(self.held)
            self.held = None


# Every engine opened in this process, so the exit path can close what a command left open before it
# freezes the heap (launch.exit_with): a connection never closed never checkpoints -wal into the file.
_open_engines: weakref.WeakSet[Engine] = weakref.WeakSet()


def dispose_all() -> None:
    for engine in list(_open_engines):
        with contextlib.suppress(Exception):  # on the way out: one broken server connection must not stop the rest
            engine.dispose()
    _open_engines.clear()


def _parsed(url: str) -> URL:
    """The URL as the driver is to get it: the credentials are what stands before the last `@`
    (store/url_text.py), so a password holding `@`, `/`, `?` or `#` is neither cut short nor read
    as part of the host, where the driver would print it."""
    split = split_url(url)
    if split.credentials is None or not split.scheme:
        return make_url(url)
    return make_url(split.scheme + split.rest).set(username=split.username or None, password=split.password)


def _sqlite_path(url: str) -> Path | None:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def sqlite_file(url: str) -> Path | None:
    """The SQLite file a URL names; None for a server, an in-memory database or a URL that does not
    parse (which opening it refuses in its own words)."""
    try:
        return _sqlite_path(url) if url.startswith("sqlite") else None
    except ArgumentError:
        return None


def _prepare_sqlite_file(path: Path, create: bool) -> bool:
    """Create the file 0600 before SQLite does (it then makes -wal and -shm 0600 too) when `create`,
    or check it. Returns whether it is an encrypted (SQLCipher) file, which has no plain header."""
    if path.exists():
        if path.is_dir():
            raise DatabaseProblem(f"{path} is a directory, not a database file.")
        if not os.access(path, os.R_OK):
            raise DatabaseProblem(f"The database file {path} cannot be read (permission denied).")
        head = file_header(path)
        if head and head != SQLITE_HEADER:
            from ethicsdesk.store.encryption import looks_encrypted

            if looks_encrypted(path):
                return True
            raise DatabaseProblem(f"{path} is not an ethicsdesk database (it is not an SQLite file).")
        return False
    if not create:
        raise DatabaseProblem(f"The database file {path} does not exist; nothing was created (check the path).")
    if not path.parent.is_dir():
        # A typo in a folder name must not become a new, empty database that nobody notices (issue
        # 13). The default folder is made by settings.default_db_url; any other is the user's to make.
        if path.parent.exists():
            raise DatabaseProblem(f"{path.parent} is not a folder, so the database {path.name} cannot be made in it.")
        raise DatabaseProblem(
            f"The folder {path.parent} does not exist; no database was created (check the path, or make the folder)."
        )
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return False
    except OSError as exc:
        raise DatabaseProblem(f"The database file {path} cannot be created: {exc.strerror}.") from None
    new_files.created(path)
    return False


def _on_sqlite_connect(dbapi_conn: Any, record: Any) -> None:
    # Let SQLAlchemy's begin event own the transaction instead of Python's sqlite3 module.
    record.info[WAL_INFO] = configure_sqlite(dbapi_conn)


WAL_INFO = "ethicsdesk_wal"  # in a connection's `info`: its file is in WAL mode


def _on_sqlite_begin(conn: Connection) -> None:
    info = conn.info
    if conn.get_execution_options().get(WRITE_OPTION):
        # tried often, not left to SQLite's slow-polling busy handler
        begin_immediate(conn.exec_driver_sql, info if info.get(WAL_INFO) else None)
    else:
        busy_timeout_back(conn.exec_driver_sql, info)
        conn.exec_driver_sql("BEGIN")


_DRIVERS = {"sqlite": "sqlite:///path", "postgresql": "postgresql+psycopg://…"}


def _refuse_unknown_driver(parsed: URL) -> None:
    """`postgresql+foo://` names a driver SQLAlchemy has no plugin for: one sentence naming it (it
    was "unexpected error (NoSuchModuleError…)")."""
    backend = parsed.get_backend_name()
    if backend not in _DRIVERS:
        return  # said below: ethicsdesk works with SQLite or PostgreSQL
    try:
        parsed.get_dialect()
    except NoSuchModuleError:
        driver = parsed.get_driver_name()[:60]
        raise DatabaseProblem(
            f"'{driver}' is not a database driver ethicsdesk knows for {backend} (write {_DRIVERS[backend]})."
        ) from None


def _sqlite_engine(parsed: URL, path: Path | None, encrypted: bool) -> tuple[Engine, str]:
    """The engine over a SQLite file (over sqlcipher3 when it is encrypted, with the passphrase it
    was opened with) or over memory, with the pragmas and transactions every connection needs."""
    passphrase = ""
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    if encrypted and path is not None:
        # encryption at rest: the same engine over sqlcipher3; each connection is keyed before the pragmas
        from ethicsdesk.store import encryption

        kwargs = {"module": encryption.cipher_module()}
        passphrase = encryption.passphrase_for(path)
        kwargs["creator"] = encryption.creator(path, passphrase)
    elif path is None:
        from sqlalchemy.pool import StaticPool

        kwargs["poolclass"] = StaticPool
    if path is not None:
        # the connection used last, again: a run of writes (a walk's saves) keeps to one connection,
        # whose busy timeout the first of them set off (store/dbapi.py), and whose pages are cached
        kwargs["pool_use_lifo"] = True
    engine = create_engine(parsed, **kwargs)
    sa_event.listen(engine, "connect", _on_sqlite_connect)
    sa_event.listen(engine, "begin", _on_sqlite_begin)
    return engine, passphrase


def open_database(url: str, *, create: bool = True) -> Database:
    """Connect and check that the database can be used; the schema is checked by `migrations`. A
    SQLite file that does not exist is made only when `create` (a read never makes one)."""
    try:
        parsed = _parsed(url)
    except ArgumentError:
        raise DatabaseProblem(
            f"'{describe(url)[:300]}' is not a database URL (try sqlite:///path or postgresql+psycopg://…)."
        ) from None
    except ValueError:  # SQLAlchemy reads the port with int()
        raise DatabaseProblem(
            f"The database URL {describe(url)[:300]} has a port that is not a number (for example :5432)."
        ) from None
    backend = parsed.get_backend_name()
    _refuse_unknown_driver(parsed)
    encrypted = False
    passphrase = ""
    if backend == "sqlite":
        path = _sqlite_path(url)
        if path is not None:
            encrypted = _prepare_sqlite_file(path, create)
        engine, passphrase = _sqlite_engine(parsed, path, encrypted)
    elif backend == "postgresql":
        path = None
        try:
            engine = create_engine(parsed, pool_pre_ping=True)
        except ModuleNotFoundError:
            raise DatabaseProblem("PostgreSQL needs the driver: pip install 'ethicsdesk[postgres]'.") from None
    else:
        raise DatabaseProblem(f"ethicsdesk works with SQLite or PostgreSQL, not '{backend}'.")
    db = Database(url=url, engine=engine, path=path, encrypted=encrypted)
    if path is not None:  # before the first connection: from now on its header is not read again
        db.held = hold(path, file_header(path) if encrypted else SQLITE_HEADER)
    _open_engines.add(engine)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
    except (OperationalError, DBAPIError) as exc:
        db.dispose()
        if encrypted and path is not None and "not a database" in first_line(exc):
            # SQLCipher's words for a key that does not decrypt page 1; the connect event's first
            # read fails before any pragma that writes, so the file is as it was.
            from ethicsdesk.store.encryption import wrong_passphrase

            raise wrong_passphrase(path) from None
        raise DatabaseProblem(
            f"The database {describe(url)} cannot be opened: {scrubbed(first_line(exc), url)}."
        ) from None
    if encrypted and path is not None:
        from ethicsdesk.store.encryption import remember

        remember(path, passphrase)
    return db
