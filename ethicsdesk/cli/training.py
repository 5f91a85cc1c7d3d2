"""Training on sample dilemmas: `train` opens the walk on a sample, `debrief` compares one attempt
with the sample's reference, `cohort` puts every attempt on a sample side by side."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ethicsdesk.cli.context import DbOption, JsonOption, app, echo_json, open_service, open_tui, say

if TYPE_CHECKING:
    from ethicsdesk.domain.training import Cohort, Debrief
    from ethicsdesk.service import Service

OutOption = Annotated[
    Path | None,
    typer.Option("--out", help="Write a file (Markdown, or JSON with --json) instead of printing; a folder or a file."),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace an existing file (never the database, a device or a folder).")
]


@app.command()
def train(
    sample_id: Annotated[str | None, typer.Argument(metavar="[SAMPLE_ID]")] = None,
    db: DbOption = None,
) -> None:
    """Open the TUI on a new training attempt (choose the sample there when none is named)."""
    if sample_id:
        from ethicsdesk.errors import BadInput
        from ethicsdesk.knowledge.dilemma_files import find_sample

        # checked here, before the TUI starts, so a typo is one sentence and exit 1, not a blank screen
        if find_sample(sample_id).data.reference is None:
            raise BadInput(f"The sample '{sample_id}' has no reference weighing, so it cannot be used for training.")
    open_tui(db, train=sample_id or "")


@app.command()
def debrief(
    record_id: Annotated[str, typer.Argument(metavar="ID", help="A training attempt.")],
    out: OutOption = None,
    force: ForceOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """A training attempt compared with its sample's reference weighing."""
    service = open_service(db, reading=True)
    _put(service.training.debrief(service.resolve(record_id)), service, out, as_json, force)


@app.command()
def cohort(
    sample_id: Annotated[str, typer.Argument(metavar="SAMPLE_ID")],
    out: OutOption = None,
    force: ForceOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Every training attempt on a sample side by side: agreement, choices, missed obligations, spread."""
    service = open_service(db, reading=True)
    _put(service.training.cohort(sample_id), service, out, as_json, force)


def _put(found: Debrief | Cohort, service: Service, out: Path | None, as_json: bool, force: bool) -> None:
    """A debrief or a cohort view written to `out` (Markdown, or JSON with --json), else printed as
    JSON or as text."""
    names = service.training.obligation_names()
    if out is not None:
        from ethicsdesk.service.exporting import write_comparison

        typer.echo(f"Wrote {write_comparison(service, found, 'json' if as_json else 'md', out, names, force=force)}")
    elif as_json:
        echo_json(found.to_json())
    else:
        from ethicsdesk.reporting.training_text import comparison_text

        say(comparison_text(found, names))
