"""Schema upgrades and consistent backups."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ethicsdesk.cli.app import DbOption, _close_at_end, db_app


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Bring the database to this version's schema (a SQLite file is backed up first)."""
    from ethicsdesk.settings import database_url
    from ethicsdesk.store.engine import describe, open_database
    from ethicsdesk.store.schema import HEAD, current_revision, upgrade

    database = open_database(database_url(db))
    _close_at_end(database.dispose)
    before = current_revision(database)
    backup = upgrade(database)
    if not database.is_sqlite:
        from ethicsdesk.store.server_roles import secure

        secure(database)  # tables a migration adds get their grants too (issue 15)
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
    _close_at_end(database.dispose)
    ensure_schema(database)
    backup(database, path)
    typer.echo(f"Backed up to {path} (readable only by you).")


@db_app.command("init")
def db_init(db: DbOption = None) -> None:
    """Prepare an empty database (for an agency's PostgreSQL server) at this version's schema."""
    from ethicsdesk.settings import database_url
    from ethicsdesk.store.engine import describe, open_database
    from ethicsdesk.store.schema import HEAD, current_revision, ensure_schema
    from ethicsdesk.store.server_roles import ADMIN, STAFF, secure

    database = open_database(database_url(db))
    _close_at_end(database.dispose)
    before = current_revision(database)
    ensure_schema(database, upgrade_older=False)
    where = describe(database.url)
    typer.echo(
        f"{where} is ready (schema {HEAD})." if before is None else f"{where} was already set up (schema {before})."
    )
    if not database.is_sqlite:
        secure(database)  # issue 15: what each login may do is the server's to enforce
        typer.echo(f"Grants set: people's logins join {STAFF}; the administrator's joins {ADMIN} (see README).")


@db_app.command("copy")
def db_copy(
    ctx: typer.Context,
    source: Annotated[str, typer.Option("--from", metavar="URL", help="The database to copy from.")],
    target: Annotated[str, typer.Option("--to", metavar="URL", help="The database to copy into.")],
) -> None:
    """Copy every record with its events into another database, then verify the copy."""
    from ethicsdesk.cli.app import _given
    from ethicsdesk.errors import BadInput

    if _given(ctx.find_root()) is not None:
        raise BadInput("'db copy' takes --from URL and --to URL, not --db; give those two.")
    from ethicsdesk.service import Service
    from ethicsdesk.service.copying import copy_database
    from ethicsdesk.settings import acting_user
    from ethicsdesk.store.engine import describe

    user = acting_user()
    src = Service.open(source, user)
    _close_at_end(src.close)
    dst = Service.open(target, user)
    _close_at_end(dst.close)
    report = copy_database(src, dst)
    checked, problems = dst.verify()
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
