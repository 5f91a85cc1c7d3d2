"""Raising a framework's version (ccmc 1 -> 2) must not strand the records weighed under the
old one: they open, verify and export with the current knowledge, and say which version they were
weighed under. Checked through the real command line, in subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from ethicsdesk.knowledge import load_framework
from ethicsdesk.service import Service
from tests.conftest import CASE_MANAGER

ETHICSDESK = Path(sys.executable).with_name("ethicsdesk")


def cli(url: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ETHICSDESK_DB": url}
    return subprocess.run([ETHICSDESK, *map(str, args)], capture_output=True, text=True, env=env, timeout=120)


def test_a_record_weighed_under_ccmc_version_1_opens_verifies_and_exports(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    current = load_framework("ccmc")
    assert current.version == "3"
    svc = Service.open(sqlite_url, CASE_MANAGER)
    try:
        # A record made before the bump stored version "1": hand the service ccmc as it was for this
        # one creation. Everything after it (editing, verify, show, export) runs the real code.
        with monkeypatch.context() as m:
            m.setattr(svc, "framework", lambda framework_id="ccmc": replace(current, version="1"))
            rid = svc.editing.create_record("Old record: a fall at home", case_code="C-0001")
        stay = svc.editing.add_option(rid, "Stay in rehabilitation")
        home = svc.editing.add_option(rid, "Go home with support")
        svc.editing.score(rid, stay, "nonmaleficence", 2)
        svc.editing.score(rid, home, "autonomy", 2)
        svc.editing.set_obligation(rid, "imminent-risk", True)
        assert svc.record(rid).framework_version == "1"
    finally:
        svc.close()

    verified = cli(sqlite_url, "verify", rid)
    assert verified.returncode == 0, verified.stdout + verified.stderr

    shown = cli(sqlite_url, "show", rid)
    assert shown.returncode == 0, shown.stderr
    assert "version 1" in shown.stdout and "[SAFETY FLOOR]" in shown.stdout

    out = tmp_path / "old.json"
    exported = cli(sqlite_url, "export", rid, "--format", "json", "--out", out)
    assert exported.returncode == 0, exported.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["framework"]["version"] == "3" and report["framework"]["record_version"] == "1"
    assert any(f["id"] == "framework-mismatch" and "version 1" in f["text"] for f in report["checks"]["findings"])
    # Today's knowledge applies: imminent risk is a safety floor about life, so life comes first.
    risk = next(o for o in report["obligations"] if o["id"] == "imminent-risk")
    assert risk["floor"] == "safety" and risk["legal_floor"] is False
    assert report["analysis"]["ranked"]["order"][0] == "nonmaleficence"
    assert "Dolgoff" in report["analysis"]["ranked"]["basis"]
