"""Commands on records: open, import, list, show, verify, replay, export (open, list, show and export
are declared, with their bodies, in cli/everyday.py, which can also run them without Typer)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ethicsdesk.cli import everyday
from ethicsdesk.cli.context import DbOption, JsonOption, app, declare, echo_json, open_service, open_tui, say


@app.command()
def new(db: DbOption = None) -> None:
    """Open the TUI on a new record."""
    open_tui(db, new=True)


declare(everyday.OPEN)


# --------------------------------------------------------------------------------
@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(metavar="FILE…", help="Dilemma files (TOML).")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a record from each dilemma file; all files are checked before any is written."""
    from ethicsdesk.errors import BadInput
    from ethicsdesk.knowledge.dilemma_batch import read_dilemmas
    from ethicsdesk.knowledge.dilemma_files import DilemmaProblems

    try:
        dilemmas = read_dilemmas(files)  # refuses the batch before the database is even opened
    except DilemmaProblems as exc:
        if len(exc.problems) == 1:
            raise
        for problem in exc.problems:  # every problem of every file, as 'samples validate' lists them
            say(problem, err=True)
        raise BadInput(exc.summary) from None
    service = open_service(db)
    ids = service.importing.import_dilemmas(dilemmas)
    if as_json:
        echo_json({"id": ids[0]} if len(ids) == 1 else [{"id": i} for i in ids])
    else:
        for rid, d in zip(ids, dilemmas, strict=True):
            say(f"{rid}  {d.data.title}  (from {d.path})")


declare(everyday.LIST)
declare(everyday.SHOW)


@app.command()
def verify(
    record_id: Annotated[str | None, typer.Argument(metavar="[ID]")] = None,
    checkpoint: Annotated[
        Path | None,
        typer.Option("--checkpoint", metavar="FILE", help="Also name every record changed since this checkpoint."),
    ] = None,
    allow_unsigned: Annotated[
        bool,
        typer.Option(
            "--allow-unsigned", help="Compare with a checkpoint that no trusted key signed (it then proves little)."
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Recompute the hash chains, refold the events against the tables, and check every signature's key.
    Exit 1 if anything fails, 3 if only some sign-off's key is not trusted here yet."""
    from ethicsdesk.cli.anchoring import print_audit

    service = open_service(db, reading=True)
    print_audit(service, service.resolve(record_id) if record_id else None, checkpoint, allow_unsigned=allow_unsigned)


@app.command()
def replay(
    record_id: Annotated[str, typer.Argument(metavar="ID")],
    text: Annotated[bool, typer.Option("--text", help="Print the timeline instead of opening the TUI.")] = False,
    db: DbOption = None,
) -> None:
    """Step through how a record evolved."""
    service = open_service(db, reading=True)
    rid = service.resolve(record_id)
    if not text:
        service.close()
        open_tui(db, replay=rid)
        return
    entries = service.history(rid)
    say(f"{rid}: {len(entries)} event(s), head {entries[-1].hash[:16]}")
    for e in entries:
        when = e.at[:19].replace("T", " ")
        role = f" ({e.role})" if e.role else ""
        say(f"{e.seq:>5}  {e.hash[:12]}  {when}  {e.actor}{role}  {e.text}")


declare(everyday.EXPORT)


@app.command()
def review(
    record_id: Annotated[str | None, typer.Argument(metavar="[ID]")] = None,
    db: DbOption = None,
) -> None:
    """The supervisor's consultation queue, or one record's review and sign-off."""
    rid = None
    if record_id:
        service = open_service(db, reading=True)
        try:
            rid = service.resolve(record_id)
        finally:
            service.close()
    open_tui(db, review=rid or "")
