"""What the command-line tests share: running `ethicsdesk ARGS…` in this process."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ethicsdesk.cli import app as cli

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
