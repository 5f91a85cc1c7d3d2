"""What `export --out` may replace, and the order of file and event.

An export replaced whatever was at --out, the live database included (after which nothing opened
it), and a FIFO or a symlink; and the report was written before its event was logged, so a kill in
between left a report the log did not know. Now: an existing path only with --force; never the
database or its -wal/-shm (by name, by symlink or by hard link), never a FIFO or a device; the
report is made whole under a temporary name and given its name inside the transaction that logs
the event (the event was once committed even when the rename then failed).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from ethicsdesk.errors import BadInput
from ethicsdesk.service import Service
from ethicsdesk.service.exporting import export_record
from tests.cli.test_exit_durability import ETHICSDESK
from tests.conftest import CASE_MANAGER, DILEMMAS


def exports(service: Service, rid: str) -> list[dict[str, Any]]:
    return [e for e in service.integrity.event_payloads(rid) if e["type"] == "record.exported"]


def database_file(service: Service) -> Path:
    assert service.db.path is not None
    return service.db.path


def test_an_existing_file_is_kept_without_force(service: Service, sample_id: str, tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    out.write_text("someone's notes")
    with pytest.raises(BadInput) as caught:
        export_record(service, sample_id, "md", out)
    assert caught.value.message == f"{out} already exists; give --force to replace it."
    assert out.read_text() == "someone's notes"
    assert exports(service, sample_id) == []
    result = export_record(service, sample_id, "md", out, force=True)
    assert result.path == out and out.read_text().startswith("# ")
    assert len(exports(service, sample_id)) == 1


def test_the_default_name_is_not_replaced_either(
    service: Service, sample_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    export_record(service, sample_id, "json")
    with pytest.raises(BadInput, match="already exists"):
        export_record(service, sample_id, "json")
    assert export_record(service, sample_id, "json", force=True).path == tmp_path / f"ethicsdesk-{sample_id}.json"


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
def test_the_database_and_its_companions_are_never_replaced(
    service: Service, sample_id: str, suffix: str, force: bool
) -> None:
    db = database_file(service)
    target = db.with_name(db.name + suffix)
    size = target.stat().st_size if target.exists() else None
    with pytest.raises(BadInput) as caught:
        export_record(service, sample_id, "md", target, force=force)
    assert caught.value.message == f"{target} is the database ({target.name}); choose another file."
    assert (target.stat().st_size if target.exists() else None) == size  # -shm's bytes change with any read
    assert service.integrity.verify()[1] == [] and exports(service, sample_id) == []


@pytest.mark.parametrize("link", ["symlink", "hardlink"])
def test_a_link_to_the_database_is_refused_even_with_force(
    service: Service, sample_id: str, tmp_path: Path, link: str
) -> None:
    db = database_file(service)
    alias = tmp_path / "out" / "report.html"
    alias.parent.mkdir()
    (os.symlink if link == "symlink" else os.link)(db, alias)
    with pytest.raises(BadInput, match="is the database"):
        export_record(service, sample_id, "html", alias, force=True)
    assert service.integrity.verify()[1] == [] and service.record(sample_id).title


def test_a_fifo_is_refused_at_once_even_with_force(service: Service, sample_id: str, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    started = time.monotonic()
    with pytest.raises(BadInput) as caught:
        export_record(service, sample_id, "md", fifo, force=True)
    assert time.monotonic() - started < 5
    assert caught.value.message == f"{fifo} is a FIFO, not a regular file; choose a file to write."
    assert exports(service, sample_id) == []


def test_a_symlink_elsewhere_needs_force_and_then_the_link_is_replaced(
    service: Service, sample_id: str, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "kept.txt"
    elsewhere.write_text("not a report")
    link = tmp_path / "latest.md"
    link.symlink_to(elsewhere)
    with pytest.raises(BadInput, match="already exists"):
        export_record(service, sample_id, "md", link)
    export_record(service, sample_id, "md", link, force=True)
    assert not link.is_symlink() and link.read_text().startswith("# ")
    assert elsewhere.read_text() == "not a report"  # what the link pointed at is never written through


# --- the console script ------------------------------------------------------------------------------
def _ethicsdesk(*args: str | Path, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ETHICSDESK_DB": f"sqlite:///{db}"}
    return subprocess.run([ETHICSDESK, *map(str, args)], capture_output=True, text=True, env=env, timeout=60)


def test_the_command_refuses_the_live_database_and_it_still_opens(tmp_path: Path) -> None:
    db = tmp_path / "ethicsdesk.db"
    imported = _ethicsdesk("import", "--json", DILEMMAS / "gift-from-family.toml", db=db)
    rid = json.loads(imported.stdout)["id"]
    refused = _ethicsdesk("export", rid, "--out", db, "--force", db=db)
    assert (refused.returncode, refused.stdout) == (2, "")
    assert refused.stderr == f"ethicsdesk: {db} is the database ({db.name}); choose another file.\n"
    assert _ethicsdesk("verify", db=db).returncode == 0
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert _ethicsdesk("export", rid, "--out", fifo, db=db).returncode == 2  # at once, not blocked on the pipe


# --- with other processes at the same time ---------------------------------------------------------
EDITOR = """
import sys
from ethicsdesk.service import Service
from ethicsdesk.settings import User
service = Service.open(sys.argv[1], User("Another Writer", "case manager"))
for i in range(int(sys.argv[3])):
    service.editing.set_text(sys.argv[2], "facts", f"edit {i} while exporting")
