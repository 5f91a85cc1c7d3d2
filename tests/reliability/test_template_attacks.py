"""An agency's template folder, attacked.

`ln -s ~/.config/ethicsdesk/keys/<key>.pem DIR/logo.j2` and `{% include 'logo.j2' %}` put the
supervisor's private signing key into an exported report; nested `range(100000)` loops and
`9**(9**9)` ran until killed; a self-include was "unexpected error". Now every template path is
resolved and refused outside its folder (template_sandbox.ConfinedLoader), rendering is bounded in
time, loop items, number size and output size (template_sandbox.BoundedSandbox), and RecursionError
and MemoryError are one sentence with exit 2.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from ethicsdesk.errors import BadInput
from ethicsdesk.reporting import template_sandbox
from ethicsdesk.reporting.render import render_template
from tests.conftest import DILEMMAS
from tests.reliability.cli_process import ethicsdesk, one_sentence

PRIVATE = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIFAKEFAKEFAKEsyntheticNOTAKEY\n-----END PRIVATE KEY-----\n"


@pytest.fixture
def case(tmp_path: Path) -> dict[str, Any]:
    db = f"sqlite:///{tmp_path / 'agency.db'}"
    done = ethicsdesk("import", "--json", DILEMMAS / "gift-from-family.toml", db=db)
    agency = tmp_path / "agency"
    agency.mkdir()
    return {"db": db, "id": json.loads(done.stdout)["id"], "agency": agency, "out": tmp_path / "report.md"}


def export_with(case: dict[str, Any], template: str, timeout: float = 60) -> tuple[int, str, str]:
    (case["agency"] / "report.md.j2").write_text(template, encoding="utf-8")
    args = ("export", case["id"], "--format", "md", "--templates", case["agency"], "--out", case["out"], "--force")
    done = ethicsdesk(*args, db=case["db"], timeout=timeout)
    return done.returncode, done.stdout, done.stderr


# --- what a template may read ---------------------------------------------------------------------
@pytest.mark.slow
def test_a_symlink_out_of_the_folder_does_not_read_the_private_key(case: dict[str, Any], tmp_path: Path) -> None:
    key = tmp_path / "keys" / "supervisor.pem"
    key.parent.mkdir()
    key.write_text(PRIVATE, encoding="utf-8")
    (case["agency"] / "logo.j2").symlink_to(key)
    code, out, err = export_with(case, "# {{ record.title }}\n{% include 'logo.j2' %}\n")
    assert code == 2, err
    sentence = one_sentence(err)
    assert "logo.j2" in sentence and "outside" in sentence, sentence
    assert "PRIVATE KEY" not in out + err and not case["out"].exists()

    # a link that stays inside the folder is a template like any other (the second use works)
    (case["agency"] / "logo.j2").unlink()
    (case["agency"] / "parts").mkdir()
    (case["agency"] / "parts" / "real-logo.j2").write_text("LOGO HERE\n", encoding="utf-8")
    (case["agency"] / "logo.j2").symlink_to(case["agency"] / "parts" / "real-logo.j2")
    code, _, err = export_with(case, "# {{ record.title }}\n{% include 'logo.j2' %}\n")
    assert code == 0, err
    assert "LOGO HERE" in case["out"].read_text(encoding="utf-8")


def test_a_symlinked_folder_inside_does_not_lead_out_either(tmp_path: Path) -> None:
    agency = tmp_path / "agency"
    agency.mkdir()
    (tmp_path / "secret.j2").write_text(PRIVATE, encoding="utf-8")
    (agency / "sub").symlink_to(tmp_path)
    (agency / "report.md.j2").write_text("{% include 'sub/secret.j2' %}\n", encoding="utf-8")
    with pytest.raises(BadInput, match="leads outside") as caught:
        render_template("md", "report.md.j2", {}, agency)
    assert "PRIVATE KEY" not in caught.value.message


# --- how long and how much a template may render -----------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize(
    ("template", "said"),
    [
        ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "items"),
        ("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}", "items"),
        ("{{ 9**(9**9) }}", "too large"),
        ("{{ 'x' * 10**10 }}", "repeats"),
        ("{% include 'report.md.j2' %}", "itself"),
        ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "itself"),
    ],
    ids=["nested-range", "nested-range-writing", "power", "repeat", "self-include", "recursive-macro"],
)
def test_a_runaway_template_is_one_sentence_and_exit_2(case: dict[str, Any], template: str, said: str) -> None:
    code, _, err = export_with(case, template, timeout=60)  # a hang fails here (TimeoutExpired)
    assert code == 2, err
    sentence = one_sentence(err)
    assert said in sentence and not sentence.endswith(".."), sentence
    assert not case["out"].exists()


def test_a_loop_without_range_is_stopped_by_the_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(template_sandbox, "MAX_SECONDS", 0.5)
    (tmp_path / "report.md.j2").write_text(
        "{% for a in t %}{% for b in t %}{% for c in t %}{% for d in t %}{% for e in t %}"
        "{{ t.upper }}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    started = time.monotonic()
    with pytest.raises(BadInput, match=r"longer than 0\.5 seconds"):
        render_template("md", "report.md.j2", {"t": "x" * 200}, tmp_path)
    assert time.monotonic() - started < 10


def test_a_report_larger_than_any_report_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(template_sandbox, "MAX_OUTPUT_CHARS", 100_000)
    (tmp_path / "report.md.j2").write_text("{% for i in range(100000) %}{{ t }}{% endfor %}", encoding="utf-8")
    with pytest.raises(BadInput, match="more than 100,000 characters"):
        render_template("md", "report.md.j2", {"t": "y" * 50}, tmp_path)


def test_memory_running_out_is_one_sentence(tmp_path: Path) -> None:
    class Exhausting:
        def __str__(self) -> str:
            raise MemoryError

    (tmp_path / "report.md.j2").write_text("{{ boom }}\n", encoding="utf-8")
    with pytest.raises(BadInput, match="more memory than this computer has"):
        render_template("md", "report.md.j2", {"boom": Exhausting()}, tmp_path)
