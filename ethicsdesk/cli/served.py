"""textual-serve with a door: a per-launch secret in the URL, and the WebSocket's Origin
checked against the address served.

textual-serve accepts a WebSocket from any web page: a page on any site open in the user's browser
could connect to 127.0.0.1:PORT/ws and read and type into confidential records (a browser lets a
page open a WebSocket to any address; only the server can refuse it, by its Origin). Here:

- the page is served only at `/?token=SECRET`, a secret drawn for this launch and printed once;
- the WebSocket lives at `/ws/SECRET` (the page's script adds its own `?width=` query, so the
  secret goes in the path); a plain `/ws` does not exist;
- the WebSocket's Origin, when a browser sends one, must be the address served (for loopback, any
  loopback name of the same port): a page elsewhere, or a DNS-rebound name, is refused;
- a plain request for the WebSocket's address (no upgrade) is answered 400: textual-serve let
  aiohttp's refusal fall into its catch-all, logged it with the request's locals, secret and all,
  and answered nothing;
- the secret is printed once, at start-up: every log line (aiohttp's access log gives each request's
  path, a traceback its text) goes through a formatter that blots it out, with no rich traceback
  that prints local variables.

Imported only by `ethicsdesk serve`, once textual-serve is known to be installed.
"""

from __future__ import annotations

import logging
import secrets
import sys
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import web
from textual_serve.server import Server

LOOPBACK_ORIGIN_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def allowed_origins(public_url: str, port: int, loopback: bool) -> frozenset[str]:
    """The Origins a browser on the served page sends: the public address, and on loopback the
    same port under each loopback name (a user may type localhost for 127.0.0.1)."""
    origins = {_origin(public_url)}
    if loopback:
        origins |= {f"http://{host}:{port}" for host in LOOPBACK_ORIGIN_HOSTS}
    return frozenset(origins)


class SecretBlotted(logging.Formatter):
    """Log lines, tracebacks included, with the launch's secret replaced by a mark."""

    def __init__(self, secret: str) -> None:
        super().__init__("%(levelname)s %(name)s: %(message)s")
        self.secret = secret

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).replace(self.secret, "<secret>")


class GuardedServer(Server):
    def __init__(self, command: str, *, token: str, loopback: bool, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.token = token
        self.origins = allowed_origins(self.public_url, self.port, loopback)

    def initialize_logging(self) -> None:
        """textual-serve's own set-up prints rich tracebacks with local variables (the request, the
        secret in its path); this one prints plain lines, the secret blotted out, to stderr."""
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(SecretBlotted(self.token))
        logging.basicConfig(level=logging.DEBUG if self.debug else logging.INFO, handlers=[handler], force=True)
        logging.captureWarnings(True)  # a library's warning goes through the same formatter

    @property
    def page_url(self) -> str:
        """The address to open: the only one that serves the app."""
        return f"{self.public_url.rstrip('/')}/?token={self.token}"

    async def _make_app(self) -> web.Application:
        app = web.Application()
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.guarded_index, name="index"),
                # A literal path: the page's WebSocket URL (router.url_for) carries the secret.
                web.get(f"/ws/{self.token}", self.guarded_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def guarded_index(self, request: web.Request) -> web.StreamResponse:
        if not secrets.compare_digest(request.query.get("token", ""), self.token):
            raise web.HTTPForbidden(text="ethicsdesk: open the address printed when serve started.\n")
        response: web.StreamResponse = await self.handle_index(request)
        response.headers["Referrer-Policy"] = "no-referrer"  # the secret stays out of any Referer
        response.headers["Cache-Control"] = "no-store"
        return response

    async def guarded_websocket(self, request: web.Request) -> web.WebSocketResponse:
        origin = request.headers.get("Origin")
        if origin is not None and origin.lower() not in self.origins:
            raise web.HTTPForbidden(text="ethicsdesk: a page from another address may not connect.\n")
        if not web.WebSocketResponse().can_prepare(request).ok:
            raise web.HTTPBadRequest(text="ethicsdesk: this address takes a WebSocket from the served page only.\n")
        return await self.handle_websocket(request)
