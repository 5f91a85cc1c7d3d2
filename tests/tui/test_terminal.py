"""End to end: the installed `ethicsdesk` command in a real pseudo-terminal (tmux, 80x24: harness.Terminal)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ethicsdesk.settings import User, save_user
from tests.conftest import CASE_MANAGER
from tests.tui.harness import terminal


@pytest.mark.slow
def test_the_command_opens_home_in_a_real_terminal_and_ctrl_q_quits(tmp_path: Path, isolated_home: Path) -> None:
    save_user(User(CASE_MANAGER.name, CASE_MANAGER.role))  # so the first-run screen does not appear
    with terminal(tmp_path, isolated_home) as term:
        home = term.wait_for("the home screen", lambda shown: "your records" in shown and "No records yet" in shown)
        assert "Search titles and text" in home
        assert "Welcome to ethicsdesk" not in home  # the config file was read: no first-run screen
        lines = home.splitlines()
        assert len(lines) <= 24
        assert all(len(x) <= 80 for x in lines)

        term.keys("C-q")
        status = term.exit_status()
        left = term.screen()
        assert status == "0", f"ethicsdesk exited with status {status}; the terminal shows:\n{left}"
        assert "Traceback" not in left
