"""The whole walk in a real terminal (tmux, 80x24) with the justification typed (issue 12, defect 1):
no traceback, every answer saved, `ethicsdesk verify` passes, and `show` and the JSON export hold
the answers.

tmux runs on a socket of its own, so the test neither sees nor disturbs any other tmux server.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from ethicsdesk.domain.checks import JUSTIFICATION_CONDITIONS
from ethicsdesk.service import Service
from ethicsdesk.settings import User, save_user
from tests.conftest import CASE_MANAGER, require_tool

DEADLINE = 60.0
ETHICSDESK = Path(sys.executable).parent / "ethicsdesk"


def _tmux(tmux: str, socket: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([tmux, "-S", str(socket), *args], capture_output=True, text=True, timeout=30, check=False)


@pytest.mark.slow
def test_the_walk_with_the_justification_typed_verifies_and_exports(tmp_path: Path, isolated_home: Path) -> None:
    tmux = require_tool("tmux")
    save_user(User(CASE_MANAGER.name, CASE_MANAGER.role))
    url = f"sqlite:///{tmp_path / 'walk.db'}"
    service = Service.open(url, CASE_MANAGER)
    rid = service.create_record("Refuses the care home", case_code="C-7")
    service.set_text(rid, "facts", "Mr K. is 84 and wants to go home.")
    service.set_text(rid, "question", "Given his capacity, is it justifiable to support the return home?")
    stay, home = service.add_option(rid, "Status quo"), service.add_option(rid, "Return home with support")
    for p in service.framework().ids:
        service.score(rid, stay, p, 0)
        service.score(rid, home, p, -1 if p == "nonmaleficence" else 1)  # the choice compromises one
    service.decide(rid, "chosen", home)
    service.close()

    session = f"i12a-{uuid.uuid4().hex[:8]}"
    socket = Path(tempfile.gettempdir()) / f"{session}.sock"
    env = {
        "ETHICSDESK_HOME": str(isolated_home),
        "ETHICSDESK_DB": url,
        "TERM": "xterm-256color",
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),
    }
    exit_file = tmp_path / "exit-status"
    run = f"{shlex.quote(str(ETHICSDESK))} open {rid}; echo $? > {shlex.quote(str(exit_file))}"
    line = "env -i " + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " sh -c " + shlex.quote(run)
    started = _tmux(
        tmux, socket, "-f", os.devnull, "new-session", "-d", "-s", session, "-x", "80", "-y", "24", line,
        ";", "set-option", "-t", session, "remain-on-exit", "on",
    )  # fmt: skip
    assert started.returncode == 0, started.stderr

    def screen() -> str:
        return _tmux(tmux, socket, "capture-pane", "-p", "-t", session).stdout

    def wait_for(what: str, shown: str) -> None:
        end = time.monotonic() + DEADLINE
        while shown not in screen():
            assert "Traceback" not in screen(), screen()
            if time.monotonic() > end:
                raise AssertionError(f"this never happened: {what}; the screen was:\n{screen()}")
            time.sleep(0.1)

    def keys(*k: str, literal: bool = False) -> None:
        _tmux(tmux, socket, "send-keys", "-t", session, *(["-l"] if literal else []), *k)
        # Tab moves the focus as a binding, acted on once the key has bubbled up to the screen; text
        # typed before that lands in the field being left (seen once under heavy load: issue 12, 4)
        time.sleep(0.3 if literal else 1.0)

    try:
        wait_for("the walk", "Step 1 of 7")
        for n in range(2, 6):  # on to Decide, each step complete enough to pass
            keys("C-n")
            wait_for(f"step {n}", f"Step {n} of 7")
        time.sleep(2.0)  # the step's first field takes the focus after the step is drawn (a loaded machine)
        for text in ("Least harm; he keeps his home.", "A carer calls daily.", "2027-01-15"):
            keys("Tab")  # from the choice: the rationale, the mitigation, the follow-up date
            keys(text, literal=True)
        answers = [f"Answer {c.id} in my words." for c in JUSTIFICATION_CONDITIONS]
        for text in answers:
            keys("Tab")
            keys(text, literal=True)
            time.sleep(0.8)  # past the autosave pause: a save of each one on its own
            shown = screen()
            assert "Traceback" not in shown and "Not saved" not in shown, shown
        keys("C-n")  # leaving the step saves what is pending
        wait_for("step 6", "Step 6 of 7")
        keys("C-q")
        end = time.monotonic() + DEADLINE
        while not exit_file.exists():
            assert time.monotonic() < end, screen()
            time.sleep(0.1)
        assert exit_file.read_text().strip() == "0", screen()
    finally:
        _tmux(tmux, socket, "kill-server")
        socket.unlink(missing_ok=True)

    cli_env = {**os.environ, "ETHICSDESK_DB": url}
    verified = subprocess.run([ETHICSDESK, "verify"], capture_output=True, text=True, env=cli_env, timeout=120)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    shown = subprocess.run([ETHICSDESK, "show", rid], capture_output=True, text=True, env=cli_env, timeout=120)
    assert shown.returncode == 0, shown.stderr
    # show wraps to the width it has (a hyphenated word may break after its hyphen): read it unwrapped
    unwrapped = re.sub(r"-\s+", "-", " ".join(shown.stdout.split()))
    assert [a for a in answers if a not in unwrapped] == [], shown.stdout
    out = tmp_path / "report.json"
    exported = subprocess.run(
        [ETHICSDESK, "export", rid, "--format", "json", "--out", str(out)],
        capture_output=True,
        text=True,
        env=cli_env,
        timeout=120,
    )
    assert exported.returncode == 0, exported.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    (compromised,) = report["decision"]["compromised"]
    assert compromised["principle"] == "nonmaleficence"
    assert [j["answer"] for j in compromised["justifications"]] == answers
    assert report["decision"]["follow_up"] == "2027-01-15"
    assert report["decision"]["rationale"] == "Least harm; he keeps his home."
