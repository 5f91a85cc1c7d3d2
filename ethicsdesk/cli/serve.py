"""`ethicsdesk serve`: the TUI in a browser, for staff who cannot use a terminal.

textual-serve runs one `ethicsdesk` process per browser tab and relays its screen over a websocket.
It has no login and no TLS of its own, so it listens on loopback unless told otherwise: anyone who
can reach the port can read and change confidential records.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys
from typing import Annotated

import typer

from ethicsdesk.cli.context import DbOption, app

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command() -> str:
    """The shell command textual-serve starts for each browser tab: the same interpreter as this
    process, so the same installed ethicsdesk (quoted: it runs through a shell). The database goes
    by ETHICSDESK_DB in the environment, never on the command line, where `ps` would show a
    PostgreSQL password to every user of the machine."""
    return shlex.join([sys.executable, "-c", "from ethicsdesk.cli.app import main; main()"])


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on; loopback unless --allow-remote.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    allow_remote: Annotated[
        bool, typer.Option("--allow-remote", help="Listen on a non-loopback address (put TLS and a login in front).")
    ] = False,
    public_url: Annotated[
        str | None,
        typer.Option(help="The address browsers use, when a TLS proxy is in front (https://…)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Serve the TUI to a web browser (needs the 'serve' extra)."""
    from ethicsdesk.errors import BadInput
    from ethicsdesk.settings import database_url

    if not is_loopback(host) and not allow_remote:
        raise BadInput(
            f"Refusing to listen on {host}: the records are confidential and this server has no login "
            "or encryption of its own; keep it on 127.0.0.1, or put TLS and authentication in front "
            "and pass --allow-remote."
        )
    try:
        from ethicsdesk.cli.served import GuardedServer, new_token
    except ImportError:
        raise BadInput("Serving to a browser needs the extra: pip install 'ethicsdesk[serve]'.") from None
    from ethicsdesk.service.encryption import NO_KEYRING_ENV

    # Each browser tab must type the passphrase of an encrypted database itself: a passphrase in
    # this server's environment, or the keyring of the user who started it, would open the records
    # to anyone who reaches the port.
    os.environ.pop("ETHICSDESK_PASSPHRASE", None)
    os.environ[NO_KEYRING_ENV] = "1"
    url = database_url(db)
    os.environ["ETHICSDESK_DB"] = url  # every tab's process inherits this environment
    if public_url is None and ":" in host:  # an IPv6 address needs brackets in a URL
        public_url = f"http://[{host.strip('[]')}]:{port}"
    server = GuardedServer(
        app_command(),
        token=new_token(),
        loopback=is_loopback(host),
        host=host,
        port=port,
        title="ethicsdesk",
        public_url=public_url,
    )
    where = "loopback only" if is_loopback(host) else host
    typer.echo(f"Serving ethicsdesk on {server.page_url} ({where}); Ctrl+C stops it.")
    typer.echo("Open that address (it holds this launch's secret); no other address serves the app.")
    try:
        server.serve()
    except OSError as exc:  # the port is taken, or the address is not this machine's
        raise BadInput(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.") from None
