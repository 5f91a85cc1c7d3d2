"""`ethicsdesk due` and `ethicsdesk insight` from the command line: output, JSON, and bad input as one
sentence with its exit code."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ethicsdesk.service import Service
from ethicsdesk.settings import User, save_user
from tests.cli.conftest import Run

ME = User("Robin Ashdown", "case manager")


@pytest.fixture
def db(tmp_path: Path) -> str:
    save_user(ME)
    url = f"sqlite:///{tmp_path / 'agency.db'}"
    svc = Service.open(url, ME)
    try:
        today = datetime.now(UTC).date()
        late = svc.editing.create_record("Late follow-up", case_code="C-7")
        svc.editing.decide(late, "follow_up", (today - timedelta(days=2)).isoformat())
        asks = svc.editing.create_record("Asks the supervisor", case_code="C-8")
        svc.editing.request_consultation(asks, "Dana Lee", "Share with the daughter?")
    finally:
        svc.close()
    return url


def test_due_prints_the_overdue_follow_up_and_the_open_request(run: Run, db: str) -> None:
    code, out, err = run("due", "--db", db)
    assert (code, err) == (0, "")
    assert "Follow-ups overdue (1)" in out and "Late follow-up" in out and "2 days overdue" in out
    assert "Your open consultation requests (1)" in out and "asked of Dana Lee, today" in out


def test_due_json_names_the_work_by_id(run: Run, db: str) -> None:
    code, out, _ = run("due", "--json", "--db", db)
    found = json.loads(out)
    assert code == 0
    assert [f["days"] for f in found["overdue"]] == [-2]
    assert [r["whom"] for r in found["requests_mine"]] == ["Dana Lee"]
    assert found["due"] == [] and found["requests_to_me"] == []


def test_due_on_a_missing_database_is_one_sentence_and_creates_nothing(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "x.db"
    code, out, err = run("due", "--db", str(missing))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not missing.exists()


def test_insight_json_counts_own_records_and_reads_small_counts_as_under_five(run: Run, db: str) -> None:
    code, out, err = run("insight", "--format", "json", "--db", db)
    assert (code, err) == (0, "")
    found = json.loads(out)
    assert found["scope"] == "own" and found["since"] is None
    assert [m["records_opened"] for m in found["months"]] == ["<5"]
    assert found["follow_ups_overdue"] == "<5"
    assert "Late follow-up" not in out and "C-7" not in out


def test_insight_html_is_written_through_out_with_its_policy_and_no_script(run: Run, db: str, tmp_path: Path) -> None:
    page = tmp_path / "insight.html"
    code, out, err = run("insight", "--format", "html", "--out", page, "--db", db)
    assert (code, err) == (0, "") and out.startswith("Wrote ")
    html = page.read_text()
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "<svg" in html and "<script" not in html and " style=" not in html
    assert "Late follow-up" not in html
    code, _, err = run("insight", "--format", "html", "--out", page, "--db", db)
    assert code == 2 and "--force" in err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--since", "2026-13-01"), "--since takes a date"),
        (("--format", "pdf"), "--format is one of"),
    ],
)
def test_insight_refuses_bad_input_in_one_sentence(run: Run, db: str, args: tuple[str, ...], said: str) -> None:
    code, out, err = run("insight", *args, "--db", db)
    assert code == 2 and out == ""
    assert said in err and len(err.strip().splitlines()) == 1


def test_the_direct_start_runs_due_and_insight_as_typer_does(tmp_path: Path, db: str) -> None:
    """The console entry point runs the plain forms without Typer (cli/everyday.py): the same output,
    and bad input still one sentence with exit 2."""
    import subprocess
    import sys

    ethicsdesk = str(Path(sys.executable).parent / "ethicsdesk")
    env = {"PATH": "/usr/bin:/bin", "ETHICSDESK_HOME": str(tmp_path / "home")}
    shown = subprocess.run([ethicsdesk, "due", "--json", "--db", db], env=env, capture_output=True, text=True)
    assert shown.returncode == 0 and json.loads(shown.stdout)["today"]
    argv = [ethicsdesk, "insight", "--since", "soon", "--db", db]
    bad = subprocess.run(argv, env=env, capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stdout == ""
    said = "ethicsdesk: --since takes a date as YYYY-MM-DD, such as 2026-01-01, not 'soon'."
    assert bad.stderr.strip().splitlines() == [said]
