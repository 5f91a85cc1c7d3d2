"""Driving the app in tests: the app built the one way the CLI builds it (`build_app`), on the test's
service, with every notification it raises kept for the test to read; and the installed command in
a real terminal (`Terminal`, tmux).

Waits have a generous deadline and fail only when something that should happen never happens; no
test asserts how fast anything is.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.widget import Widget

from ethicsdesk.service import Service
from ethicsdesk.settings import User
from ethicsdesk.tui.app import EthicsdeskApp, Start, build_app
from ethicsdesk.tui.quitting import take_pending_input
from ethicsdesk.tui.screens.home import HomeScreen
from ethicsdesk.tui.screens.walk import WalkScreen
from tests.conftest import CASE_MANAGER

DEADLINE = 20.0  # seconds; only a hang comes near it


@dataclass(frozen=True)
class Notice:
    message: str
    title: str
    severity: str


def make_app(service: Service, start: Start | None = None, user: User | None = CASE_MANAGER) -> EthicsdeskApp:
    """The app on `service`; `app.notices` lists every notification it raised, expired or not
    (Textual drops expired toasts from its own list, so reading that would depend on timing)."""
    app = build_app(lambda: service, user, start)
    notices: list[Notice] = []
    shown = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        notices.append(Notice(str(message), str(kwargs.get("title", "")), str(kwargs.get("severity", "information"))))
        shown(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    app.notices = notices  # type: ignore[attr-defined]
    return app


def notices(app: App[Any], severity: str | None = None) -> list[Notice]:
    seen: list[Notice] = app.notices  # type: ignore[attr-defined]
    return [n for n in seen if severity is None or n.severity == severity]


async def wait_until(pilot: Pilot[Any], condition: Callable[[], object], what: str) -> None:
    end = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"this never happened: {what}")
        await pilot.pause(0.02)


async def autosaved(pilot: Pilot[Any], walk: WalkScreen) -> None:
    """Until the autosave's pause is over with nothing left waiting for it, and every write it asked
    for has landed: a fixed wait of the pause and a little more was too short on a loaded machine,
    whose timers fire late. First every change on its way up from a field to the walk is taken, as a
    quit takes it (tui/quitting.py): the text can be on screen before the walk has heard of it."""
    await take_pending_input(pilot.app)
    await wait_until(pilot, lambda: not walk.autosave.pending, "the autosave's pause over")
    await walk.settled()


async def at_home(pilot: Pilot[Any]) -> HomeScreen:
    """Wait for the service to open and the home screen to be on top with its records loaded."""
    app = pilot.app
    assert isinstance(app, EthicsdeskApp)
    await wait_until(pilot, lambda: app.service_ready and isinstance(app.screen, HomeScreen), "home with the service")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, HomeScreen)
    return screen


async def in_walk(pilot: Pilot[Any]) -> WalkScreen:
    """Wait for a walk screen to be on top, drawn from the record, with a widget focused and its step
    whole (the step it opens at mounts its lower part right after its first paint)."""
    app = pilot.app
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, WalkScreen)
        and app.screen.view is not None
        and app.focused is not None
        and app.screen.takes_keys,
        "the walk screen open with a field focused",
    )
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, WalkScreen)
    return screen


def _key_event(key: str) -> events.Key:
    """The event a terminal sends for a typed character ('a', '.', ' ') or a named key ('down')."""
    if len(key) != 1:
        return events.Key(key, None)
    name = key if key.isalnum() else unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
    return events.Key(name, key)


async def send_keys(pilot: Pilot[Any], *keys: str) -> None:
    """Send key events one after another, as a quick typist does, then wait until the app has
    handled them all.

    `pilot.press` waits for the app to go idle after every key (70-150 ms each on the walk screen);
    a typist does not wait between keys, and neither does this. Only for keys that stay in the
    focused widget (text; digits and arrows in the matrix): a key that moves the focus is pressed."""
    app = pilot.app
    for key in keys:
        event = _key_event(key)
        event.set_sender(app)
        app.post_message(event)
    await pilot.pause()


async def type_text(pilot: Pilot[Any], text: str) -> None:
    await send_keys(pilot, *text)


async def type_into(pilot: Pilot[Any], widget: Widget, text: str) -> None:
    """Focus `widget`, wait until it has the focus (a click can miss a widget still settling on a
    loaded machine), then type `text` into it."""
    widget.focus()
    await wait_until(pilot, lambda: pilot.app.focused is widget, f"{widget!r} focused")
    await type_text(pilot, text)


def focused_id(pilot: Pilot[Any]) -> str | None:
    focused = pilot.app.focused
    return focused.id if focused is not None else None


# --- the installed command in a real terminal ------------------------------------------------------
ETHICSDESK = Path(sys.executable).parent / "ethicsdesk"
TERMINAL_DEADLINE = 60.0  # seconds: a start-up on a loaded machine; only a hang comes near it


class Terminal:
    """`ethicsdesk ARGS` in a real pseudo-terminal: tmux at 80x24, on a socket of its own, so that
    the test neither sees nor disturbs any other tmux server. Textual draws on stderr, so nothing of
    the command's output is redirected. The shell writes the command's exit status to a file when it
    ends: tmux, on a loaded machine, sometimes leaves a finished command unreaped (a zombie, no exit
    status), so its pane status is no witness."""

    def __init__(self, tmux: str, tmp_path: Path, env: dict[str, str]) -> None:
        self.tmux = tmux
        self.session = f"ethicsdesk-{uuid.uuid4().hex[:8]}"
        self.socket = Path(tempfile.gettempdir()) / f"{self.session}.sock"  # a socket path has ~100 bytes at most
        self.exit_file = tmp_path / "exit-status"
        self.env = env

    def _tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.tmux, "-S", str(self.socket), *args], capture_output=True, text=True, timeout=30, check=False
        )

    def start(self, *args: str) -> None:
        command = " ".join(shlex.quote(a) for a in (str(ETHICSDESK), *args))
        run = f"{command}; echo $? > {shlex.quote(str(self.exit_file))}"
        line = "env -i " + " ".join(f"{k}={shlex.quote(v)}" for k, v in self.env.items()) + " sh -c " + shlex.quote(run)
        started = self._tmux(
            "-f", os.devnull, "new-session", "-d", "-s", self.session, "-x", "80", "-y", "24", line,
            ";", "set-option", "-t", self.session, "remain-on-exit", "on",
        )  # fmt: skip
        assert started.returncode == 0, started.stderr

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.session).stdout

    def cursor(self) -> tuple[int, int]:
        """Where the terminal's cursor is (column, row): Textual puts it at the cursor of the focused
        text field, so it moves when the focus does."""
        x, y = self._tmux("display-message", "-p", "-t", self.session, "#{cursor_x} #{cursor_y}").stdout.split()
        return int(x), int(y)

    def keys(self, *keys: str, literal: bool = False) -> None:
        """tmux send-keys: key names ("C-q", "Tab"), or text as it is with `literal`."""
        self._tmux("send-keys", "-t", self.session, *(["-l"] if literal else []), *keys)

    def wait_for(self, what: str, seen: Callable[[str], bool]) -> str:
        """The screen once `seen` holds of it; a traceback on it, or the deadline, fails the test."""
        return self.wait_until(what, lambda: seen(self.screen()))

    def wait_until(self, what: str, happened: Callable[[], object]) -> str:
        """The screen once `happened()` holds (of the screen, the cursor, a database read from outside
        the app); a traceback on the screen, or the deadline, fails the test."""
        end = time.monotonic() + TERMINAL_DEADLINE
        while True:
            shown = self.screen()
            assert "Traceback" not in shown, shown
            if happened():
                return shown
            if time.monotonic() > end:
                raise AssertionError(f"this never happened: {what}; the screen was:\n{shown}")
            time.sleep(0.1)

    def exit_status(self) -> str:
        """The command's exit status, once it has ended."""
        end = time.monotonic() + TERMINAL_DEADLINE
        while not (self.exit_file.exists() and self.exit_file.read_text().strip()):
            if time.monotonic() > end:
                raise AssertionError(f"the command did not end; the screen was:\n{self.screen()}")
            time.sleep(0.1)
        return self.exit_file.read_text().strip()

    def close(self) -> None:
        self._tmux("kill-session", "-t", self.session)
        self._tmux("kill-server")
        self.socket.unlink(missing_ok=True)


@contextmanager
def terminal(tmp_path: Path, home: Path, *args: str, **env: str) -> Iterator[Terminal]:
    """`ethicsdesk ARGS` started in a real terminal with only the environment it needs (`home` as
    ETHICSDESK_HOME, and `env`); the session and its tmux server are killed whatever happens."""
    from tests.conftest import require_tool

    assert ETHICSDESK.exists(), f"the package is not installed in this environment ({ETHICSDESK})"
    base = {
        "ETHICSDESK_HOME": str(home),
        "TERM": "xterm-256color",
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),
    }
    term = Terminal(require_tool("tmux"), tmp_path, {**base, **env})
    try:
        term.start(*args)
        yield term
    finally:
        term.close()
