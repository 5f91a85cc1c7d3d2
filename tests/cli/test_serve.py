"""`ethicsdesk serve`: the TUI to a browser through textual-serve, on loopback unless the
operator says otherwise. The server runs as a real process on a free port; the test reads the page
a browser would get, then opens the websocket a browser would and sees the app draw itself."""

from __future__ import annotations

import asyncio
import shlex
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ethicsdesk.cli import app as cli
from ethicsdesk.cli.serve import app_command, is_loopback
from ethicsdesk.errors import BadInput
from tests.conftest import REPO, free_port

pytest.importorskip("textual_serve", reason="the 'serve' extra (textual-serve) is not installed")

DEADLINE = 20.0  # seconds; only a hang comes near it


def get(url: str, proc: subprocess.Popen[str]) -> tuple[int, str]:
    """The first answer from `url`, polled until the server is up (or has died)."""
    end = time.monotonic() + DEADLINE
    while True:
        if proc.poll() is not None:
            raise AssertionError(f"the server exited ({proc.returncode}): {proc.communicate()[1]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status, response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > end:
                raise AssertionError(f"nothing answered on {url} within {DEADLINE} s") from None
            time.sleep(0.2)


async def first_screen(url: str, also: Path | None = None) -> bytes:
    """What the app process sends over the websocket until its first screen mentions ethicsdesk (and,
    with `also`, until that file exists: the app opens its store only after the first paint, and
    closing the socket ends the app)."""
    import aiohttp

    seen = b""
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        end = time.monotonic() + DEADLINE
        while (b"ethicsdesk" not in seen or (also is not None and not also.exists())) and time.monotonic() < end:
            try:
                message = await ws.receive(timeout=0.5)
            except TimeoutError:
                continue  # nothing new on screen; look at the file again until the deadline
            if message.type == aiohttp.WSMsgType.BINARY:
                seen += message.data
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                break
    return seen


@pytest.mark.slow
def test_serve_answers_on_loopback_with_the_app_page(tmp_path: Path) -> None:
    port = free_port()
    db = f"sqlite:///{tmp_path / 'served.db'}"
    proc = subprocess.Popen(
        [sys.executable, "-c", "from ethicsdesk.cli.app import main; main()", "serve", "--port", str(port), "--db", db],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        printed = proc.stdout.readline()  # the address with this launch's secret
        token = printed.split("?token=", 1)[1].split()[0]
        status, page = get(f"http://127.0.0.1:{port}/?token={token}", proc)
        assert status == 200
        assert "<title>ethicsdesk</title>" in page or "ethicsdesk" in page
        assert "textual" in page.lower()
        assert f"ws://127.0.0.1:{port}/ws/{token}" in page  # the browser is sent back to loopback

        ws_url = f"ws://127.0.0.1:{port}/ws/{token}?width=80&height=24"
        screen = asyncio.run(first_screen(ws_url, tmp_path / "served.db"))
        assert b"ethicsdesk" in screen  # the app itself started and drew its first screen
        end = time.monotonic() + DEADLINE
        while not (tmp_path / "served.db").exists() and time.monotonic() < end:
            time.sleep(0.1)
        assert (tmp_path / "served.db").exists()  # on the database given to serve
    finally:
        proc.terminate()
        try:
            proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
    assert printed.startswith(f"Serving ethicsdesk on http://127.0.0.1:{port}/?token=")
    assert "(loopback only)" in printed


def test_a_non_loopback_host_needs_allow_remote() -> None:
    result = CliRunner().invoke(cli.app, ["serve", "--host", "0.0.0.0", "--port", str(free_port())])
    assert isinstance(result.exception, BadInput) and result.exception.exit_code == 2
    assert "confidential" in result.exception.message and "--allow-remote" in result.exception.message
    assert "TLS and authentication" in result.exception.message


def test_the_refusal_exits_2_from_the_console_entry_point() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "from ethicsdesk.cli.app import main; main()", "serve", "--host", "10.1.2.3"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("ethicsdesk: Refusing to listen on 10.1.2.3") and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_what_counts_as_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_the_app_command_survives_the_shell_and_holds_no_database_url() -> None:
    """textual-serve runs the command through a shell; the database (a PostgreSQL URL may hold a
    password) goes by the environment, not the command line that `ps` shows."""
    words = shlex.split(app_command())
    assert words == [sys.executable, "-c", "from ethicsdesk.cli.app import main; main()"]