service.close()
"""


@pytest.mark.slow
def test_exports_while_another_process_edits_and_another_exports(
    db_url: str, sample_id: str, tmp_path: Path
) -> None:
    """Every report written is logged, each shows a head that is in the chain, and verify holds."""
    editor = subprocess.Popen([sys.executable, "-c", EDITOR, db_url, sample_id, "60"])
    other = [
        subprocess.Popen(
            [ETHICSDESK, "export", sample_id, "--format", "json", "--out", tmp_path / f"other-{n}.json"],
            env={**os.environ, "ETHICSDESK_DB": db_url},
        )
        for n in range(3)
    ]
    service = Service.open(db_url, CASE_MANAGER)
    try:
        mine = [export_record(service, sample_id, "json", tmp_path / f"mine-{n}.json") for n in range(5)]
        assert editor.wait(timeout=300) == 0
        assert [p.wait(timeout=300) for p in other] == [0, 0, 0]
        files = sorted(tmp_path.glob("*.json"))
        assert len(files) == 8 and all(r.path in files for r in mine)
        logged = exports(service, sample_id)
        assert len(logged) == len(files)
        chain = {e.hash for e in service.history(sample_id)}
        for f in files:
            assert json.loads(f.read_text())["integrity"]["head_hash"] in chain
        assert service.integrity.verify()[1] == []
    finally:
        service.close()


KILLED_BEFORE_RENAME = """
import os, signal, sys
from pathlib import Path
from ethicsdesk.store import durable_files
from ethicsdesk.service.exporting import export_record
from ethicsdesk.service import Service
from ethicsdesk.settings import User

def die(tmp, path, *, replace):  # the moment between the event appended and the rename
    os.kill(os.getpid(), signal.SIGKILL)

durable_files.publish = die
service = Service.open(sys.argv[1], User("Robin Ashdown", "case manager"))
export_record(service, sys.argv[2], "md", Path(sys.argv[3]))
"""


def test_a_kill_between_the_event_and_the_rename_leaves_neither(
    service: Service, sample_id: str, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "r.md"
    out.parent.mkdir()
    url = f"sqlite:///{database_file(service)}"
    killed = subprocess.run([sys.executable, "-c", KILLED_BEFORE_RENAME, url, sample_id, str(out)], timeout=120)
    assert killed.returncode == -signal.SIGKILL
    assert not out.exists()  # no report the log does not know
    assert exports(service, sample_id) == []  # and no event for a report that was never named
    export_record(service, sample_id, "md", out)  # running it again works, and sweeps the dead temporary
    assert [p.name for p in out.parent.iterdir()] == ["r.md"]
    assert len(exports(service, sample_id)) == 1
