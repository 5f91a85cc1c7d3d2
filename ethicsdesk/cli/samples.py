"""The sample dilemma library: list, show, validate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ethicsdesk.cli.context import JsonOption, echo_json, samples_app, say


@samples_app.command("list")
def samples_list(as_json: JsonOption = False) -> None:
    """The shipped sample dilemmas."""
    from ethicsdesk.knowledge.dilemma_files import read_dilemma, sample_paths

    items = [read_dilemma(p).data for p in sample_paths()]
    if as_json:
        echo_json(
            [
                {
                    "id": d.id,
                    "title": d.title,
                    "tags": d.tags,
                    "options": len(d.options),
                    "has_reference": d.reference is not None,
                }
                for d in items
            ]
        )
        return
    for d in items:
        say(f"{d.id:<34}  {d.title}")


@samples_app.command("show")
def samples_show(sample_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """One sample dilemma in full, with its reference weighing."""
    from ethicsdesk.knowledge.dilemma_files import find_sample
    from ethicsdesk.reporting.plain_text import dilemma_text

    say(dilemma_text(find_sample(sample_id)))


@samples_app.command("validate")
def samples_validate(files: Annotated[list[Path], typer.Argument(metavar="FILE…")]) -> None:
    """Check dilemma files against the format; every problem with its file and line; exit 2 if any."""
    from ethicsdesk.errors import BadInput
    from ethicsdesk.knowledge.dilemma_files import DilemmaProblems, read_dilemma

    bad = 0
    for path in files:
        try:
            d = read_dilemma(path)
        except DilemmaProblems as exc:
            bad += 1
            for problem in exc.problems:
                say(problem, err=True)
        except BadInput as exc:
            bad += 1
            say(exc.message, err=True)
        else:
            typer.echo(
                f"ok  {path}  ({d.id}, {len(d.data.options)} options{', reference' if d.data.reference else ''})"
            )
    if bad:
        typer.echo(f"{bad} of {len(files)} file(s) are not valid dilemma files.", err=True)
        raise typer.Exit(2)


@samples_app.command("new")
def samples_new(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="The new file, for example my-sample.toml.")],
) -> None:
    """Write a commented template for a new sample dilemma (never over an existing file)."""
    from ethicsdesk.knowledge.sample_template import template_text
    from ethicsdesk.service.output_files import configured_database_files, write_output

    written = write_output(
        path,
        template_text().encode("utf-8"),
        force=False,
        protected=configured_database_files(),
        mode=0o644,  # a sample is shared with the agency's trainers
        exists=f"{path} already exists; 'samples new' never overwrites a file.",
    )
    typer.echo(f"Wrote {written}: fill in every FILL IN, then run 'ethicsdesk samples validate {written}'.")
