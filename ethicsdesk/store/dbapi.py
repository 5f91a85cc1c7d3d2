"""Plain SQL over the DB-API of the engine in use: the one way the store reads (and logs an event).

Each query is written once, as SQL with `?` placeholders over our own schema, and runs either on the
standard library's `sqlite3` connection (the everyday commands on a SQLite file, which then never
import SQLAlchemy: about 450 ms of a process, bench/) or inside a SQLAlchemy session (writes,
migrations, PostgreSQL), through the session's own connection and transaction.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

BUSY_TIMEOUT_MS = 10_000
SQLITE_HEADER = b"SQLite format 3\x00"

Params = Sequence[Any]


class Rows(Protocol):
    """What the store's queries run on."""

    dialect: str  # "sqlite" or "postgresql"

    def all(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]: ...

    def each(self, sql: str, params: Params = ()) -> Iterator[tuple[Any, ...]]:
        """The rows one at a time, as the driver steps to them (the statement closed once they are
        all read or the iterator is dropped): a caller that folds thousands of rows never holds them all."""
        ...

    def run(self, sql: str, params: Params = ()) -> None: ...

    def run_many(self, sql: str, params: Iterable[Params]) -> None: ...


def first(rows: Rows, sql: str, params: Params = ()) -> tuple[Any, ...] | None:
    found = rows.all(sql, params)
    return found[0] if found else None


class DriverRows:
    """Queries on a `sqlite3` connection."""

    dialect = "sqlite"

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def all(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, tuple(params)).fetchall()

    def each(self, sql: str, params: Params = ()) -> Iterator[tuple[Any, ...]]:
        cursor = self.conn.execute(sql, tuple(params))
        try:
            yield from cursor
        finally:
            cursor.close()

    def run(self, sql: str, params: Params = ()) -> None:
        self.conn.execute(sql, tuple(params))

    def run_many(self, sql: str, params: Iterable[Params]) -> None:
        self.conn.executemany(sql, [tuple(p) for p in params])


