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
    (rid,) = cm.importing.import_files([DILEMMAS / "discharge-against-advice.toml"])
    cm.editing.request_consultation(rid, DANA.name, "Is a return home defensible?")
    sup = Service.open(url, DANA)
    sup.review.answer_consultation(rid, "concur-with-changes", "Sound reasoning overall.", "Call him on day two.")
    sup.review.sign(rid, signing.create_key(DANA.name, None))
    cm.review.add_addendum(rid, "follow-up", "Day-two call made.", "He was managing; the alarm was fitted.")
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


def test_the_weighing_table_counts_wide_text_in_terminal_cells(tmp_path: Path) -> None:
    """Option labels in Japanese fold under themselves within the width, measured in cells (a CJK
    character is two, rich.cells.cell_len); the score columns line up under their numbers."""
    from rich.cells import cell_len

    db = tmp_path / "wide.db"
    service = Service.open(f"sqlite:///{db}", CASE_MANAGER)
    rid = service.editing.create_record("東京の在宅介護")
    labels = ["退院を支援し、家族と安全計画を話し合い、訪問看護を毎日手配する", "リハビリを続ける", "Ask the family"]
    keys = [service.editing.add_option(rid, label) for label in labels]
    service.editing.score(rid, keys[0], "autonomy", 2)
    service.editing.score(rid, keys[2], "autonomy", -1)
    service.close()
    out = show(rid, db, 50)
    table = out[out.index("OPTIONS AND WEIGHING") : out.index("DECISION")].splitlines()[2:]
    listed = table[: table.index("")]
    assert max(cell_len(line) for line in listed) <= 48
    assert len(listed) > len(labels)  # the long label folded ...
    assert [line[:5] for line in listed[:2]] == ["  1. ", "     "]  # ... under itself
    assert "".join(line[5:] for line in listed[:-2]) == labels[0]  # folded without losing a character
    header, autonomy = table[len(listed) + 1], table[len(listed) + 2]
    assert autonomy.startswith("  Autonomy")
    for number, score in (("1", "+2"), ("2", "."), ("3", "-1")):
        assert cell_len(header[: header.index(number) + 1]) == cell_len(autonomy[: autonomy.index(score) + len(score)])
def test_show_lists_consultations_asked_during_the_walk_and_code_rules(tmp_path: Path) -> None:
    db = tmp_path / "show.db"
    url = f"sqlite:///{db}"
    cm = Service.open(url, CASE_MANAGER)
    assert isinstance(cm, Service)
    (rid,) = cm.importing.import_files([DILEMMAS / "discharge-against-advice.toml"])
    state = cm.record(rid)
    # the trainee ticks the code rule itself (the sample does not: nothing in it is falsified)
    cm.editing.set_obligation(rid, "documentation-integrity", True)
    cm.editing.check_floor(rid, "documentation-integrity", state.options[1].key, False)
    cm.editing.request_consultation(rid, DANA.name, "Is his refusal informed?", step="options")
    cm.editing.request_consultation(
        rid, "Westgate ethics committee", "May we share with his son?", kind="committee", step="situation"
    )
    cm.editing.record_consultation_answer(rid, 2, "Only with his consent.")
    sup = Service.open(url, DANA)
    assert isinstance(sup, Service)
    sup.review.answer_consultation(rid, "", "It is: he repeated the risks back to me.", number=1)
    cm.close()
    sup.close()
    out = " ".join(show(rid, db, 100).split())  # wrapping aside
    for expected in (
        f"1. At Options: {DANA.name} (supervisor), answered",
        "Is his refusal informed?",
        f"Answer ({DANA.name}):",
        "he repeated the risks back to me.",
        "2. At Situation: Westgate ethics committee (ethics committee), answered",
        f"Answer (Westgate ethics committee, written in by {CASE_MANAGER.name}):",
        "Documentation integrity [CODE RULE]",
        "break a code rule",
    ):
        assert expected in out, expected


def test_show_holds_a_mid_walk_answers_conditions_and_says_the_sign_off_was_not_requested(tmp_path: Path) -> None:
    db = tmp_path / "show.db"
    url = f"sqlite:///{db}"
    cm, sup = Service.open(url, CASE_MANAGER), Service.open(url, DANA)
    try:
        (rid,) = cm.importing.import_files([DILEMMAS / "discharge-against-advice.toml"])
        cm.editing.request_consultation(rid, DANA.name, "May we call his daughter?", step="situation")
        sup.review.answer_consultation(rid, "", "Only with his leave.", "Ask him first, in writing.", number=1)
    finally:
        cm.close()
        sup.close()
    out = " ".join(show(rid, db, 100).split())
    assert "Answer (Dana Okafor): Only with his leave. Conditions: Ask him first, in writing." in out
    assert "Sign-off consultation: not requested." in out
    assert "Not requested." not in out.replace("Sign-off consultation: not requested.", "")
