"""Escape sequences in record text never reach a terminal raw.

A record on a shared database is written by someone else. Its title, facts and options here hold
ESC[2J (clear the screen), an OSC 52 clipboard write, an OSC 8 link, a one-byte C1 CSI (U+009B) and
a right-to-left override. Each face runs as a real process on a real pseudo-terminal (os.openpty:
click strips ANSI codes only when the output is not a terminal, so a pipe would hide the defect),
and the bytes the terminal receives are searched for every sequence raw:

- `import`, `list`, `show`, `replay --text`, `samples validate`, `list --json` (which must still
  decode to the exact text);
- the TUI's home screen and the walk (`ethicsdesk open ID`), until the title has been drawn.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from ethicsdesk.settings import save_user
from tests.conftest import CASE_MANAGER, DILEMMAS
from tests.reliability.cli_process import ETHICSDESK

pytestmark = pytest.mark.slow

TITLE = "A\x1b[2JB\x1b]52;c;UFdORUQ=\x07C\x9b31mD\u202eE\x1b]8;;http://evil.example/\x1b\\F\x1b]8;;\x1b\\"
RAW = {
    "clear screen": b"A\x1b[2JB",
    "clipboard": b"\x1b]52;c;",
    "link": b"\x1b]8;;http://evil.example/",
    "C1 CSI": "\x9b".encode(),
    "bidi override": "\u202e".encode(),
}
VISIBLE = b"A\\u001b[2JB"
DEADLINE = 60.0  # seconds for a process on a busy machine; only a hang comes near it
QUIET = 0.5  # seconds without output after which the screen is taken as drawn


def toml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string with \u escapes is a TOML basic string


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("escapes")
    source = (DILEMMAS / "gift-from-family.toml").read_text(encoding="utf-8").splitlines()
    lines = []
    for line in source:
        if line.startswith("title = "):
            line = f"title = {toml_string(TITLE)}"
        elif line.startswith("label = "):
            line = f"label = {toml_string(TITLE + ' option')}"
        lines.append(line)
    path = folder / "hostile.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    home = folder / "home"
    env = {
        "ETHICSDESK_DB": f"sqlite:///{folder / 'shared.db'}",
        "ETHICSDESK_HOME": str(home),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(folder),
    }
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ETHICSDESK_HOME", str(home))
        save_user(CASE_MANAGER)  # so the TUI opens on home, not on the first-run screen
    return {"file": path, "env": env}


def on_a_terminal(
    args: list[str], env: dict[str, str], until: Callable[[bytes], bool] | None = None, keys: bytes = b"\x11"
) -> tuple[int, bytes]:
    """Run `ethicsdesk ARGS…` on a pseudo-terminal of 100x30; return its exit code and every byte
    the terminal received. With `until`, send `keys` (ctrl+q) once the output satisfies it."""
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    proc = subprocess.Popen(
        [str(ETHICSDESK), *args], stdin=follower, stdout=follower, stderr=follower, env=env, start_new_session=True
    )
    os.close(follower)
    received = b""
    sent = False
    end = time.monotonic() + DEADLINE
    last_output = time.monotonic()
    try:
        while time.monotonic() < end:
            ready, _, _ = select.select([leader], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the terminal closed: every process on it has ended
                    break
                if not chunk:
                    break
                received += chunk
                last_output = time.monotonic()
            # the rest of the screen drawn: nothing more came for a while (a fixed wait drew less of it,
            # and so looked at less, on a loaded machine)
            if until is not None and not sent and until(received) and time.monotonic() - last_output >= QUIET:
                os.write(leader, keys)
                sent = True
            if proc.poll() is not None and not ready:
                break
        else:
            raise AssertionError(f"ethicsdesk {' '.join(args)} did not end; the terminal got:\n{received[-2000:]!r}")
        return proc.wait(timeout=DEADLINE), received
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(leader)


def assert_nothing_raw(received: bytes) -> None:
    leaked = [name for name, raw in RAW.items() if raw in received]
    assert leaked == [], f"reached the terminal raw: {leaked}"


@pytest.fixture(scope="module")
def record_id(hostile: dict[str, object]) -> str:
    env = hostile["env"]
    assert isinstance(env, dict)
    code, received = on_a_terminal(["import", str(hostile["file"])], env)
    assert code == 0, received
    assert_nothing_raw(received)
    assert VISIBLE in received  # the title is printed, as its escapes
    # at a terminal the new database file is named first (on stderr); the id leads the import's own line
    (line,) = [x for x in received.decode().splitlines() if "(from " in x]
    return line.split()[0]


@pytest.mark.parametrize(
    "command",
    [["list"], ["show", "{id}"], ["replay", "{id}", "--text"], ["list", "--search", "gift"]],
    ids=lambda c: " ".join(c),
)
def test_the_command_line_shows_escapes_never_the_sequences(
    command: list[str], hostile: dict[str, object], record_id: str
) -> None:
    env = hostile["env"]
    assert isinstance(env, dict)
    code, received = on_a_terminal([c.replace("{id}", record_id) for c in command], env)
    assert code == 0, received
    assert_nothing_raw(received)
    if command[0] != "replay":  # replay lists events, which name what changed rather than the title
        assert VISIBLE in received


def test_list_json_escapes_them_and_still_decodes_to_the_text(hostile: dict[str, object], record_id: str) -> None:
    env = hostile["env"]
    assert isinstance(env, dict)
    code, received = on_a_terminal(["list", "--json"], env)
    assert code == 0, received
    assert_nothing_raw(received)
    listed = json.loads(received.decode("utf-8"))
    assert [(r["id"], r["title"]) for r in listed] == [(record_id, TITLE)]


def test_a_validation_message_quoting_a_key_shows_its_escapes(hostile: dict[str, object], tmp_path: Path) -> None:
    env = hostile["env"]
    assert isinstance(env, dict)
    bad = tmp_path / "bad.toml"
    bad.write_text(f"{toml_string(TITLE)} = 1\n" + Path(str(hostile["file"])).read_text(encoding="utf-8"))
    code, received = on_a_terminal(["samples", "validate", str(bad)], env)
    assert code == 2
    assert_nothing_raw(received)


@pytest.mark.parametrize("face", ["home", "walk"])
def test_the_tui_draws_escapes_never_the_sequences(face: str, hostile: dict[str, object], record_id: str) -> None:
    env = hostile["env"]
    assert isinstance(env, dict)
    args = [] if face == "home" else ["open", record_id]
    code, received = on_a_terminal(args, env, until=lambda out: VISIBLE in out)
    assert VISIBLE in received, received[-3000:]
    assert code == 0, received[-3000:]
    assert_nothing_raw(received)


def test_an_html_report_to_the_terminal_carries_no_control_character(
    hostile: dict[str, object], record_id: str
) -> None:
    """`export --format html --out -` once wrote ESC, BEL, C1 and OSC 52 to the terminal
    raw, and its <title> and an analysis sentence carried U+202E with no isolation."""
    env = hostile["env"]
    assert isinstance(env, dict)
    code, received = on_a_terminal(["export", record_id, "--format", "html", "--out", "-"], env)
    assert code == 0, received[-2000:]
    assert_nothing_raw(received)
    text = received.decode("utf-8")
    controls = {f"U+{ord(c):04X}" for c in text if (ord(c) < 32 and c not in "\t\n\r") or 0x7F <= ord(c) <= 0x9F}
    assert controls == set()
    bidi = [i for i, c in enumerate(text) if "\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069"]
    assert bidi == [], [text[max(0, i - 80) : i + 20] for i in bidi[:3]]
    title = text.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "A\ufffd[2JB" in title  # the title is still there, its controls shown as U+FFFD
    assert "<bdi>A\ufffd[2JB" in text  # and where it is shown in the body, it is isolated
