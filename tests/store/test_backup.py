"""`db backup` never leaves a partial file at the name it was given.

VACUUM INTO wrote straight to the final name, so a killed backup left a partial file there that
later read as "encrypted", and a re-run refused because the name was taken. Now SQLite copies into
a private temporary name in the same folder, and the copy is linked to its name only when whole.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ethicsdesk.service import Service
from ethicsdesk.store.schema import backup
from tests.cli.test_exit_durability import ETHICSDESK
from tests.conftest import CASE_MANAGER

pytestmark = pytest.mark.sqlite_only


def records_in(db_file: Path) -> int:
    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(conn.execute("SELECT count(*) FROM records").fetchone()[0])
    finally:
        conn.close()


def big_database(db: Path, records: int) -> None:
    """A few records, padded (in a table of its own, 32 MB of random bytes) so that VACUUM INTO takes
    long enough to be killed part-way."""
    service = Service.open(f"sqlite:///{db}", CASE_MANAGER)
    try:
        for n in range(records):
            service.editing.create_record(f"Record {n}")
    finally:
        service.close()
    conn = sqlite3.connect(db)
    try:
        conn.execute("CREATE TABLE padding (b BLOB)")
        conn.executemany("INSERT INTO padding VALUES (randomblob(65536))", [()] * 512)
        conn.commit()
    finally:
        conn.close()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:  # a temporary that went away between listing and looking
        return 0


def test_the_copy_is_named_only_when_whole(service: Service, tmp_path: Path) -> None:
    service.editing.create_record("One")
    target = tmp_path / "out" / "copy.db"
    target.parent.mkdir()
    backup(service.db, target)
    assert [p.name for p in target.parent.iterdir()] == ["copy.db"]  # no temporary left beside it
    assert records_in(target) == 1
    assert target.stat().st_mode & 0o777 == 0o600


def test_a_killed_backup_leaves_nothing_at_the_name_and_a_rerun_works(tmp_path: Path) -> None:
    db = tmp_path / "ethicsdesk.db"
    big_database(db, 60)
    env = {**os.environ, "ETHICSDESK_DB": f"sqlite:///{db}"}
    out = tmp_path / "out"
    out.mkdir()
    target = out / "backup.db"
    killed_mid_copy = 0
    for _trial in range(4):
        proc = subprocess.Popen([ETHICSDESK, "db", "backup", target], env=env, stderr=subprocess.PIPE)
        # Wait until SQLite has begun writing the copy (under whatever name), then kill it outright.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if any(_size(p) > 0 for p in out.iterdir() if not p.name.endswith("-journal")):
                break
            time.sleep(0.002)
        if proc.poll() is None:
            proc.kill()
            killed_mid_copy += 1
        proc.wait(timeout=60)
        assert proc.stderr is not None
        proc.stderr.close()
        if proc.returncode == -signal.SIGKILL:
            assert not target.exists(), "a killed backup left a file at the final name"
        else:
            assert proc.returncode == 0 and records_in(target) == 60
            target.unlink()
    assert killed_mid_copy >= 1, "no kill landed during the copy: make the database bigger"
    rerun = subprocess.run([ETHICSDESK, "db", "backup", target], env=env, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert records_in(target) == 60
    assert [p.name for p in out.iterdir()] == ["backup.db"]  # the killed runs' temporaries are swept


@pytest.mark.slow
def test_a_backup_while_another_process_writes_is_consistent(tmp_path: Path) -> None:
    db = tmp_path / "ethicsdesk.db"
    url = f"sqlite:///{db}"
    big_database(db, 5)
    writer = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys\n"
            "from ethicsdesk.service import Service\n"
            "from ethicsdesk.settings import User\n"
            "s = Service.open(sys.argv[1], User('Another Writer', 'case manager'))\n"
            "for n in range(80): s.editing.create_record(f'Written during the backup {n}')\n"
            "s.close()\n",
            url,
        ]
    )
    env = {**os.environ, "ETHICSDESK_DB": url}
    copies = []
    for n in range(4):
        target = tmp_path / f"copy-{n}.db"
        done = subprocess.run(
            [ETHICSDESK, "db", "backup", target], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        copies.append(target)
    assert writer.wait(timeout=300) == 0
    for copy in copies:
        assert 5 <= records_in(copy) <= 85
        service = Service.open(f"sqlite:///{copy}", CASE_MANAGER)
        try:
            assert service.integrity.verify()[1] == []  # each copy is one consistent moment
        finally:
            service.close()
