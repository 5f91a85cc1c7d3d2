"""What every command module shares: the Typer app and its groups, the `--db` and `--json` options,
the service a command opens, and how record text is printed.

The dependency runs one way: the command modules import this, and cli/app.py imports this and the
command modules (importing a command module registers its commands on `app`). Nothing here imports
a command module, so no command reaches back into the app that lists it.

Exit codes (the contract): 0 success, 1 a check failed or a record was not found, 2 bad usage or
bad input. Errors are one sentence on stderr, never a traceback.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from ethicsdesk.cli.command_spec import DB, JSON, CommandSpec
from ethicsdesk.cli.declared import typer_command, typer_option

if TYPE_CHECKING:
    from typer import _click  # typer vendors click (pinned below 0.30)

    from ethicsdesk.service import Service


def _typed_twice(command: _click.Command, ctx: _click.Context, args: list[str]) -> str | None:
    """The command, on the line ARGS, that is given --db more than once (Click keeps only the last),
    found by a dry run of Click's own parser at each level, so that a value such as `--search --db`
    is read as Click reads it. None when there is none, or when the line is wrong in another way,
    which the real parse then names."""
    from typer._click.exceptions import UsageError

    words: list[str] = []
    while True:
        try:
            _values, rest, order = command.make_parser(ctx).parse_args(args=list(args))
        except UsageError:
            return None
        if sum(1 for param in order if param.name == "db") > 1:
            return " ".join(words)
        below = command.get_command(ctx, rest[0]) if rest and isinstance(command, TyperGroup) else None
        if below is None:
            return None
        words.append(rest[0])
        command, args = below, rest[1:]
        ctx = below.context_class(below, info_name=rest[0], parent=ctx)  # its own rules: options after arguments


class _RootGroup(TyperGroup):
    """The root command: it refuses a --db typed twice at one level before anything runs."""

    def parse_args(self, ctx: _click.Context, args: list[str]) -> list[str]:
        where = _typed_twice(self, ctx, args)
        if where is not None:
            from ethicsdesk.errors import BadInput

            to = f" to '{where}'" if where else ""
            raise BadInput(f"--db is given more than once{to}; give it once.")
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_RootGroup,
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


def given_db(ctx: Any) -> str | None:
    """The --db typed on this (already parsed) level of the command line."""
    return ctx.params.get("db") if _typed(ctx) else None


def _chosen_db(ctx: typer.Context, value: str | None) -> str | None:
    """`ethicsdesk --db URL COMMAND` and `ethicsdesk COMMAND --db URL` both choose the database; both
    at once must name the same one (were one ignored, a command would quietly use another
    database than the one named)."""
    if _typed(ctx) and value is not None and not value.strip():
        from ethicsdesk.settings import refuse_empty_db

        refuse_empty_db()
    root = ctx.find_root()
    if root is ctx:
        return value
    above, here = given_db(root), (value if _typed(ctx) else None)  # this level's is not in ctx.params yet
    if above is not None and here is not None and not _same_database(above, here):
        from ethicsdesk.errors import BadInput
        from ethicsdesk.service.databases import two_databases

        raise BadInput(two_databases(above, here))
    return here if here is not None else above if above is not None else value


def _same_database(one: str, other: str) -> bool:
    from ethicsdesk.settings import as_database_url

    return as_database_url(one) == as_database_url(other)  # a path and its sqlite:/// URL agree


DbOption = Annotated[str | None, typer_option(DB, callback=_chosen_db)]
JsonOption = Annotated[bool, typer_option(JSON)]


def declare(spec: CommandSpec) -> None:
    """Register the command a spec declares (the direct start, cli/everyday.py, reads the same spec)."""
    app.command(spec.name, help=spec.help)(typer_command(spec, {DB.name: DbOption, JSON.name: JsonOption}))


def open_service(db: str | None, *, reading: bool = False) -> Service:
    """The service for this command, closed when the command ends, whatever way it ends: closing the
    last connection is what folds SQLite's -wal into the .db file. A command that only
    `reading` never creates a database other than the default one (a mistyped path is refused)."""
    from ethicsdesk.service import open_service

    service = open_service(db, reading=reading)
    close_at_end(service.close)
    return service


def close_at_end(close: Any) -> None:
    from typer._click.globals import get_current_context  # typer vendors click (pinned below 0.30)

    ctx = get_current_context(silent=True)
    if ctx is None:
        return  # not under a command (a direct call): the caller closes it
    ctx.call_on_close(close)


def say(text: str, *, err: bool = False) -> None:
    """Print text that holds record text (titles, names, notes): control characters neutralised."""
    from ethicsdesk.terminal_text import shown

    typer.echo(shown(text), err=err)


def echo_json(value: Any) -> None:
    say(json.dumps(value, indent=2, ensure_ascii=False))  # C1 and bidi controls as JSON's \u escapes


def open_tui(db: str | None, **start: Any) -> None:
    from ethicsdesk.cli.guard import open_tui

    open_tui(db, **start)
