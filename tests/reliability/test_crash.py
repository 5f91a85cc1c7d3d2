"""Crash: a real child process walks dilemmas through the service (crash_walker.py) and is SIGKILLed
at random moments. After every kill the database passes SQLite's own integrity check, every chain
verifies, and every edit the service acknowledged before the kill is in the log, exactly as
acknowledged (same sequence number, same hash: so the whole chain up to it is intact too).

Each kill waits for a condition, not a time: the child has acknowledged a drawn number of new edits,
then walks a drawn fraction of a second more. So every round interrupts a child at work however
loaded the machine (a kill timed from the start landed before the first edit on a busy machine, and
the test then had too few edits to show anything), and the rounds go on past the set number until the
walk has reached every kind of edit it must (with a cap: a walk that stalls fails).

The random seed is printed in every failure; `ETHICSDESK_SEED=<seed>` repeats the run's delays.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from ethicsdesk.service import Service
from ethicsdesk.service.signing import create_key
from tests.conftest import CASE_MANAGER
from tests.reliability.conftest import KILLS, PG_KILLS

pytestmark = pytest.mark.slow

WALKER = Path(__file__).with_name("crash_walker.py")
SUPERVISOR = "Dana Whitlock"
READY_DEADLINE = 60.0  # seconds for a child to open the service; only a hang comes near it
MAX_DELAY = 0.4  # seconds of walking after the drawn edits before the kill, uniformly from [0, MAX_DELAY)
MOST_EDITS = 6  # edits the child acknowledges in a round before the kill's delay starts: 1 to MOST_EDITS
MOST_ROUNDS = 4  # times the set number of kills: the rounds a walk may take to reach every kind of edit


@dataclass(frozen=True)
class Ack:
    record_id: str
    seq: int
    head: str
    what: str


def read_acks(path: Path) -> list[Ack]:
    """Every complete "ack" line. A line cut short by the kill was never fsynced as a whole, so it
    acknowledges nothing; it can only be the last one."""
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    acks = []
    for line in lines[:-1]:  # the part after the last newline is incomplete (or empty)
        if line.startswith("ack "):
            _, rid, seq, head, what = line.split(" ", 4)
            acks.append(Ack(rid, int(seq), head, what))
    return acks


def seed_of_run() -> int:
    return int(os.environ.get("ETHICSDESK_SEED") or random.SystemRandom().randrange(2**32))


def spawn(url: str, acks: Path, seed: int, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(WALKER), url, str(acks), str(seed), str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for(child: subprocess.Popen[bytes], ready: Callable[[], bool], what: str, context: str) -> None:
    """Until `ready()`; fails (with the child's stderr) if the child dies first or never gets there."""
    end = time.monotonic() + READY_DEADLINE
    while not ready():
        if child.poll() is not None:
            err = child.stderr.read().decode(errors="replace") if child.stderr else ""
            raise AssertionError(f"{context}: the child exited ({child.returncode}) before {what}:\n{err}")
        if time.monotonic() > end:
            child.kill()
            child.wait()
            raise AssertionError(f"{context}: the child never got to {what}")
        time.sleep(0.005)


def kill(child: subprocess.Popen[bytes], context: str) -> None:
    if child.poll() is not None:  # it stopped on its own: a walker error
        err = child.stderr.read().decode(errors="replace") if child.stderr else ""
        raise AssertionError(f"{context}: the child exited ({child.returncode}) before the kill:\n{err}")
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    if child.stderr:
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL, context


def readies(acks: Path) -> int:
    return acks.read_text(encoding="utf-8").count("ready ") if acks.exists() else 0


def acked(acks: Path) -> int:
    return len(read_acks(acks))


def check_acknowledged(service: Service, acks: list[Ack], context: str) -> None:
    """Every acknowledged edit is in the log at its sequence number with the hash it was given."""
    heads: dict[str, dict[int, str]] = {}
    for rid in {a.record_id for a in acks}:
        heads[rid] = {e.seq: e.hash for e in service.history(rid)}
    for a in acks:
        found = heads[a.record_id].get(a.seq)
        assert found == a.head, (
            f"{context}: the acknowledged '{a.what}' on {a.record_id} (event {a.seq}, {a.head[:12]}) "
            f"is {'missing' if found is None else f'replaced by {found[:12]}'}"
        )


def check_database(url: str, acks_file: Path, context: str, sqlite_file: Path | None) -> int:
    """Integrity, chains, projections and acknowledged edits; returns how many edits were acknowledged."""
    if sqlite_file is not None:
        conn = sqlite3.connect(sqlite_file)  # the plain driver: recovers the WAL as any reader would
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], context
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == [], context
        finally:
            conn.close()
    service = Service.open(url, CASE_MANAGER)
    try:
        checked, problems = service.integrity.verify()
        assert problems == [], f"{context}: verify found {problems}"
        acks = read_acks(acks_file)
        assert checked >= len({a.record_id for a in acks}), context
        check_acknowledged(service, acks, context)
        return len(acks)
    finally:
        service.close()


