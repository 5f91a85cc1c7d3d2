"""The console entry point: the TUI without the command line, and one guard for every error."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ethicsdesk.cli import launch
from ethicsdesk.errors import BadInput, NotFound


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], (True, None)),
        (["--db", "sqlite:///x.db"], (True, "sqlite:///x.db")),
        (["--db=postgresql+psycopg://h/db"], (True, "postgresql+psycopg://h/db")),
        (["list"], (False, None)),
        (["--db", "sqlite:///x.db", "list"], (False, None)),
        (["--help"], (False, None)),
    ],
)
def test_only_a_bare_start_or_a_db_goes_straight_to_the_tui(args: list[str], expected: tuple[bool, str | None]) -> None:
    assert launch.tui_only(args) == expected


def test_the_guard_turns_errors_into_one_sentence_and_the_contract_codes(capsys: pytest.CaptureFixture[str]) -> None:
    def raising(exc: BaseException) -> Callable[[], None]:
        def body() -> None:
            raise exc

        return body

    assert launch.guarded(lambda: None) == 0
    assert launch.guarded(raising(NotFound("There is no record 'x'."))) == 1
    assert launch.guarded(raising(BadInput("A score is a whole number."))) == 2
    assert launch.guarded(raising(SystemExit(2))) == 2
    assert launch.guarded(raising(KeyboardInterrupt())) == 130
    assert launch.guarded(raising(RuntimeError("boom"))) == 1
    err = capsys.readouterr().err
    assert "ethicsdesk: There is no record 'x'." in err
    assert "unexpected error (RuntimeError: boom)" in err
    assert "Traceback" not in err


def test_the_bare_start_loads_neither_typer_nor_the_store() -> None:
    """The TUI's first paint should not wait for the command line or SQLAlchemy (bench/)."""
    code = (
        "import sys; import ethicsdesk.cli.launch as l;"
        "l.open_tui = lambda db: print(sorted(m for m in ('typer', 'click', 'sqlalchemy', 'sqlmodel')"
        " if m in sys.modules), db);"
        "sys.argv = ['ethicsdesk', '--db', 'sqlite:///x.db']; l.main()"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[] sqlite:///x.db"


def test_the_tui_exits_non_zero_with_the_sentence_when_the_database_cannot_be_opened(tmp_path: Path) -> None:
    """As `list` does: the problem screen, then exit 2 and the sentence on the restored terminal."""
    from tests.reliability.test_terminal_escapes import on_a_terminal

    missing = tmp_path / "no-such-folder" / "desk.db"
    env = {"ETHICSDESK_HOME": str(tmp_path / "home"), "PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "config.toml").write_text('[user]\nname = "Robin Ashdown"\nrole = "case manager"\n')
    code, seen = on_a_terminal(
        ["--db", str(missing)], env, until=lambda out: b"cannot open your records" in out, keys=b"q"
    )
    assert code == 2
    sentence = f"ethicsdesk: The folder {missing.parent} does not exist; no database was created"
    assert sentence.encode() in seen.replace(b"\r\n", b"\n")
    assert not missing.parent.exists()
