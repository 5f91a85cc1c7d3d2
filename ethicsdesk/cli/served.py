"""textual-serve with a door (issue 13): a per-launch secret in the URL, and the WebSocket's Origin
checked against the address served.

textual-serve accepts a WebSocket from any web page: a page on any site open in the user's browser
could connect to 127.0.0.1:PORT/ws and read and type into confidential records (a browser lets a
page open a WebSocket to any address; only the server can refuse it, by its Origin). Here:

- the page is served only at `/?token=SECRET`, a secret drawn for this launch and printed once;
- the WebSocket lives at `/ws/SECRET` (the page's script adds its own `?width=` query, so the
  secret goes in the path); a plain `/ws` does not exist;
- the WebSocket's Origin, when a browser sends one, must be the address served (for loopback, any
  loopback name of the same port): a page elsewhere, or a DNS-rebound name, is refused.

Imported only by `ethicsdesk serve`, once textual-serve is known to be installed.
"""

from __future__ import annotations

import secrets
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


class GuardedServer(Server):
    def __init__(self, command: str, *, token: str, loopback: bool, **kwargs: Any) -> None:
        super().__init__(command, **kwargs)
        self.token = token
        self.origins = allowed_origins(self.public_url, self.port, loopback)

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
        return await self.handle_websocket(request)