def crash_rounds(url: str, tmp_path: Path, kills: int, sqlite_file: Path | None, expect: set[str]) -> None:
    """At least `kills` rounds of start, walk, SIGKILL, check, each killed after the child acknowledged
    new edits; more rounds, up to MOST_ROUNDS times `kills`, until the walk reached every kind in `expect`."""
    seed = seed_of_run()
    rng = random.Random(seed)
    create_key(SUPERVISOR, None)  # in ETHICSDESK_HOME, which the child inherits
    acks = tmp_path / "acks.txt"
    out = tmp_path / "reports"
    out.mkdir()
    acknowledged = 0
    reached: set[str] = set()
    round_ = 0
    while round_ < kills or not expect <= reached:
        round_ += 1
        assert round_ <= kills * MOST_ROUNDS, (
            f"seed {seed}: after {round_ - 1} rounds the walk reached only {sorted(reached)}"
        )
        edits, delay = rng.randint(1, MOST_EDITS), rng.uniform(0, MAX_DELAY)
        context = f"seed {seed} (ETHICSDESK_SEED={seed}), kill {round_} after {edits} edits and {delay:.3f} s"
        started, before = readies(acks), acked(acks)
        child = spawn(url, acks, rng.randrange(2**32), out)
        wait_for(child, lambda: readies(acks) > started, "the service was open", context)  # noqa: B023
        wait_for(child, lambda: acked(acks) >= before + edits, f"{edits} edits", context)  # noqa: B023
        time.sleep(delay)  # into the middle of a later edit, or between two
        kill(child, context)
        now = check_database(url, acks, context, sqlite_file)
        assert now >= acknowledged + edits, context  # what was acknowledged stays so
        acknowledged = now
        reached = {a.what.split(" ")[0] for a in read_acks(acks)}


def test_sigkill_of_a_sqlite_writer_loses_no_acknowledged_edit(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    crash_rounds(f"sqlite:///{db}", tmp_path, KILLS, db, {"record.created", "cell.scored", "record.signed"})


@pytest.mark.postgres
def test_sigkill_of_a_postgresql_client_loses_no_acknowledged_edit(tmp_path: Path, pg_url: str) -> None:
    crash_rounds(pg_url, tmp_path, PG_KILLS, None, {"record.created", "cell.scored"})


def test_a_first_start_killed_while_it_makes_the_database_leaves_one_that_opens(tmp_path: Path) -> None:
    """The kill lands while the new file is being set up (schema migration), not after."""
    seed = seed_of_run()
    rng = random.Random(seed)
    create_key(SUPERVISOR, None)
    for round_ in range(1, max(3, KILLS // 4) + 1):
        db = tmp_path / f"first-{round_}.db"
        acks = tmp_path / f"acks-{round_}.txt"
        delay = rng.uniform(0, 0.15)
        context = f"seed {seed} (ETHICSDESK_SEED={seed}), first start {round_}, {delay:.3f} s after the file appeared"
        child = spawn(f"sqlite:///{db}", acks, rng.randrange(2**32), tmp_path)
        wait_for(child, db.exists, "the database file was made", context)
        time.sleep(delay)
        kill(child, context)
        check_database(f"sqlite:///{db}", acks, context, db)


def test_a_key_whose_writing_fails_part_way_leaves_no_key_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk (or a crash) while the supervisor's first key is written: no empty key file is left
    to refuse the next attempt and to fail to load as a "wrong passphrase"."""
    from ethicsdesk.errors import BadInput
    from ethicsdesk.service import signing
    from ethicsdesk.store import durable_files

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(durable_files.os, "fsync", disk_full)
        with pytest.raises(BadInput, match="No space left on device"):
            signing.create_key(SUPERVISOR, None)
    assert not signing.has_key(SUPERVISOR)
    assert list(signing.key_path(SUPERVISOR).parent.iterdir()) == []  # no temporary file either
    key = signing.create_key(SUPERVISOR, None)  # the next attempt works
    assert signing.load_key(SUPERVISOR, None).public_b64 == key.public_b64
