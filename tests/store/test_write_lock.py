"""A write on SQLite takes the write lock at BEGIN IMMEDIATE, tried by this code every millisecond or
so with SQLite's busy handler off. On a WAL file the handler stays off from one write to the next (a
transaction holding WAL's write lock waits on no other lock) and is back before a read; a file in
another journal mode gets it back at once, since its commit waits for readers."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from ethicsdesk.store.engine import BUSY_TIMEOUT_MS, open_database
from tests.statements import counted_statements

pytestmark = pytest.mark.sqlite_only

HELD = 0.3  # seconds another connection holds its lock: the write must wait it out, not fail


def test_on_a_wal_file_the_busy_timeout_is_off_from_write_to_write_and_back_for_a_read(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'ed.db'}")
    try:
        with db.writing() as s:
            s.execute(text("CREATE TABLE t (x)"))
        db.engine.dispose()  # one connection from here on: each unit of work below gets it again
        with counted_statements(db.engine) as sent:
            for n in range(2):
                with db.writing() as s:
                    s.execute(text(f"INSERT INTO t VALUES ({n})"))
                    in_write = s.execute(text("PRAGMA busy_timeout")).scalar()
            with db.reading() as s:
                in_read = s.execute(text("PRAGMA busy_timeout")).scalar()
        assert (in_write, in_read) == (0, BUSY_TIMEOUT_MS)
        assert sent == [
            "PRAGMA busy_timeout = 0",
            "BEGIN IMMEDIATE",
            "INSERT INTO t VALUES (0)",
            "PRAGMA busy_timeout",
            "BEGIN IMMEDIATE",  # the timeout is off already: no statement sets it
            "INSERT INTO t VALUES (1)",
            "PRAGMA busy_timeout",
            f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",  # before the read, once
            "BEGIN",
            "PRAGMA busy_timeout",
        ]
    finally:
        db.dispose()


def _held_by_another(path: Path, begin: str, then: str) -> tuple[sqlite3.Connection, threading.Timer]:
    """Another connection that runs `begin` and `then`, and commits HELD seconds later."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute(begin)
    other.execute(then).fetchall()
    release = threading.Timer(HELD, lambda: other.execute("COMMIT"))
    release.start()
    return other, release


def test_a_second_write_waits_for_the_lock_another_process_holds(tmp_path: Path) -> None:
    path = tmp_path / "ed.db"
    db = open_database(f"sqlite:///{path}")
    try:
        with db.writing() as s:
            s.execute(text("CREATE TABLE t (x)"))  # the connection's timeout is off from here
        other, release = _held_by_another(path, "BEGIN IMMEDIATE", "INSERT INTO t VALUES ('theirs')")
        try:
            with db.writing() as s:
                s.execute(text("INSERT INTO t VALUES ('mine')"))
        finally:
            release.join()
            other.close()
        with db.reading() as s:
            assert sorted(r[0] for r in s.execute(text("SELECT x FROM t"))) == ["mine", "theirs"]
    finally:
        db.dispose()


def test_a_file_in_rollback_mode_commits_once_its_reader_is_done(tmp_path: Path) -> None:
    """Not WAL (someone else's file, left in its own mode): the commit waits for a reader's lock to go,
    in the busy timeout, set again as soon as the write lock is taken."""
    path = tmp_path / "theirs.db"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE t (x)")
    raw.commit()
    raw.close()
    db = open_database(f"sqlite:///{path}")
    try:
        with db.writing() as s:
            s.execute(text("INSERT INTO t VALUES ('first')"))
        other, release = _held_by_another(path, "BEGIN", "SELECT x FROM t")
        try:
            with db.writing() as s:
                s.execute(text("INSERT INTO t VALUES ('second')"))
        finally:
            release.join()
            other.close()
        with db.reading() as s:
            assert sorted(r[0] for r in s.execute(text("SELECT x FROM t"))) == ["first", "second"]
    finally:
        db.dispose()
