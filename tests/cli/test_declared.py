"""A Typer command built from a declaration: Typer reads its arguments and options from the spec and
calls the body with their values as keywords."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from typer.testing import CliRunner

from ethicsdesk.cli.command_spec import JSON, Argument, CommandSpec, Option
from ethicsdesk.cli.declared import typer_command


def _app_running(spec: CommandSpec) -> typer.Typer:
    app = typer.Typer(add_completion=False, rich_markup_mode=None)
    app.command(spec.name, help=spec.help)(typer_command(spec, {}))
    app.command("other")(lambda: None)  # two commands: Typer then reads the first word as the command
    return app


def test_typer_calls_the_body_with_the_values_as_keywords() -> None:
    calls: list[dict[str, Any]] = []
    spec = CommandSpec(
        "try",
        lambda **given: calls.append(given),
        "A command to read.",
        (Argument("record_id", "ID"),),
        (
            Option("--out", "out", "A file.", kind=Path),
            Option("--count", "count", "How many.", kind=int, default=5),
            JSON,
        ),
    )
    app = _app_running(spec)
    result = CliRunner().invoke(app, ["try", "r1", "--out", "x.md", "--json"])
    assert result.exit_code == 0, result.output
    assert calls == [{"record_id": "r1", "out": Path("x.md"), "count": 5, "as_json": True}]


def test_the_help_shows_the_declared_names_metavars_and_bounds() -> None:
    spec = CommandSpec(
        "try",
        lambda **_given: None,
        "A command to read.",
        (Argument("record_id", "ID"),),
        (
            Option("--since", "since", "From this date.", metavar="DATE"),
            Option("--count", "count", "How many.", kind=int, default=5, minimum=1, maximum=9),
        ),
    )
    result = CliRunner().invoke(_app_running(spec), ["try", "--help"])
    assert result.exit_code == 0
    assert "Usage: root try [OPTIONS] {ID}" in result.output
    assert "A command to read." in result.output
    assert "--since DATE" in result.output and "From this date." in result.output
    assert "[default: 5; 1<=x<=9]" in result.output
    refused = CliRunner().invoke(_app_running(spec), ["try", "r1", "--count", "10"])
    assert refused.exit_code == 2
