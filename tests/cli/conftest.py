"""What the command-line tests share: running `ethicsdesk ARGS…` in this process, through the console
entry point (`run`) or Typer's runner (`invoke`); a database named by ETHICSDESK_DB (`db_path`) and two
sample dilemmas imported into it (`two`)."""

from __future__ import annotations

import gc
import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ethicsdesk.cli import app as cli

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"
GIFT = DILEMMAS / "gift-from-family.toml"
DISCHARGE = DILEMMAS / "discharge-against-advice.toml"

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """`ethicsdesk ARGS…` through the console entry point, in this process: (exit code, stdout, stderr)."""

    def run(*args: str | Path) -> tuple[int, str, str]:
        return run_main(monkeypatch, capsys, *args)

    return run


def run_main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str | Path
) -> tuple[int, str, str]:
    """The real main(), gc.freeze included (a patched-out freeze once hid data left in -wal;
    tests/cli/test_exit_durability.py checks the file in a subprocess). The heap is unfrozen after it,
    and the listeners main() installs are removed, so the next test starts as this one did."""
    from ethicsdesk.store.encryption import allow_terminal_prompt
    from ethicsdesk.store.new_files import announce_new_files

    monkeypatch.setattr(sys, "argv", ["ethicsdesk", *map(str, args)])
    try:
        with pytest.raises(SystemExit) as exc:
            cli.main()
    finally:
        gc.unfreeze()
        allow_terminal_prompt(None)
        announce_new_files(None)
    out, err = capsys.readouterr()
    assert isinstance(exc.value.code, int)
    return exc.value.code, out, err


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli.app, [str(a) for a in args])


def one_sentence(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("ethicsdesk: ")
    assert lines[0].endswith(".")
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The database file ETHICSDESK_DB names for the test; nothing has made it yet."""
    path = tmp_path / "cli.db"
    monkeypatch.setenv("ETHICSDESK_DB", f"sqlite:///{path}")
    return path


@pytest.fixture
def two(db_path: Path) -> list[str]:
    """The gift and discharge samples imported into `db_path`: their record ids, in that order."""
    result = invoke("import", "--json", GIFT, DISCHARGE)
    assert result.exit_code == 0, result.output
    return [item["id"] for item in json.loads(result.stdout)]
