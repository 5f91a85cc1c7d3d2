"""Several processes opening a NEW database at once all succeed.

Schema creation ran under a deferred BEGIN and did not look again once it had the lock: of two
processes that both found the database empty, one failed with "database is locked" (4 of 6 trials)
or, on PostgreSQL, with a duplicate table. Now it runs under BEGIN IMMEDIATE (SQLite) or an advisory
lock (PostgreSQL) and re-reads the revision inside the lock, so the later ones find the work done.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ethicsdesk.service import Service
from tests.conftest import CASE_MANAGER, PG_SERVER, WORKER

PROCESSES = 4
# Four trials of four openers: each trial is a real race, all four waiting at the line before any
# goes (below); the old fault failed 4 trials of 6, so four passing together is no luck.
TRIALS = 4

OPENER = """
import os, sys, time
from pathlib import Path
from ethicsdesk.service import Service
from ethicsdesk.settings import User
go = Path(sys.argv[2])
Path(f"{go}.waiting-{sys.argv[3]}").touch()  # imported and at the line
while not go.exists():  # all start together, to meet on the empty database
    time.sleep(0.001)
service = Service.open(sys.argv[1], User(f"Opener {sys.argv[3]}", "case manager"))
service.editing.create_record(f"Made by opener {sys.argv[3]}")
service.close()
"""

_names = itertools.count()


@pytest.fixture(params=["sqlite", "postgresql"])
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    """A maker of URLs of databases that exist but are empty (PostgreSQL) or do not exist yet (SQLite)."""
    made: list[str] = []

    def make() -> str:
        n = next(_names)
        if request.param == "sqlite":
            return f"sqlite:///{tmp_path / f'new-{n}.db'}"
        psycopg = pytest.importorskip("psycopg")
        name = f"ethicsdesk_race_{WORKER}_{os.getpid()}_{n}"
        try:
            with psycopg.connect(_admin(), autocommit=True, connect_timeout=3) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
        except psycopg.OperationalError as exc:
            pytest.skip(f"PostgreSQL is not running: {exc}")
        made.append(name)
        return f"{PG_SERVER}/{name}"

    yield make
    if made:
        import psycopg

        with psycopg.connect(_admin(), autocommit=True) as conn:
            for name in made:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _admin() -> str:
    return PG_SERVER.replace("postgresql+psycopg://", "postgresql://") + "/postgres"


@pytest.mark.slow
def test_processes_racing_to_open_a_new_database_all_succeed(new_database: object, tmp_path: Path) -> None:
    assert callable(new_database)
    for trial in range(TRIALS):
        url = new_database()
        go = tmp_path / f"go-{trial}"
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", OPENER, url, str(go), str(n)], stderr=subprocess.PIPE, text=True
            )
            for n in range(PROCESSES)
        ]
        # every interpreter started and waiting at the line (on a loaded machine a fixed wait was
        # sometimes too short, and the openers no longer met on the empty database)
        waiting = [Path(f"{go}.waiting-{n}") for n in range(PROCESSES)]
        end = time.monotonic() + 120
        while not all(w.exists() for w in waiting):
            assert all(p.poll() is None for p in procs), f"trial {trial}: an opener ended before the start"
            assert time.monotonic() < end, f"trial {trial}: the openers never all got to the line"
            time.sleep(0.01)
        go.touch()
        failures = []
        for p in procs:
            _out, err = p.communicate(timeout=300)
            if p.returncode != 0:
                failures.append(err.strip().splitlines()[-1] if err.strip() else f"exit {p.returncode}")
        assert failures == [], f"trial {trial}: {failures}"
        service = Service.open(url, CASE_MANAGER)
        try:
            assert len(service.list_records()) == PROCESSES
            assert service.integrity.verify()[1] == []
        finally:
            service.close()
