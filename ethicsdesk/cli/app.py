"""The command line. Each command imports what it needs inside its body, so `ethicsdesk --help` loads
neither textual nor sqlmodel (measured 4.4x slower with them at the top).

Exit codes (the contract): 0 success, 1 a check failed or a record was not found, 2 bad usage or
bad input. Errors are one sentence on stderr, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

# The command modules register their commands on `app` (cli/context.py) when they are imported; this
# module only lists them, so the dependency runs one way: app -> commands -> context.
from ethicsdesk.cli import agency, anchoring, database, encryption, keys, records, samples, serve, training, users  # noqa: F401
from ethicsdesk.cli.context import DbOption, app, open_tui


def _announce_new_database(path: Path) -> None:
    # Said to the person at a terminal; a script's stderr (often merged into a --json stdout) stays
    # clean, and a misspelt folder is refused for everyone (store/engine.py).
    if sys.stderr.isatty():
        typer.echo(f"ethicsdesk: created a new database file {path}", err=True)


# --- the TUI ------------------------------------------------------------------------------------
@app.callback(invoke_without_command=True)
def _root(ctx: typer.Context, db: DbOption = None) -> None:
    """With no command, open the TUI on your records."""
    if ctx.invoked_subcommand is None:
        open_tui(db)


def prompt_on_terminal(path: Path) -> str | None:
    """The passphrase of an encrypted database, asked with hidden input, only when a person is at a
    terminal (the store calls it through `allow_terminal_prompt`; the TUI asks on its own screen)."""
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None
    try:
        return str(typer.prompt(f"Passphrase for {path}", hide_input=True, err=True)) or None
    except (EOFError, KeyboardInterrupt, typer.Abort):
        return None


def main() -> None:
    """The command line under the shared guard (ethicsdesk/cli/guard.py): errors become one sentence."""
    from ethicsdesk.cli.guard import exit_with, guarded
    from ethicsdesk.service.databases import announce_new_files
    from ethicsdesk.service.encryption import allow_terminal_prompt

    allow_terminal_prompt(prompt_on_terminal)  # an encrypted file's passphrase, asked once on a TTY
    announce_new_files(_announce_new_database)  # a misspelt path is seen at once, not weeks later
    exit_with(guarded(app))
