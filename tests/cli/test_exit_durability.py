"""After any command exits, the `.db` file alone holds every record.

The command line freezes the heap just before exit (launch.exit_with: about 180 ms saved). With a
connection still open that froze it unfinalised, SQLite never checkpointed, and every record sat only in
`ethicsdesk.db-wal` while the `.db` that people copy as a backup was 4 KB. These tests run the real
console script in a subprocess (nothing patched) and then read a copy of the `.db` file alone.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DILEMMAS

ETHICSDESK = str(Path(sys.executable).with_name("ethicsdesk"))
GIFT = DILEMMAS / "gift-from-family.toml"
DISCHARGE = DILEMMAS / "discharge-against-advice.toml"


def ethicsdesk(*args: str | Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ETHICSDESK_HOME": str(home)}
    env.pop("ETHICSDESK_DB", None)
    return subprocess.run([ETHICSDESK, *map(str, args)], capture_output=True, text=True, env=env, timeout=120)


def counts_in(db_file: Path) -> tuple[int, int]:
    """(records, events) in a database file, read read-only with the plain sqlite3 module."""
    conn = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        records = conn.execute("SELECT count(*) FROM records").fetchone()[0]
        events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        conn.close()
    return records, events


def the_db_file_alone(db: Path, into: Path) -> Path:
    """What a user's `cp ethicsdesk.db backup/` copies: the `.db` without its -wal and -shm."""
    into.mkdir(exist_ok=True)
    copy = into / db.name
    copy.unlink(missing_ok=True)
    shutil.copyfile(db, copy)
    return copy


def test_after_each_command_the_db_file_alone_holds_every_record(tmp_path: Path) -> None:
    home = tmp_path / "home"
    db = home / "ethicsdesk.db"
    copies = tmp_path / "copies"
    expected = {"events": 0}

    def check(*args: str | Path, adds: int = 0) -> subprocess.CompletedProcess[str]:
        expected["events"] += adds
        done = ethicsdesk(*args, home=home)
        assert done.returncode == 0, done.stderr
        assert counts_in(the_db_file_alone(db, copies)) == (2, expected["events"]), args
        wal = db.with_name(db.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0, f"{args}: data left in -wal"
        return done

    imported = ethicsdesk("import", "--json", GIFT, DISCHARGE, home=home)
    assert imported.returncode == 0, imported.stderr
    expected["events"] = 2
    assert counts_in(the_db_file_alone(db, copies)) == (2, 2)
    rid = json.loads(imported.stdout)[0]["id"]

    check("export", rid, "--format", "json", "--out", tmp_path / "r.json", adds=1)  # an export is an event
    check("export", rid, "--format", "md", "--out", tmp_path / "r.md", adds=1)
    check("list", "--json")
    check("show", rid)
    check("verify")
    check("replay", rid, "--text")
    check("db", "backup", tmp_path / "backup.db")
    assert counts_in(tmp_path / "backup.db") == (2, expected["events"])
    check("db", "upgrade")
    check("users", "add", "Dana Okafor", "--role", "supervisor")


def test_a_failing_command_leaves_the_file_whole_too(tmp_path: Path) -> None:
    home = tmp_path / "home"
    db = home / "ethicsdesk.db"
    assert ethicsdesk("import", GIFT, home=home).returncode == 0
    failed = ethicsdesk("export", "nosuchrecord", home=home)
    assert failed.returncode == 1
    assert counts_in(the_db_file_alone(db, tmp_path / "copies")) == (1, 1)


@pytest.mark.parametrize("where", ["root", "command"])
def test_the_db_file_alone_is_whole_with_an_explicit_url(tmp_path: Path, where: str) -> None:
    db = tmp_path / "agency.db"
    url = f"sqlite:///{db}"
    args: list[str | Path] = ["--db", url, "import", GIFT] if where == "root" else ["import", GIFT, "--db", url]
    done = ethicsdesk(*args, home=tmp_path / "home")
    assert done.returncode == 0, done.stderr
    assert counts_in(the_db_file_alone(db, tmp_path / "copies")) == (1, 1)
