"""`ethicsdesk serve` against a web page elsewhere, on a real server on
127.0.0.1 with every wait bounded:

- the page is served only with the launch's secret, and the WebSocket only at the secret path;
- a WebSocket whose Origin is another site (what any page open in the user's browser would send)
  is refused, as is one without the secret; the served page's own Origin connects and the app draws;
- a tab opened by serve does not take an encrypted database's passphrase from the serving user's
  keyring: it asks, like anyone else (the same keyring does open it from the command line);
- a plain HTTP GET of the WebSocket's address is answered 400 at once (it once hung),
  and nothing the server prints after its start-up line holds the secret (a traceback with the
  request's locals, and every access-log line, printed it).
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ethicsdesk.service import Service
from ethicsdesk.service.encryption import encrypt_in_place
from ethicsdesk.settings import save_user
from tests.conftest import CASE_MANAGER, DILEMMAS, REPO, free_port

pytest.importorskip("textual_serve", reason="the 'serve' extra (textual-serve) is not installed")
aiohttp = pytest.importorskip("aiohttp")

pytestmark = pytest.mark.slow

DEADLINE = 30.0  # seconds; only a hang comes near it
PASSPHRASE = "correct horse battery staple"
# A keyring backend that holds the test database's passphrase, loaded by keyring in any process
# through PYTHON_KEYRING_BACKEND: the serving user's keyring, as far as ethicsdesk can tell.
FAKE_KEYRING = f"""
from keyring.backend import KeyringBackend

class Holding(KeyringBackend):
    priority = 1

    def get_password(self, service, username):
        return {PASSPHRASE!r} if service == "ethicsdesk" else None

    def set_password(self, service, username, password):
        raise NotImplementedError

    def delete_password(self, service, username):
        raise NotImplementedError
"""


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


class Served:
    def __init__(self, proc: subprocess.Popen[str], port: int, page_url: str) -> None:
        self.proc, self.port, self.page_url = proc, port, page_url
        self.token = page_url.rsplit("token=", 1)[1]
        self.origin = f"http://127.0.0.1:{port}"


def start_serving(env: dict[str, str]) -> Served:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-c", "from ethicsdesk.cli.app import main; main()", "serve", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()  # printed before the server listens; the read ends if it dies
    found = re.search(r"Serving ethicsdesk on (\S+) \(loopback only\)", first)
    if found is None:
        proc.kill()
        raise AssertionError(f"serve did not start: {first!r} {proc.communicate()[1]!r}")
    end = time.monotonic() + DEADLINE
    while True:  # until it answers at all
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > end:
                raise AssertionError(f"serve never listened: {proc.communicate()[1]!r}") from None
            time.sleep(0.2)
    return Served(proc, port, found.group(1))


def stop(served: Served) -> str:
    """Stop the server; what it printed after its start-up line (stdout and stderr)."""
    served.proc.terminate()
    try:
        out, err = served.proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        served.proc.kill()
        out, err = served.proc.communicate()
    return out + err


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    env = {**os.environ, "ETHICSDESK_HOME": str(home), "ETHICSDESK_DB": f"sqlite:///{tmp_path / 'served.db'}"}
    env.pop("ETHICSDESK_PASSPHRASE", None)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ETHICSDESK_HOME", str(home))
        save_user(CASE_MANAGER)  # no first-run screen in the tab
    return env


@pytest.fixture
def served(environment: dict[str, str]) -> Iterator[Served]:
    server = start_serving(environment)
    yield server
    stop(server)


async def handshake(url: str, origin: str | None) -> int | bytes:
    """The HTTP status that refused the WebSocket, or what the app drew until it said 'ethicsdesk'."""
    headers = {"Origin": origin} if origin is not None else {}
    seen = b""
    async with aiohttp.ClientSession() as session:
        try:
            async with session.ws_connect(url, headers=headers, timeout=aiohttp.ClientWSTimeout(ws_close=5)) as ws:
                end = time.monotonic() + DEADLINE
                while b"ethicsdesk" not in seen and time.monotonic() < end:
                    try:
                        message = await ws.receive(timeout=1)
                    except TimeoutError:
                        continue
                    if message.type != aiohttp.WSMsgType.BINARY:
                        break
                    seen += message.data
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status
    return seen


def test_the_page_needs_the_launch_secret(served: Served) -> None:
    base = f"http://127.0.0.1:{served.port}/"
    assert status_of(base) == 403
    assert status_of(base + "?token=" + "A" * len(served.token)) == 403
    assert status_of(served.page_url) == 200
    with urllib.request.urlopen(served.page_url, timeout=5) as response:
        page = response.read().decode()
        assert response.headers["Referrer-Policy"] == "no-referrer"
    assert f"ws://127.0.0.1:{served.port}/ws/{served.token}" in page


@pytest.mark.parametrize(
    ("path", "origin", "refused_with"),
    [
        ("/ws/{token}", "https://evil.example", 403),  # any page on the web
        ("/ws/{token}", "http://127.0.0.1:1", 403),  # another port of this machine
        ("/ws/{token}", "null", 403),  # a sandboxed frame or a file:// page
        ("/ws/{token}", "http://rebound.example:{port}", 403),  # DNS rebinding to 127.0.0.1
        ("/ws", "{origin}", 404),  # no secret
        ("/ws/not-the-secret", "{origin}", 404),
    ],
)
def test_a_websocket_from_elsewhere_or_without_the_secret_is_refused(
    served: Served, path: str, origin: str, refused_with: int
) -> None:
    def fill(text: str) -> str:
        return text.format(token=served.token, port=served.port, origin=served.origin)

    url = f"ws://127.0.0.1:{served.port}{fill(path)}?width=80&height=24"
    assert asyncio.run(handshake(url, fill(origin))) == refused_with


@pytest.mark.parametrize("origin", ["{origin}", "http://localhost:{port}", None])
def test_the_served_page_connects_and_the_app_draws(served: Served, origin: str | None) -> None:
    url = f"ws://127.0.0.1:{served.port}/ws/{served.token}?width=100&height=30"
    shown = None if origin is None else origin.format(origin=served.origin, port=served.port)
    drawn = asyncio.run(handshake(url, shown))
    assert isinstance(drawn, bytes) and b"ethicsdesk" in drawn


def plain_get(url: str) -> tuple[int, str]:
    """The status and body of a plain GET, with no WebSocket upgrade; a hang fails at the timeout."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_a_plain_get_of_the_websocket_is_400_and_the_secret_is_never_printed_after_start_up(
    environment: dict[str, str],
) -> None:
    served = start_serving(environment)
    try:
        socket_url = f"http://127.0.0.1:{served.port}/ws/{served.token}"
        for query in ("", "?width=80&height=24"):  # twice: the first leaves nothing behind that stops the second
            status, body = plain_get(socket_url + query)
            assert status == 400 and "WebSocket" in body and served.token not in body, (status, body)
        # the other requests a server sees, each of which the access log used to print with its path
        assert status_of(served.page_url) == 200
        assert status_of(f"http://127.0.0.1:{served.port}/?token=wrong") == 403
        refused = f"ws://127.0.0.1:{served.port}/ws/{served.token}?width=80&height=24"
        assert asyncio.run(handshake(refused, "https://evil.example")) == 403
        drawn = asyncio.run(handshake(refused, served.origin))
        assert isinstance(drawn, bytes) and b"ethicsdesk" in drawn
        status, _body = plain_get(socket_url)  # still answered after a tab came and went
        assert status == 400
    finally:
        printed = stop(served)
    assert served.token not in printed, printed[-3000:]
    assert "Traceback" not in printed, printed[-3000:]


