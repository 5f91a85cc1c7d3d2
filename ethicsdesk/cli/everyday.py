"""The everyday commands, `show`, `list` and `export`: their bodies, each command's declaration, and a
direct start that skips Typer (which also starts `due` and `insight`, declared in cli/daily.py).

A supervisor pulls up a dozen records in a morning and a trainer scripts `export` over a class, so
these run as close to `ethicsdesk --help` as they can (bench/). Typer checks every parameter through
pydantic (about 80 ms a process) and the full service imports SQLAlchemy (about 450 ms), so:

- the bodies here use the light record service (service/light_records.py, sqlite3 on a SQLite file);
- each command is declared once, as a CommandSpec (cli/command_spec.py): cli/records.py registers
  the Typer command built from it (cli/declared.py), and `direct(argv)` reads its plain forms from
  it and runs the body straight from the command line. Anything else (help, an unknown or repeated
  option, a value Typer would refuse, options before the command, a database that is not a plain
  SQLite file) returns None and goes to the Typer app, which says what is wrong.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ethicsdesk.cli import daily
from ethicsdesk.cli.command_spec import DB, JSON, Argument, CommandSpec, Option, flag
from ethicsdesk.reporting.terminal_tables import Column

LIST_KEYS = (
    "id",
    "title",
    "case_code",
    "status",
    "step",
    "kind",
    "sample_id",
    "created_at",
    "created_by",
    "updated_at",
    "events",
    "head_hash",
)
# a case code is up to 64 characters: the list shows its first ten cells, then an ellipsis
LIST_COLUMNS = [
    Column("ID"),
    Column("CHANGED"),
    Column("STATUS"),
    Column("STEP"),
    Column("CASE", max_width=10),
    Column("TITLE", wrap=True),
]


def echo(text: str = "", err: bool = False) -> None:
    """Print text that may hold record text: control characters neutralised (terminal_text.shown),
    JSON included, whose escapes still decode to the original text."""
    from ethicsdesk.terminal_text import shown

    stream = sys.stderr if err else sys.stdout
    stream.write(shown(text) + "\n")
    stream.flush()


def echo_json(value: Any) -> None:
    echo(json.dumps(value, indent=2, ensure_ascii=False))


# --- the bodies -------------------------------------------------------------------------------------
def open_record(record_id: str, db: str | None = None) -> None:
    """The TUI on an existing record, its id (or a prefix of it) resolved on the light path: the walk
    is then drawn before SQLAlchemy is imported (tui/app.py)."""
    from ethicsdesk.cli.guard import open_tui
    from ethicsdesk.service.light_records import open_records

    with open_records(db) as records:
        rid = records.resolve(record_id)
    open_tui(db, record_id=rid)


def show(record_id: str, db: str | None = None) -> None:
    """A plain-text summary of a record."""
    import shutil

    from ethicsdesk.reporting.plain_text import record_summary
    from ethicsdesk.service.light_records import open_records

    with open_records(db) as service:
        state = service.record(service.resolve(record_id))
        # wrapped once, to the terminal's width (78 when it is not a terminal), never to a fixed width and
        # then again by the terminal
        width = min(shutil.get_terminal_size((80, 24)).columns, 120) - 2
        text = record_summary(state, service.framework_of(state), service.catalogue(), service.head(state.id), width)
    echo(text)


def list_(
    status: str | None = None,
    search: str | None = None,
    training: bool = False,
    limit: int = 50,
    db: str | None = None,
    as_json: bool = False,
) -> None:
    """Records, newest change first."""
    from ethicsdesk.domain.record import STATUSES
    from ethicsdesk.errors import BadInput
    from ethicsdesk.service.light_records import open_records

    if status is not None and status not in STATUSES:
        raise BadInput(f"'{status}' is not a status; use one of: {', '.join(STATUSES)}.")
    with open_records(db) as service:
        kind = "training" if training else "case"
        rows = service.list_records(kind=kind, status=status, search=search, limit=limit)
    if as_json:
        echo_json([{k: getattr(r, k) for k in LIST_KEYS} for r in rows])
        return
    if not rows:
        echo("No records match." if (status or search) else "No records yet: 'ethicsdesk new' starts one.")
        return
    table = [[r.id, r.updated_at[:16].replace("T", " "), r.status, r.step, r.case_code, r.title] for r in rows]
    print_table(LIST_COLUMNS, table)


def print_table(columns: list[Column], rows: list[list[str]]) -> None:
    """A table (reporting/terminal_tables.py) fitted to the terminal, its titles folding within
    their column and its header bold; into a pipe or a file, one line per row and no colour."""
    import shutil

    from ethicsdesk.reporting.terminal_tables import table_lines

    terminal = sys.stdout.isatty()
    width = shutil.get_terminal_size((80, 24)).columns if terminal else None
    # every cell passed through terminal_text.shown in table_lines: not again through echo, whose
    # escaping would show the header's bold as text
    sys.stdout.write("\n".join(table_lines(columns, rows, width=width, styled=terminal)) + "\n")
    sys.stdout.flush()


def export(
    record_id: str,
    fmt: str = "html",
    out: Path | None = None,
    include_identifiers: bool = False,
    templates: Path | None = None,
    db: str | None = None,
    force: bool = False,
) -> None:
    """The rationale report of a record; identifiers are masked unless asked for."""
    from ethicsdesk.service.exporting import export_record
    from ethicsdesk.service.light_records import open_records

    with open_records(db) as service:
        rid = service.resolve(record_id)
        result = export_record(
            service, rid, fmt, out, include_identifiers=include_identifiers, templates=templates, force=force
        )
    for warning in result.warnings:
        echo(f"warning: {warning}", err=True)
    if result.path is not None:
        echo(f"Wrote {result.path} ({fmt}, identifiers {'included' if include_identifiers else 'masked'}).")


# --- the declarations: the Typer commands (cli/declared.py) and the direct start both read these ---
OPEN = CommandSpec("open", open_record, "Open the TUI on an existing record.", (Argument("record_id", "ID"),), (DB,))
SHOW = CommandSpec("show", show, "A plain-text summary of a record.", (Argument("record_id", "ID"),), (DB,))
LIST = CommandSpec(
    "list",
    list_,
    "Records, newest change first.",
    options=(
        Option("--status", "status", "Only records with this status."),
        Option("--search", "search", "Only records whose text has these words."),
        flag("--training", "training", "Training attempts instead of case records."),
        Option("--limit", "limit", "How many at most.", kind=int, default=50, minimum=1, maximum=10_000),
        DB,
        JSON,
    ),
)
EXPORT = CommandSpec(
    "export",
    export,
    "The rationale report of a record; identifiers are masked unless asked for.",
    (Argument("record_id", "ID"),),
    (
        Option("--format", "fmt", "md, html, json or pdf.", default="html"),
        Option("--out", "out", "Where to write it; '-' for standard output.", kind=Path),
        flag("--include-identifiers", "include_identifiers", "Show the client's identifiers (logged as an event)."),
        Option("--templates", "templates", "A folder of the agency's own report templates.", kind=Path),
        flag("--force", "force", "Replace an existing file (never the database or its -wal/-shm)."),
        DB,
    ),
)
COMMANDS = {spec.name: spec for spec in (OPEN, SHOW, LIST, EXPORT, daily.DUE, daily.INSIGHT)}


# --- the direct start ---------------------------------------------------------------------------------
def direct(argv: list[str]) -> Callable[[], None] | None:
    """The body to run for `ethicsdesk ARGV`, if ARGV is one of the plain forms of COMMANDS."""
    if not argv or argv[0] not in COMMANDS:
        return None  # options before the command (a root option) too: Typer's
    spec = COMMANDS[argv[0]]
    kwargs = spec.plain_words(argv[1:])
    if kwargs is None:
        return None
    from ethicsdesk.service.light_records import light_service_may_open
    from ethicsdesk.settings import database_url

    if not light_service_may_open(database_url(kwargs.get("db"))):
        return None  # a server, or an encrypted file whose passphrase the command line asks for
    return lambda: spec.body(**kwargs)
