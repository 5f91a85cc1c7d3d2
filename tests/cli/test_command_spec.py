"""A command's declaration read as a command line: the plain forms give the body's keywords, and
everything Typer would refuse or read otherwise gives None (Typer then answers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ethicsdesk.cli.command_spec import JSON, Argument, CommandSpec, Option


def _body(**_given: Any) -> None:
    """Never run here: only the reading of the words is tested."""


SPEC = CommandSpec(
    "try",
    _body,
    "A command to read.",
    (Argument("record_id", "ID"),),
    (
        Option("--out", "out", "A file.", kind=Path),
        Option("--count", "count", "How many.", kind=int, default=5, minimum=1, maximum=10),
        Option("--name", "name", "A name."),
        JSON,
    ),
)


@pytest.mark.parametrize(
    ("words", "given"),
    [
        (["r1"], {"record_id": "r1"}),
        (["--json", "r1"], {"record_id": "r1", "as_json": True}),
        (["r1", "--out", "-"], {"record_id": "r1", "out": Path("-")}),
        (["r1", "--out=a/b.md", "--count", "10"], {"record_id": "r1", "out": Path("a/b.md"), "count": 10}),
        (["r1", "--count=1", "--name", "x y"], {"record_id": "r1", "count": 1, "name": "x y"}),
    ],
)
def test_a_plain_form_gives_the_bodys_keywords(words: list[str], given: dict[str, Any]) -> None:
    assert SPEC.plain_words(words) == given


@pytest.mark.parametrize(
    "words",
    [
        [],  # the argument missing
        ["r1", "r2"],
        ["r1", "--count", "0"],  # below the bound
        ["r1", "--count", "11"],
        ["r1", "--count", "five"],
        ["r1", "--count", "٣"],  # a digit, but not one Typer reads
        ["r1", "--name"],  # no value
        ["r1", "--name="],
        ["r1", "--name", "--json"],  # a value that looks like an option
        ["r1", "--name", "a", "--name", "b"],
        ["r1", "--json", "--json"],
        ["r1", "--json=1"],
        ["r1", "--help"],
        ["r1", "-h"],
        ["--", "r1"],
        ["r1", "--colour"],
    ],
    ids=lambda w: " ".join(w) or "nothing",
)
def test_any_other_form_is_left_to_typer(words: list[str]) -> None:
    assert SPEC.plain_words(words) is None
