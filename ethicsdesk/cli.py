"""The command line. Each command imports what it needs inside its body, so `ethicsdesk --help` loads
neither textual nor sqlmodel (shared/STACK.md: 4.4x slower with them at the top).

Exit codes (the contract): 0 success, 1 a check failed or a record was not found, 2 bad usage or
bad input. Errors are one sentence on stderr, never a traceback.
"""

from __future__ import annotations

import json
import os
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
    typer.Option("--db", envvar="ETHICSDESK_DB", help="Database URL (default: the embedded SQLite file).", show_envvar=True),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for other programs.")]


def _service(db: str | None) -> Service:
    from ethicsdesk.service import open_service

    return open_service(db)


def _echo_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False))


def _open_tui(db: str | None, **start: Any) -> None:
    from ethicsdesk.tui.app import run

    run(db, **start)


# --- the TUI ------------------------------------------------------------------------------------
@app.callback(invoke_without_command=True)
def _root(ctx: typer.Context, db: DbOption = None) -> None:
    """With no command, open the TUI on your records."""
    if ctx.invoked_subcommand is None:
        _open_tui(db)


@app.command()
def new(db: DbOption = None) -> None:
    """Open the TUI on a new record."""
    _open_tui(db, new=True)


@app.command("open")
def open_(record_id: Annotated[str, typer.Argument(metavar="ID")], db: DbOption = None) -> None:
    """Open the TUI on an existing record."""
    service = _service(db)
    rid = service.resolve(record_id)
    service.close()
    _open_tui(db, record_id=rid)


