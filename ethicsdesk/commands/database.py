"""Schema upgrades and consistent backups."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ethicsdesk.cli import DbOption, db_app


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