def test_a_served_tab_asks_for_the_passphrase_the_keyring_holds(environment: dict[str, str], tmp_path: Path) -> None:
    pytest.importorskip("sqlcipher3", reason="the 'encryption' extra is not installed")
    (tmp_path / "fake_keyring.py").write_text(FAKE_KEYRING, encoding="utf-8")
    env = {
        **environment,
        "PYTHONPATH": os.pathsep.join([str(tmp_path), environment.get("PYTHONPATH", "")]).strip(os.pathsep),
        "PYTHON_KEYRING_BACKEND": "fake_keyring.Holding",
    }
    db_url = env["ETHICSDESK_DB"]
    service = Service.open(db_url, CASE_MANAGER)
    service.importing.import_files([DILEMMAS / "gift-from-family.toml"])
    service.close()
    encrypt_in_place(db_url, PASSPHRASE, CASE_MANAGER)

    # The keyring works: the command line opens the database with it, asking nothing.
    listed = subprocess.run(
        [sys.executable, "-c", "from ethicsdesk.cli.app import main; main()", "list"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert listed.returncode == 0, listed.stderr

    server = start_serving(env)
    try:
        url = f"ws://127.0.0.1:{server.port}/ws/{server.token}?width=120&height=30"

        async def until_asked() -> bytes:
            seen = b""
            async with (
                aiohttp.ClientSession() as session,
                session.ws_connect(url, headers={"Origin": server.origin}) as ws,
            ):
                end = time.monotonic() + DEADLINE
                while b"Type its passphrase" not in seen and b"grateful" not in seen and time.monotonic() < end:
                    try:
                        message = await ws.receive(timeout=1)
                    except TimeoutError:
                        continue
                    if message.type != aiohttp.WSMsgType.BINARY:
                        break
                    seen += message.data
            return seen

        drawn = asyncio.run(until_asked())
    finally:
        stop(server)
    text = re.sub(rb"\x1b\[[0-9;?$]*[A-Za-z]", b"", drawn)
    assert b"Type its passphrase" in drawn and b"grateful" not in drawn, text[-3000:]
