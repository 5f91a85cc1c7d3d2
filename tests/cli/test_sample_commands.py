"""`ethicsdesk samples`: validate says ok for each good dilemma file and names a bad one's file and line
(exit 2); list --json describes the library."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.conftest import DISCHARGE, GIFT, invoke


def test_samples_validate_good_files() -> None:
    result = invoke("samples", "validate", GIFT, DISCHARGE)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"ok  {GIFT}  (gift-from-family, 4 options, reference)",
        f"ok  {DISCHARGE}  (discharge-against-advice, {_options(DISCHARGE)} options, reference)",
    ]


def test_samples_validate_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    text = GIFT.read_text().replace("equity = -2", "equity = 5")
    bad.write_text(text)
    line = text.splitlines().index("equity = 5") + 1
    result = invoke("samples", "validate", GIFT, bad)
    assert result.exit_code == 2
    assert result.stdout.startswith(f"ok  {GIFT}")
    assert result.stderr.splitlines() == [
        f"{bad}, line {line}: reference.scores.accept-both.equity: input should be less than or equal to 2.",
        "1 of 2 file(s) are not valid dilemma files.",
    ]


def test_samples_list_json() -> None:
    listed = {s["id"]: s for s in json.loads(invoke("samples", "list", "--json").stdout)}
    assert listed["gift-from-family"]["options"] == 4
    assert listed["gift-from-family"]["has_reference"] is True
    assert "discharge-against-advice" in listed


def _options(path: Path) -> int:
    return path.read_text().count("[[options]]")