# --- records ------------------------------------------------------------------------------------
@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(metavar="FILE…", help="Dilemma files (TOML).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a record from each dilemma file; all files are checked before any is written."""
    from ethicsdesk.library import read_dilemmas

    dilemmas = read_dilemmas(files)  # refuses the batch before the database is even opened
    service = _service(db)
    ids = service.import_dilemmas(dilemmas)
    if as_json:
        _echo_json({"id": ids[0]} if len(ids) == 1 else [{"id": i} for i in ids])
    else:
        for rid, d in zip(ids, dilemmas, strict=True):
            typer.echo(f"{rid}  {d.data.title}  (from {d.path})")


@app.command("list")
def list_(
    status: Annotated[Optional[str], typer.Option(help="Only records with this status.")] = None,  # noqa: UP045
    search: Annotated[Optional[str], typer.Option(help="Only records whose text has these words.")] = None,  # noqa: UP045
    training: Annotated[bool, typer.Option("--training", help="Training attempts instead of case records.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="How many at most.")] = 50,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Records, newest change first."""
    from ethicsdesk.domain.record import STATUSES
    from ethicsdesk.errors import BadInput

    if status is not None and status not in STATUSES:
        raise BadInput(f"'{status}' is not a status; use one of: {', '.join(STATUSES)}.")
    service = _service(db)
    rows = service.list_records(kind="training" if training else "case", status=status, search=search, limit=limit)
    if as_json:
        keys = ("id", "title", "case_code", "status", "step", "kind", "sample_id", "created_at", "created_by",
                "updated_at", "events", "head_hash")
        _echo_json([{k: getattr(r, k) for k in keys} for r in rows])
        return
    if not rows:
        typer.echo("No records match." if (status or search) else "No records yet: 'ethicsdesk new' starts one.")
        return
    typer.echo(f"{'ID':<10}  {'CHANGED':<16}  {'STATUS':<21}  {'STEP':<11}  {'CASE':<10}  TITLE")
    for r in rows:
        changed = r.updated_at[:16].replace("T", " ")
        typer.echo(f"{r.id:<10}  {changed:<16}  {r.status:<21}  {r.step:<11}  {r.case_code[:10]:<10}  {r.title}")


@app.command()
def show(record_id: Annotated[str, typer.Argument(metavar="ID")], db: DbOption = None) -> None:
    """A plain-text summary of a record."""
    from ethicsdesk.plain_text import record_summary

    service = _service(db)
    state = service.record(service.resolve(record_id))
    typer.echo(record_summary(state, service.framework_of(state), service.catalogue(), service.head(state.id)))


@app.command()
def verify(record_id: Annotated[Optional[str], typer.Argument(metavar="[ID]")] = None, db: DbOption = None) -> None:  # noqa: UP045
    """Recompute the hash chains and refold the events against the current-state tables."""
    service = _service(db)
    rid = service.resolve(record_id) if record_id else None
    checked, problems = service.verify(rid)
    if not problems:
        typer.echo(f"Verified {checked} record(s): every chain holds and every record matches its events.")
        return
    broken = sorted({p.record_id for p in problems})
    for p in problems:
        typer.echo(f"{p.record_id}: {p.text}", err=True)
    typer.echo(f"{len(broken)} of {checked} record(s) failed verification: {', '.join(broken)}.", err=True)
    raise typer.Exit(1)


@app.command()
def replay(
    record_id: Annotated[str, typer.Argument(metavar="ID")],
    text: Annotated[bool, typer.Option("--text", help="Print the timeline instead of opening the TUI.")] = False,
    db: DbOption = None,
) -> None:
    """Step through how a record evolved."""
    service = _service(db)
    rid = service.resolve(record_id)
    if not text:
        service.close()
        _open_tui(db, replay=rid)
        return
    entries = service.history(rid)
    typer.echo(f"{rid}: {len(entries)} event(s), head {entries[-1].hash[:16]}")
    for e in entries:
        when = e.at[:19].replace("T", " ")
        role = f" ({e.role})" if e.role else ""
        typer.echo(f"{e.seq:>5}  {when}  {e.actor}{role}  {e.text}")


@app.command()
def export(
    record_id: Annotated[str, typer.Argument(metavar="ID")],
    fmt: Annotated[str, typer.Option("--format", help="md, html, json or pdf.")] = "html",
    out: Annotated[Optional[Path], typer.Option("--out", help="Where to write it; '-' for standard output.")] = None,  # noqa: UP045
    include_identifiers: Annotated[
        bool, typer.Option("--include-identifiers", help="Show the client's identifiers (logged as an event).")
    ] = False,
    templates: Annotated[
        Optional[Path], typer.Option("--templates", help="A folder of the agency's own report templates.")  # noqa: UP045
    ] = None,
    db: DbOption = None,
) -> None:
    """The rationale report of a record; identifiers are masked unless asked for."""
    from ethicsdesk.export import export_record

    service = _service(db)
    rid = service.resolve(record_id)
    result = export_record(service, rid, fmt, out, include_identifiers=include_identifiers, templates=templates)
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if result.path is not None:
        typer.echo(f"Wrote {result.path} ({fmt}, identifiers {'included' if include_identifiers else 'masked'}).")


# --- samples ------------------------------------------------------------------------------------
@samples_app.command("list")
def samples_list(as_json: JsonOption = False) -> None:
    """The shipped sample dilemmas."""
    from ethicsdesk.library import read_dilemma, sample_paths

    items = [read_dilemma(p).data for p in sample_paths()]
    if as_json:
        _echo_json([{"id": d.id, "title": d.title, "tags": d.tags, "options": len(d.options),
                     "has_reference": d.reference is not None} for d in items])
        return
    for d in items:
        typer.echo(f"{d.id:<34}  {d.title}")


@samples_app.command("show")
def samples_show(sample_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """One sample dilemma in full, with its reference weighing."""
    from ethicsdesk.library import find_sample
    from ethicsdesk.plain_text import dilemma_text

    typer.echo(dilemma_text(find_sample(sample_id)))


@samples_app.command("validate")
def samples_validate(files: Annotated[list[Path], typer.Argument(metavar="FILE…")]) -> None:
    """Check dilemma files against the format; exit 2 naming every bad one."""
    from ethicsdesk.errors import BadInput
    from ethicsdesk.library import read_dilemma

    bad = 0
    for path in files:
        try:
            d = read_dilemma(path)
        except BadInput as exc:
            bad += 1
            typer.echo(exc.message, err=True)
        else:
            typer.echo(f"ok  {path}  ({d.id}, {len(d.data.options)} options"
                       f"{', reference' if d.data.reference else ''})")
    if bad:
        typer.echo(f"{bad} of {len(files)} file(s) are not valid dilemma files.", err=True)
        raise typer.Exit(2)


# --- database -----------------------------------------------------------------------------------
@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Bring the database to this version's schema (a SQLite file is backed up first)."""
    from ethicsdesk.settings import database_url
    from ethicsdesk.store.engine import describe, open_database
    from ethicsdesk.store.schema import HEAD, current_revision, upgrade

    database = open_database(database_url(db))
    before = current_revision(database)
    backup = upgrade(database)
    if before == HEAD:
        typer.echo(f"{describe(database.url)} is already at schema {HEAD}.")
        return
    if backup:
        typer.echo(f"Backed up schema {before} to {backup}.")
    typer.echo(f"{describe(database.url)} is now at schema {HEAD}.")


@db_app.command("backup")
def db_backup(path: Annotated[Path, typer.Argument(metavar="PATH")], db: DbOption = None) -> None:
    """A consistent copy of the SQLite database (made by SQLite, never a file copy)."""
    from ethicsdesk.settings import database_url
    from ethicsdesk.store.engine import open_database
    from ethicsdesk.store.schema import backup, ensure_schema

    database = open_database(database_url(db))
    ensure_schema(database)
    backup(database, path)
    typer.echo(f"Backed up to {path} (readable only by you).")


def main() -> None:
    """The console entry point: errors become one sentence and an exit code."""
    from ethicsdesk.errors import EthicsdeskError

    code = 0
    try:
        app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except EthicsdeskError as exc:
        typer.echo(f"ethicsdesk: {exc.message}", err=True)
        code = exc.exit_code
    except KeyboardInterrupt:
        typer.echo("ethicsdesk: interrupted; everything acknowledged before is saved.", err=True)
        code = 130
    except Exception as exc:  # the last guard: never a traceback in a user's terminal
        if os.environ.get("ETHICSDESK_DEBUG"):
            raise
        typer.echo(f"ethicsdesk: unexpected error ({type(exc).__name__}: {exc}); "
                   "run again with ETHICSDESK_DEBUG=1 for details.", err=True)
        code = 1
    # Freezing the heap skips a full garbage collection at exit: about 180 ms with sqlmodel loaded.
    import gc

    gc.freeze()
    sys.exit(code)
