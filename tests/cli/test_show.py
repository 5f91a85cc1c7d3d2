"""`ethicsdesk show` in a real process: the whole record (the supervisor's verdict, notes, conditions,
signature and addenda, the checks and what is missing), wrapped once to the terminal's width."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

from ethicsdesk.service import Service, signing
from ethicsdesk.settings import User
from tests.conftest import CASE_MANAGER, DILEMMAS

ETHICSDESK = Path(sys.executable).parent / "ethicsdesk"
DANA = User("Dana Okafor", "supervisor")


def signed_record(url: str) -> str:
    cm = Service.open(url, CASE_MANAGER)
    (rid,) = cm.import_files([DILEMMAS / "discharge-against-advice.toml"])
    cm.request_consultation(rid, DANA.name, "Is a return home defensible?")
    sup = Service.open(url, DANA)
    sup.answer_consultation(rid, "concur-with-changes", "Sound reasoning overall.", "Call him on day two.")
    sup.sign(rid, signing.create_key(DANA.name, None))
    cm.add_addendum(rid, "follow-up", "Day-two call made.", "He was managing; the alarm was fitted.")
    cm.close()
    sup.close()
    return rid


def show(rid: str, db: Path, columns: int) -> str:
    env = {**os.environ, "ETHICSDESK_DB": f"sqlite:///{db}", "COLUMNS": str(columns)}
    done = subprocess.run([ETHICSDESK, "show", rid], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_show_holds_the_supervisors_answer_the_signature_and_the_addenda(tmp_path: Path) -> None:
    db = tmp_path / "show.db"
    rid = signed_record(f"sqlite:///{db}")
    out = show(rid, db, 100)
    for expected in (
        "CONCUR WITH CHANGES",
        "Sound reasoning overall.",
        "Call him on day two.",
        f"Signed by {DANA.name}",
        "ADDENDA",
        "He was managing; the alarm was fitted.",
        "CHECKS",
        "Publicity:",
        "WHAT IS STILL MISSING",
    ):
        assert expected in out, expected


def test_show_wraps_once_to_the_terminals_width(tmp_path: Path) -> None:
    db = tmp_path / "show.db"
    rid = signed_record(f"sqlite:///{db}")
    out = show(rid, db, 60)
    # the terminal is 60 wide; a hash (64 characters) is the one thing that may not fit
    long_lines = [line for line in out.splitlines() if len(line) > 58 and not any(len(w) >= 64 for w in line.split())]
    assert not long_lines, long_lines[:3]
    # single line breaks of the imported file read as spaces, and nothing is wrapped twice: a greedy
    # wrap to 58 never leaves a line short when the next line's first word would have fitted on it
    prose = out[out.index("SITUATION") : out.index("OBLIGATIONS")]  # the imported file's passages
    twice = [
        (a, b)
        for a, b in itertools.pairwise(prose.splitlines())
        if a.strip() and b.strip()
        and len(a) - len(a.lstrip()) == len(b) - len(b.lstrip()) > 0
        and not b.lstrip().startswith(("- ", "[", "-", "+", "·"))
        and not b.split()[0].endswith(":")
        and len(a) + 1 + len(b.split()[0]) <= 58
    ]
    assert not twice, twice[:3]
