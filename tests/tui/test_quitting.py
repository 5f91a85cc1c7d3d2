"""Quitting keeps every key typed before it (ethicsdesk/tui/quitting.py): ctrl+q pressed straight after a
burst, the terminal closing (SIGHUP) and SIGTERM all save the whole burst first.

The Pilot test posts the burst and ctrl+q as a terminal delivers them, without waiting in between. The
tmux tests run the installed command beside a busy loop on both cores (the machine people reported it
on has two), and read the record back with `ethicsdesk show`.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual import events

from ethicsdesk.service import Service
from ethicsdesk.settings import User, save_user
from ethicsdesk.tui.app import Start
from tests.conftest import CASE_MANAGER
from tests.tui.harness import ETHICSDESK, Terminal, _key_event, focused_id, in_walk, make_app, terminal, wait_until

WORDS = [f"burstword{n:03d}" for n in range(1, 15)]
BURST = "zq " + " ".join(WORDS) + " qz"  # about 150 characters, typed with no pause


def words_kept(text: str) -> list[str]:
    return [w for w in WORDS if w in text]


async def test_a_burst_then_ctrl_q_at_once_is_saved_whole(service: Service, situated_id: str) -> None:
    service.editing.save_cursor(situated_id, "situation", "f-question")
    before = service.record(situated_id).text["question"]
    app = make_app(service, Start(record_id=situated_id))
    async with app.run_test(size=(80, 24)) as pilot:
        await in_walk(pilot)
        assert focused_id(pilot) == "f-question"
        # as the terminal delivers them, all queued before any is handled; ctrl+q twice, as people press it
        for key in [*BURST, "ctrl+q", "ctrl+q"]:
            event: events.Key = _key_event(key) if len(key) == 1 else events.Key(key, None)
            event.set_sender(app)
            app.post_message(event)
        await wait_until(pilot, lambda: app.return_code is not None, "the app quit")
    assert service.record(situated_id).text["question"] == before + BURST


# --- in a real terminal, with both cores busy --------------------------------------------------------------
@pytest.fixture
def busy_cores() -> Iterator[None]:
    """A busy loop on each of two cores, for two minutes at most, killed when the test ends."""
    loop = "import time\nend = time.monotonic() + 120\nwhile time.monotonic() < end: pass"
    hogs = [subprocess.Popen([sys.executable, "-c", loop]) for _ in range(2)]
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


def app_pid(term: Terminal) -> int:
    """The ethicsdesk process in the terminal: the child of the shell tmux started. Asked straight after
    tmux starts, the shell may not have forked yet (with both cores busy it can take seconds): wait for it."""
    shell = int(term._tmux("list-panes", "-t", term.session, "-F", "#{pane_pid}").stdout.split()[0])
    end = time.monotonic() + 60
    while not (children := Path(f"/proc/{shell}/task/{shell}/children").read_text().split()):
        assert time.monotonic() < end, "the shell in the terminal started no child within 60 s"
        time.sleep(0.05)
    return int(children[0])


def wait_gone(pid: int) -> None:
    end = time.monotonic() + 60
    while Path(f"/proc/{pid}").exists() and Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z":
        assert time.monotonic() < end, f"ethicsdesk (pid {pid}) did not end"
        time.sleep(0.1)


def shown_text(url: str, record_id: str) -> str:
    env = {**os.environ, "ETHICSDESK_DB": url}
    shown = subprocess.run([ETHICSDESK, "show", record_id], capture_output=True, text=True, env=env, timeout=120)
    assert shown.returncode == 0, shown.stderr
    return re.sub(r"\s+", " ", shown.stdout)


def record_at_the_question(tmp_path: Path) -> tuple[str, str]:
    save_user(User(CASE_MANAGER.name, CASE_MANAGER.role))
    url = f"sqlite:///{tmp_path / 'burst.db'}"
    service = Service.open(url, CASE_MANAGER)
    rid = service.editing.create_record("Refuses the care home", case_code="C-7")
    service.editing.save_cursor(rid, "situation", "f-question")  # the walk opens in the ethics question
    service.close()
    return url, rid


def start_typing(term: Terminal) -> None:
    """Wait for the walk, then type the burst's first word and wait until the field shows it (the
    field has the focus); the rest of the burst follows with no pause."""
    term.wait_for("the walk", lambda shown: "Step 1 of 7" in shown)
    end = time.monotonic() + 60
    while "zq" not in term.screen():  # keys typed before the field takes the focus are not its to keep
        assert time.monotonic() < end, f"the question never showed what was typed:\n{term.screen()}"
        term.keys("zq", literal=True)
        shown_by = time.monotonic() + 3
        while "zq" not in term.screen() and time.monotonic() < shown_by:
            time.sleep(0.1)
    term.keys(BURST.removeprefix("zq"), literal=True)


@pytest.mark.slow
@pytest.mark.usefixtures("busy_cores")
def test_a_burst_then_ctrl_q_keeps_every_word_with_both_cores_busy(tmp_path: Path, isolated_home: Path) -> None:
    url, rid = record_at_the_question(tmp_path)
    with terminal(tmp_path, isolated_home, "open", rid, ETHICSDESK_DB=url) as term:
        start_typing(term)
        term.keys("C-q")
        assert term.exit_status() == "0", term.screen()
    assert words_kept(shown_text(url, rid)) == WORDS


@pytest.mark.slow
@pytest.mark.usefixtures("busy_cores")
def test_sigterm_after_a_burst_keeps_every_word_with_both_cores_busy(tmp_path: Path, isolated_home: Path) -> None:
    url, rid = record_at_the_question(tmp_path)
    with terminal(tmp_path, isolated_home, "open", rid, ETHICSDESK_DB=url) as term:
        pid = app_pid(term)
        start_typing(term)
        os.kill(pid, signal.SIGTERM)
        wait_gone(pid)
    assert words_kept(shown_text(url, rid)) == WORDS


@pytest.mark.slow
@pytest.mark.usefixtures("busy_cores")
def test_the_terminal_closing_after_a_burst_keeps_every_word_with_both_cores_busy(
    tmp_path: Path, isolated_home: Path
) -> None:
    url, rid = record_at_the_question(tmp_path)
    with terminal(tmp_path, isolated_home, "open", rid, ETHICSDESK_DB=url) as term:
        pid = app_pid(term)
        start_typing(term)
        # What the terminal had not handed to the app when it closed is gone with it (the kernel drops a
        # closed terminal's unread input): the link drops once the app has the burst, as an SSH link
        # drops after the keys reached the far end.
        term.wait_for("the whole burst in the field", lambda shown: "qz" in shown)
        term._tmux("kill-session", "-t", term.session)  # tmux sends SIGHUP to the app, as sshd does
        wait_gone(pid)
    assert words_kept(shown_text(url, rid)) == WORDS


@pytest.mark.slow
def test_the_terminal_closing_on_the_home_screen_ends_the_app(tmp_path: Path, isolated_home: Path) -> None:
    """With its terminal gone, Textual's restoring of it could block for ever on a write nobody reads:
    with PYTHONUNBUFFERED set (as in many containers, and on this machine) the app stayed alive, unseen,
    with its database open, every time. It now ends within a few seconds of saving."""
    url, _rid = record_at_the_question(tmp_path)
    with terminal(tmp_path, isolated_home, ETHICSDESK_DB=url, PYTHONUNBUFFERED="1") as term:
        pid = app_pid(term)
        term.wait_for("the home screen", lambda shown: "record(s)" in shown)
        term._tmux("kill-session", "-t", term.session)  # tmux sends SIGHUP to the app, as sshd does
        wait_gone(pid)