class SessionRows:
    """Queries inside a SQLAlchemy session's (or connection's) transaction, through its driver; errors
    arrive wrapped by SQLAlchemy, as from the rest of that transaction's work."""

    def __init__(self, source: Any) -> None:
        self.source = source
        self._session = hasattr(source, "get_bind")
        self.dialect = (source.get_bind() if self._session else source).dialect.name

    def _exec(self, sql: str, params: Any) -> Any:
        conn = self.source.connection() if self._session else self.source
        # psycopg's placeholder is %s; our SQL holds no literal '%' or '?' besides the placeholders
        return conn.exec_driver_sql(sql if self.dialect == "sqlite" else sql.replace("?", "%s"), params)

    def all(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        result = self._exec(sql, tuple(params))
        if not result.returns_rows:
            return []
        # the driver's own fetchall: SQLAlchemy's result fetches a row at a time and wraps each in a
        # Row, several times the cost of the query for a batch's thousands of rows (store/record_batch.py)
        found = result.cursor.fetchall()
        if found and type(found[0]) is not tuple:  # sqlite3's and psycopg's rows are tuples already
            found = [tuple(r) for r in found]
        result.close()
        return found

    def each(self, sql: str, params: Params = ()) -> Iterator[tuple[Any, ...]]:
        result = self._exec(sql, tuple(params))
        try:
            if result.returns_rows:
                for row in result.cursor:
                    yield row if type(row) is tuple else tuple(row)
        finally:
            result.close()

    def run(self, sql: str, params: Params = ()) -> None:
        self._exec(sql, tuple(params))

    def run_many(self, sql: str, params: Iterable[Params]) -> None:
        batch = [tuple(p) for p in params]
        if batch:
            self._exec(sql, batch)


def rows_of(source: Any) -> Rows:
    """A `Rows` for a SQLAlchemy session, or `source` itself when it already is one."""
    if isinstance(source, DriverRows | SessionRows):
        return source
    return SessionRows(source)


def first_line(exc: BaseException) -> str:
    """The driver's own words, without SQLAlchemy's statement dump and link."""
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip().splitlines()
    return text[0].rstrip(".") if text else type(orig).__name__


# --- SQLite connections -----------------------------------------------------------------------------
def configure_sqlite(conn: Any) -> bool:
    """The pragmas of every connection: busy_timeout before journal_mode=WAL,
    synchronous=FULL, foreign_keys=ON; transactions are ours (BEGIN IMMEDIATE for writes).
    Returns whether the file is in WAL mode now."""
    conn.isolation_level = None
    cur = conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if _new_or_ours(cur):
        wal = _switch_to_wal(cur)
    else:  # a file left in its own mode: in WAL, if someone made it so
        wal = str(cur.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal"
    cur.execute("PRAGMA synchronous = FULL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.close()
    return wal


# How long a writer waiting for the write lock sleeps between tries (seconds, drawn at random).
# SQLite's own busy handler sleeps ever longer, up to 100 ms a try: while other processes write back to
# back, each taking the lock again within a millisecond or two of letting it go, a writer that looks
# once in 100 ms can miss every gap for the whole busy timeout and fail with "database is locked" (four
# writers with both cores busy: 6 of 800 edits lost, the slowest waiting 11 s; the median edit 55 ms).
WRITE_LOCK_RETRY = (0.0005, 0.002)


# In a connection's `info` (SQLAlchemy's, kept for the life of the driver's connection): its busy
# timeout is off, as a write on a WAL file left it (see `begin_immediate`).
BUSY_OFF = "ethicsdesk_busy_timeout_off"


def begin_immediate(execute: Callable[[str], object], wal_info: dict[str, Any] | None = None) -> None:
    """BEGIN IMMEDIATE through `execute` (the driver's or SQLAlchemy's), tried by this code every
    millisecond or so until the busy timeout, with SQLite's busy handler off meanwhile; an error other
    than a held lock, or the deadline, is raised as the driver raised it. The busy timeout is set
    again once the lock is taken, for the rest of the transaction (a checkpoint, a read).

    `wal_info`, the `info` of a connection to a WAL file: the timeout is left off after the lock is
    taken, and set again only before the connection's next read (`busy_timeout_back`). Holding the
    write lock of a WAL file, a transaction waits on no other lock (its commit's checkpoint is PASSIVE,
    which never waits), so the timeout is not used there; setting it off and on again was two of the
    seven statements of a score press. A file in another journal mode waits at its commit for readers
    to finish: it gets the timeout back at once."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    if wal_info is None or not wal_info.get(BUSY_OFF):
        execute("PRAGMA busy_timeout = 0")
        if wal_info is not None:
            wal_info[BUSY_OFF] = True
    try:
        while True:
            try:
                execute("BEGIN IMMEDIATE")
                return
            except Exception as exc:
                if not _locked(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(random.uniform(*WRITE_LOCK_RETRY))
    finally:
        if wal_info is None:
            execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")


def busy_timeout_back(execute: Callable[[str], object], info: dict[str, Any]) -> None:
    """Before a read on a connection a write left without its busy timeout: the timeout again."""
    if info.get(BUSY_OFF):
        execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        info[BUSY_OFF] = False


def _locked(exc: BaseException) -> bool:
    """Whether `exc` is SQLite's "database is locked" (or "busy"), raised by sqlite3 or SQLCipher's
    driver (matched by name: each has its own class) or wrapped by SQLAlchemy."""
    orig = getattr(exc, "orig", None) or exc
    return type(orig).__name__ == "OperationalError" and ("locked" in str(orig) or "busy" in str(orig))


def _switch_to_wal(cur: Any) -> bool:
    """journal_mode=WAL, tried again while another connection holds the file. The switch takes the
    file's exclusive lock from a shared one; when two connections to a new file make that step at
    once, SQLite answers one of them "database is locked" at once rather than wait in the busy handler
    (it would deadlock), so the busy timeout alone does not cover openers racing on a new database.
    The error is matched by name: sqlite3's and SQLCipher's drivers each have their own class."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            # the mode the file is in now: WAL, or what it stays in where WAL cannot be had (memory)
            return str(cur.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower() == "wal"
        except Exception as exc:
            if type(exc).__name__ != "OperationalError" or "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _new_or_ours(cur: Any) -> bool:
    """Whether the file is empty or an ethicsdesk database. WAL is a lasting property of the file, so
    a foreign SQLite file opened by mistake is left in its own journal mode: store/schema.py refuses
    it, and it must be exactly as it was."""
    names = {row[0] for row in cur.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return not (names - {"sqlite_sequence"}) or "alembic_version" in names


# POSIX record locks belong to a process and a file, not to a descriptor: closing ANY descriptor of a
# file drops every lock this process holds on it, SQLite's included. Reading a database's header while
# this process has connections open on it (a second service in one process) let another process's last
# connection think it was alone, checkpoint and remove the -wal under ours: "database disk image is
# malformed". So while this process holds a file open (`hold`), its header is answered from memory.
_held: dict[tuple[int, int], list[Any]] = {}  # (device, inode) -> [header, how many holders]


def _key(path: Path) -> tuple[int, int]:
    st = path.stat()
    return (st.st_dev, st.st_ino)


def file_header(path: Path) -> bytes:
    """The first 16 bytes of the file (fewer for a shorter one); never opened while this process holds it."""
    found = _held.get(_key(path))
    if found is not None:
        return bytes(found[0])
    with path.open("rb") as f:
        return f.read(len(SQLITE_HEADER))


def hold(path: Path, header: bytes) -> tuple[int, int]:
    """This process now has `path` open as a database (its header as read before opening)."""
    key = _key(path)
    entry = _held.setdefault(key, [header, 0])
    entry[1] += 1
    return key


def release(key: tuple[int, int]) -> None:
    entry = _held.get(key)
    if entry is not None:
        entry[1] -= 1
        if entry[1] <= 0:
            del _held[key]


def plain_sqlite_file(url: str) -> Path | None:
    """The existing, unencrypted file of a plain `sqlite:///path` URL; None for anything else (a new
    file, an encrypted one, memory, URL options, a server), which the full store opens instead."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = Path(url[len(prefix) :]).expanduser()
    try:
        if not path.is_file():
            return None
        if file_header(path) != SQLITE_HEADER:
            return None
    except OSError:
        return None
    return path


def connect_sqlite(path: Path) -> sqlite3.Connection:
    """An existing file, opened read-write without ever creating one (mode=rw)."""
    conn = sqlite3.connect(f"file:{quote(str(path))}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        configure_sqlite(conn)
    except BaseException:
        conn.close()
        raise
    return conn
