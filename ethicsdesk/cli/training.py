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
    from ethicsdesk.service.review import RatingInput

OutOption = Annotated[
    Path | None,
    typer.Option("--out", help="Write a file (Markdown, or JSON with --json) instead of printing; a folder or a file."),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace an existing file (never the database, a device or a folder).")
]
LevelOption = Annotated[
    int | None,
    typer.Option(
        "--level",
        metavar="1-4",
        help="Rate the attempt (a trainer or supervisor): its overall level, 1 poor to 4 strong, with a --mark "
        "for each of the four domains.",
    ),
]
MarkOption = Annotated[
    list[str] | None,
    typer.Option(
        "--mark",
        metavar="DOMAIN=MARK",
        help="With --level: a domain (question, information, analysis, conclusions) marked met, partly or not-met.",
    ),
]
NoteOption = Annotated[str, typer.Option("--note", help="With --level: a note on the rating.")]


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
    level: LevelOption = None,
    mark: MarkOption = None,
    note: NoteOption = "",
) -> None:
    """A training attempt compared with its sample's reference weighing; with --level and --mark, the
    trainer's rating of it is recorded first."""
    rating = _rating(level, mark or [], note)
    service = open_service(db, reading=True)  # rating an existing attempt never needs a new database
    rid = service.resolve(record_id)
    if rating is not None:
        service.training.rate_attempt(rid, rating)
    _put(service.training.debrief(rid), service, out, as_json, force)


def _rating(level: int | None, marks: list[str], note: str) -> RatingInput | None:
    """The rating given on the command line; None when none is; refused in a sentence when given in part."""
    from ethicsdesk.errors import BadInput
    from ethicsdesk.service.review import RatingInput

    if level is None:
        if marks or note:
            raise BadInput("--mark and --note rate the attempt with --level: give its overall level, 1 to 4.")
        return None
    given: dict[str, str] = {}
    for item in marks:
        domain, _, value = item.partition("=")
        if not value:
            raise BadInput(f"'{item}' is not DOMAIN=MARK: write, for example, --mark question=met.")
        given[domain.strip()] = value.strip()
    return RatingInput(given, level, note)


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
