"""An export logs only what happened.

With the final link failing (`strace -f -e inject=link:error=EPERM ethicsdesk export …`) the command
exited 2 and the log still gained a `record.exported` event: the event was committed before the
report got its name. Now the event and the naming are one transaction: a failed publish leaves
neither file nor event. And a filesystem without hard links (FAT: link() fails with EPERM, ENOTSUP or
EXDEV) still exports, through an exclusive create that never replaces a file.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ethicsdesk.errors import BadInput
from ethicsdesk.service import Service
from ethicsdesk.service.exporting import export_record
from ethicsdesk.store import durable_files
from tests.conftest import DILEMMAS
from tests.reliability.cli_process import ETHICSDESK, ethicsdesk, one_sentence


def events(service: Service, rid: str) -> list[str]:
    return [str(e["type"]) for e in service.integrity.event_payloads(rid)]


def _failing(code: int) -> object:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    return fail


def test_a_failed_link_leaves_the_log_as_it_was(
    service: Service, sample_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = events(service, sample_id)
    monkeypatch.setattr(durable_files.os, "link", _failing(errno.EIO))
    with pytest.raises(BadInput, match="Input/output error"):
        export_record(service, sample_id, "md", tmp_path / "r.md")
    assert events(service, sample_id) == before
    assert not (tmp_path / "r.md").exists()


def test_a_failed_replace_with_force_leaves_the_log_and_the_old_file(
    service: Service, sample_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "r.md"
    out.write_text("last week's report")
    before = events(service, sample_id)
    monkeypatch.setattr(durable_files.os, "replace", _failing(errno.EIO))
    with pytest.raises(BadInput, match="Input/output error"):
        export_record(service, sample_id, "md", out, force=True)
    assert events(service, sample_id) == before
    assert out.read_text() == "last week's report"


@pytest.mark.parametrize("code", [errno.EPERM, errno.ENOTSUP, errno.EXDEV], ids=errno.errorcode.get)
def test_without_hard_links_the_report_is_still_written_and_logged_once(
    service: Service, sample_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    monkeypatch.setattr(durable_files.os, "link", _failing(code))
    for n in (1, 2):  # the second export as well as the first
        out = tmp_path / f"r{n}.md"
        assert export_record(service, sample_id, "md", out).path == out
        assert out.read_text(encoding="utf-8").startswith("# ")
        assert events(service, sample_id).count("record.exported") == n
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".md") == ["r1.md", "r2.md"]
    with pytest.raises(BadInput, match="already exists"):  # the exclusive create never replaces a file
        export_record(service, sample_id, "md", tmp_path / "r1.md")
    assert events(service, sample_id).count("record.exported") == 2


def test_without_hard_links_a_failed_rename_leaves_no_placeholder_and_no_event(
    service: Service, sample_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    before = events(service, sample_id)
    monkeypatch.setattr(durable_files.os, "link", _failing(errno.EPERM))
    monkeypatch.setattr(durable_files.os, "rename", _failing(errno.EIO))
    with pytest.raises(BadInput, match="Input/output error"):
        export_record(service, sample_id, "md", out_dir / "r.md")
    assert list(out_dir.iterdir()) == []
    assert events(service, sample_id) == before


# --- the hand attack, in a real process --------------------------------------------------------------
@pytest.mark.slow
def test_the_injected_link_failure_of_the_report(tmp_path: Path) -> None:
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed")
    db = f"sqlite:///{tmp_path / 'x.db'}"
    rid = json.loads(ethicsdesk("import", "--json", DILEMMAS / "gift-from-family.toml", db=db).stdout)["id"]

    def export_with(error: str, out: Path) -> subprocess.CompletedProcess[str]:
        inject = ["-f", "-o", os.devnull, "-e", "trace=link,linkat", "-e", f"inject=link,linkat:error={error}"]
        env = {**os.environ, "ETHICSDESK_DB": db, "ETHICSDESK_DEBUG": ""}
        command = [strace, *inject, str(ETHICSDESK), "export", rid, "--format", "md", "--out", str(out)]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)

    def exported() -> int:
        replay = ethicsdesk("replay", "--text", rid, db=db)
        return replay.stdout.count("exported as md")

    probe = export_with("EIO", tmp_path / "failed.md")
    if "PTRACE" in probe.stderr or "Operation not permitted" in probe.stderr.split("\n")[0]:
        pytest.skip(f"strace cannot trace here: {probe.stderr[:200]}")
    assert probe.returncode == 2, probe.stderr
    assert "Input/output error" in one_sentence(probe.stderr)
    assert not (tmp_path / "failed.md").exists() and exported() == 0

    fat = export_with("EPERM", tmp_path / "fat.md")  # a filesystem without hard links
    assert fat.returncode == 0, fat.stderr
    assert (tmp_path / "fat.md").read_text(encoding="utf-8").startswith("# ") and exported() == 1
