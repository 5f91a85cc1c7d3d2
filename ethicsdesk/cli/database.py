"""Schema upgrades and consistent backups."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ethicsdesk.cli.context import DbOption, close_at_end, db_app, given_db


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Bring the database to this version's schema (a SQLite file is backed up first)."""
    from ethicsdesk.service.databases import upgrade_database
    from ethicsdesk.settings import database_url

    done = upgrade_database(database_url(db))
    if done.before == done.head:
        typer.echo(f"{done.where} is already at schema {done.head}.")
        return
    if done.backup:
        typer.echo(f"Backed up schema {done.before} to {done.backup}.")
    typer.echo(f"{done.where} is now at schema {done.head}.")


@db_app.command("backup")
def db_backup(path: Annotated[Path, typer.Argument(metavar="PATH")], db: DbOption = None) -> None:
    """A consistent copy of the SQLite database (made by SQLite, never a file copy)."""
    from ethicsdesk.service.databases import backup_database
    from ethicsdesk.settings import database_url, is_default_database

    backup_database(database_url(db), path, create=is_default_database(db))  # a read: a typo makes no file
    typer.echo(f"Backed up to {path} (readable only by you).")


@db_app.command("init")
def db_init(db: DbOption = None) -> None:
    """Prepare an empty database (for an agency's PostgreSQL server) at this version's schema."""
    from ethicsdesk.service.databases import init_database
    from ethicsdesk.settings import database_url

    done = init_database(database_url(db))
    typer.echo(
        f"{done.where} is ready (schema {done.head})."
        if done.before is None
        else f"{done.where} was already set up (schema {done.before})."
    )
    if done.grants is not None:
        staff, admin = done.grants
        typer.echo(f"Grants set: people's logins join {staff}; the administrator's joins {admin} (see README).")


@db_app.command("copy")
def db_copy(
    ctx: typer.Context,
    source: Annotated[str, typer.Option("--from", metavar="URL", help="The database to copy from.")],
    target: Annotated[str, typer.Option("--to", metavar="URL", help="The database to copy into.")],
) -> None:
    """Copy every record with its events into another database, then verify the copy."""
    from ethicsdesk.errors import BadInput

    if given_db(ctx.find_root()) is not None:
        raise BadInput("'db copy' takes --from URL and --to URL, not --db; give those two.")
    from ethicsdesk.service import Service
    from ethicsdesk.service.copying import copy_database
    from ethicsdesk.service.databases import describe
    from ethicsdesk.settings import acting_user

    user = acting_user()
    src = Service.open(source, user)
    close_at_end(src.close)
    dst = Service.open(target, user)
    close_at_end(dst.close)
    report = copy_database(src, dst)
    checked, problems = dst.integrity.verify()
    typer.echo(
        f"Copied {report.records} record(s) and {report.events} event(s) into {describe(target)}"
        + (f"; {len(report.skipped)} were there already" if report.skipped else "")
        + "."
    )
    if problems:
        for p in problems:
            typer.echo(f"{p.record_id}: {p.text}", err=True)
        raise typer.Exit(1)
    typer.echo(f"Verified {checked} record(s) on the target: every chain holds.")
