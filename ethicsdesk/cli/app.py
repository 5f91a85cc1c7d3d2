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


def _typed(ctx: Any) -> bool:
    """Whether --db was typed on this level of the command line (not the environment's, not a default)."""
    source = ctx.get_parameter_source("db")
    return source is not None and source.name == "COMMANDLINE"


def _given(ctx: Any) -> str | None:
    """The --db typed on this (already parsed) level of the command line."""
    return ctx.params.get("db") if _typed(ctx) else None


def _chosen_db(ctx: typer.Context, value: Optional[str]) -> Optional[str]:  # noqa: UP045
    """`ethicsdesk --db URL COMMAND` and `ethicsdesk COMMAND --db URL` both choose the database; both
    at once must name the same one (issue 13: the root's was ignored and the default file used)."""
    root = ctx.find_root()
    if root is ctx:
        return value
    above, here = _given(root), (value if _typed(ctx) else None)  # this level's is not in ctx.params yet
    if above is not None and here is not None and above != here:
        from ethicsdesk.errors import BadInput
        from ethicsdesk.store.engine import describe

        raise BadInput(
            f"--db is given twice with different databases ({describe(above)} and {describe(here)}); give it once."
        )
    return here if here is not None else above if above is not None else value


DbOption = Annotated[
    Optional[str],  # noqa: UP045 (typer reads the annotation at run time)
    typer.Option(
        "--db",
        envvar="ETHICSDESK_DB",
        help="Database URL (default: the embedded SQLite file).",
        show_envvar=True,
        callback=_chosen_db,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for other programs.")]


def _service(db: str | None) -> Service:
    """The service for this command, closed when the command ends, whatever way it ends: closing the
    last connection is what folds SQLite's -wal into the .db file (issue 13)."""
    from ethicsdesk.service import open_service

    service = open_service(db)
    _close_at_end(service.close)
    return service


def _close_at_end(close: Any) -> None:
    from typer._click.globals import get_current_context  # typer vendors click (pinned below 0.30)

    ctx = get_current_context(silent=True)
    if ctx is None:
        return  # not under a command (a direct call): the caller closes it
    ctx.call_on_close(close)


def _announce_new_database(path: Path) -> None:
    # Said to the person at a terminal; a script's stderr (often merged into a --json stdout) stays
    # clean, and a misspelt folder is refused for everyone (store/engine.py).
    if sys.stderr.isatty():
        typer.echo(f"ethicsdesk: created a new database file {path}", err=True)


def say(text: str, *, err: bool = False) -> None:
    """Print text that holds record text (titles, names, notes): control characters neutralised."""
    from ethicsdesk.reporting.terminal_text import shown

    typer.echo(shown(text), err=err)


def _echo_json(value: Any) -> None:
    say(json.dumps(value, indent=2, ensure_ascii=False))  # C1 and bidi controls as JSON's \u escapes


def _open_tui(db: str | None, **start: Any) -> None:
    from ethicsdesk.cli.launch import open_tui

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
    """The command line under the shared guard (ethicsdesk/cli/launch.py): errors become one sentence."""
    from ethicsdesk.cli.launch import exit_with, guarded
    from ethicsdesk.store.encryption import allow_terminal_prompt
    from ethicsdesk.store.new_files import announce_new_files

    allow_terminal_prompt(prompt_on_terminal)  # an encrypted file's passphrase, asked once on a TTY
    announce_new_files(_announce_new_database)  # a misspelt path is seen at once, not weeks later
    exit_with(guarded(app))


# The commands live by subject in ethicsdesk/cli/; importing them registers them on `app`.
from ethicsdesk.cli import anchoring, database, encryption, keys, records, samples, serve, training, users  # noqa: E402, F401
