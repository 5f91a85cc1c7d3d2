"""The command line. Each command imports what it needs inside its body, so `ethicsdesk --help` loads
neither textual nor sqlmodel (shared/STACK.md: 4.4x slower with them at the top).

Exit codes (the contract): 0 success, 1 a check failed or a record was not found, 2 bad usage or
bad input. Errors are one sentence on stderr, never a traceback.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

if TYPE_CHECKING:
    from ethicsdesk.service import Service

app = typer.Typer(
    name="ethicsdesk",
    help="Think an ethical dilemma through, one step at a time, and document why.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
samples_app = typer.Typer(help="The sample dilemma library.", no_args_is_help=True)
db_app = typer.Typer(help="Schema upgrades and backups.", no_args_is_help=True)
app.add_typer(samples_app, name="samples")
app.add_typer(db_app, name="db")

DbOption = Annotated[
    Optional[str],  # noqa: UP045 (typer reads the annotation at run time)
    typer.Option(
        "--db", envvar="ETHICSDESK_DB", help="Database URL (default: the embedded SQLite file).", show_envvar=True
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for other programs.")]


def _service(db: str | None) -> Service:
    from ethicsdesk.service import open_service

    return open_service(db)


def _echo_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False))


def _open_tui(db: str | None, **start: Any) -> None:
    from ethicsdesk.launch import open_tui

    open_tui(db, **start)


# --- the TUI ------------------------------------------------------------------------------------
@app.callback(invoke_without_command=True)
def _root(ctx: typer.Context, db: DbOption = None) -> None:
    """With no command, open the TUI on your records."""
    if ctx.invoked_subcommand is None:
        _open_tui(db)


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
    """The command line under the shared guard (ethicsdesk/launch.py): errors become one sentence."""
    from ethicsdesk.launch import exit_with, guarded
    from ethicsdesk.store.encryption import allow_terminal_prompt

    allow_terminal_prompt(prompt_on_terminal)  # an encrypted file's passphrase, asked once on a TTY
    exit_with(guarded(app))


# The commands live by subject in ethicsdesk/commands/; importing them registers them on `app`.
from ethicsdesk.commands import anchoring, database, encryption, keys, records, samples, serve, training, users  # noqa: E402, F401
