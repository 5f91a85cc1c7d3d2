"""What the command-line tests share: running `ethicsdesk ARGS…` in this process."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ethicsdesk import cli

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """`ethicsdesk ARGS…` through the console entry point, in this process: (exit code, stdout, stderr)."""
    monkeypatch.setattr(gc, "freeze", lambda: None)  # main() freezes the heap for a fast exit

    def run(*args: str | Path) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["ethicsdesk", *map(str, args)])
        with pytest.raises(SystemExit) as exc:
            cli.main()
        out, err = capsys.readouterr()
        assert isinstance(exc.value.code, int)
        return exc.value.code, out, err

    return run
