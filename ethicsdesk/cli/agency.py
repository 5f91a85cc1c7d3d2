"""Commands for a day's work and an agency's view: `due` (follow-ups and open consultation requests
of the current user) and `insight` (counts of the agency's ethics work, by month). Their bodies are in
cli/daily.py, which the direct start (cli/everyday.py) also runs without Typer."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ethicsdesk.cli import daily
from ethicsdesk.cli.context import DbOption, JsonOption, app


@app.command()
def due(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Follow-ups overdue or due within 7 days, and your open consultation requests (asked by you and of you)."""
    daily.due(db, as_json)


@app.command()
def insight(
    since: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--since", metavar="DATE", help="Only what happened from this date (YYYY-MM-DD)."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text, json or html.")] = "text",
    out: Annotated[Optional[Path], typer.Option("--out", help="Write a file instead of printing.")] = None,  # noqa: UP045
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing file (never the database, a device or a folder).")
    ] = False,
    db: DbOption = None,
) -> None:
    """The agency's ethics work in counts, by month: never an identifier or a word a user wrote, and
    counts under 5 read <5. A supervisor sees everyone's records; anyone else their own."""
    daily.insight(since, fmt, out, force, db)
