"""Commands on records: open, import, list, show, verify, replay, export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ethicsdesk.cli import DbOption, JsonOption, _echo_json, _open_tui, _service, app


@app.command()
def new(db: DbOption = None) -> None:
    """Open the TUI on a new record."""
    _open_tui(db, new=True)


@app.command("open")
def open_(record_id: Annotated[str, typer.Argument(metavar="ID")], db: DbOption = None) -> None:
    """Open the TUI on an existing record."""
    service = _service(db)
    try:
        rid = service.resolve(record_id)
    finally:
        service.close()
    _open_tui(db, record_id=rid)


# --------------------------------------------------------------------------------
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
        keys = (
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
    import shutil

    # wrapped once, to the terminal's width (78 when it is not a terminal), never to a fixed width and
    # then again by the terminal
    width = min(shutil.get_terminal_size((80, 24)).columns, 120) - 2
    typer.echo(record_summary(state, service.framework_of(state), service.catalogue(), service.head(state.id), width))


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
        typer.echo(f"{e.seq:>5}  {e.hash[:12]}  {when}  {e.actor}{role}  {e.text}")


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


@app.command()
def review(
    record_id: Annotated[Optional[str], typer.Argument(metavar="[ID]")] = None,  # noqa: UP045
    db: DbOption = None,
) -> None:
    """The supervisor's consultation queue, or one record's review and sign-off."""
    rid = None
    if record_id:
        service = _service(db)
        try:
            rid = service.resolve(record_id)
        finally:
            service.close()
    _open_tui(db, review=rid or "")
