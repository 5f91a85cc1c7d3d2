"""End to end: the installed `ethicsdesk` command in a real pseudo-terminal (tmux, 80x24).

tmux runs on a socket of its own, so the test neither sees nor disturbs any other tmux server; the
session and that server are killed whatever happens. Textual draws on stderr, so
nothing of the command's output is redirected.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from ethicsdesk.settings import User, save_user
from tests.conftest import CASE_MANAGER, require_tool

DEADLINE = 60.0  # seconds: a start-up on a loaded machine; only a hang comes near it


def _tmux(tmux: str, socket: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([tmux, "-S", str(socket), *args], capture_output=True, text=True, timeout=30, check=False)


def _wait_for(what: str, check: Callable[[], tuple[bool, str]]) -> str:
    end = time.monotonic() + DEADLINE
    last = ""
    while time.monotonic() < end:
        ok, last = check()
        if ok:
            return last
        time.sleep(0.1)
    raise AssertionError(f"this never happened: {what}; the screen was:\n{last}")


@pytest.mark.slow
def test_the_command_opens_home_in_a_real_terminal_and_ctrl_q_quits(tmp_path: Path, isolated_home: Path) -> None:
    tmux = require_tool("tmux")
    command = Path(sys.executable).parent / "ethicsdesk"
    assert command.exists(), f"the package is not installed in this environment ({command})"
    save_user(User(CASE_MANAGER.name, CASE_MANAGER.role))  # so the first-run screen does not appear

    session = f"ethicsdesk-{uuid.uuid4().hex[:8]}"
    socket = Path(tempfile.gettempdir()) / f"{session}.sock"  # short: a socket path has ~100 bytes at most
    env = {
        "ETHICSDESK_HOME": str(isolated_home),
        "TERM": "xterm-256color",
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),
    }
    # The shell writes the exit status when the command ends: tmux, on a loaded machine, sometimes
    # leaves a finished command unreaped (a zombie, no exit status), so its pane status is no witness.
    exit_file = tmp_path / "exit-status"
    run = f"{shlex.quote(str(command))}; echo $? > {shlex.quote(str(exit_file))}"
    line = "env -i " + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " sh -c " + shlex.quote(run)
    started = _tmux(
        tmux, socket, "-f", os.devnull, "new-session", "-d", "-s", session, "-x", "80", "-y", "24", line,
        ";", "set-option", "-t", session, "remain-on-exit", "on",
    )  # fmt: skip
    assert started.returncode == 0, started.stderr
    try:

        def screen() -> tuple[bool, str]:
            shown = _tmux(tmux, socket, "capture-pane", "-p", "-t", session).stdout
            return "your records" in shown and "No records yet" in shown, shown

        home = _wait_for("the home screen", screen)
        assert "Search titles and text" in home
        assert "Welcome to ethicsdesk" not in home  # the config file was read: no first-run screen
        lines = home.splitlines()
        assert len(lines) <= 24
        assert all(len(x) <= 80 for x in lines)

        _tmux(tmux, socket, "send-keys", "-t", session, "C-q")

        def ended() -> tuple[bool, str]:
            written = exit_file.read_text().strip() if exit_file.exists() else ""
            if written:
                return True, written
            return False, _tmux(tmux, socket, "capture-pane", "-p", "-t", session).stdout

        status = _wait_for("the command to end after ctrl+q", ended)
        left = _tmux(tmux, socket, "capture-pane", "-p", "-t", session).stdout
        assert status == "0", f"ethicsdesk exited with status {status}; the terminal shows:\n{left}"
        assert "Traceback" not in left
    finally:
        _tmux(tmux, socket, "kill-session", "-t", session)
        _tmux(tmux, socket, "kill-server")
        socket.unlink(missing_ok=True)
