"""A command's arguments and options declared once, as data, without Typer: the Typer command is built
from a spec (cli/declared.py) and the direct start reads the same spec (`plain_words`), so the two
cannot drift apart.

Typer and its parameter checking cost a process about 80 ms, and the everyday commands (cli/everyday.py)
run as close to `ethicsdesk --help` as they can (bench/). So `plain_words` reads only the plain forms of
a command line, each word as Typer would read it, and gives up (None) on everything else: help, an
unknown or repeated option, a value Typer would refuse, `--`. Typer then reads the line and says what is
wrong, in its own words and with its own exit code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Argument:
    """A positional argument: a string, always required."""

    parameter: str  # the body's parameter it fills
    metavar: str  # its name in help and usage


@dataclass(frozen=True)
class Option:
    """`--name VALUE`, or with `kind` bool a flag `--name` (default False)."""

    name: str  # as typed, "--format"
    parameter: str  # the body's parameter it fills
    help: str
    kind: type = str  # str, Path, int or bool
    default: Any = None
    minimum: int | None = None  # for an int: the bounds Typer checks
    maximum: int | None = None
    metavar: str | None = None
    envvar: str | None = None  # read by Typer when the option is not typed (shown in help)

    def read_flag(self, eq: str) -> bool | None:
        """A flag as Typer reads it: True when typed bare; None (Typer refuses it) when given `=VALUE`."""
        return None if eq else True

    def read(self, value: str) -> Any:
        """The value as Typer would take it from VALUE, or None where Typer would refuse it (or might read it
        otherwise: a value that looks like an option)."""
        if value != "-" and (not value or value.startswith("-")):
            return None
        if self.kind is int:
            if not value.isascii() or not value.isdigit():
                return None
            number = int(value)
            low_ok = self.minimum is None or number >= self.minimum
            return number if low_ok and (self.maximum is None or number <= self.maximum) else None
        return Path(value) if self.kind is Path else value


@dataclass(frozen=True)
class CommandSpec:
    """A command: its name, the body it runs (called with keywords), and its parameters in help order."""

    name: str
    body: Callable[..., None]
    help: str
    arguments: tuple[Argument, ...] = ()
    options: tuple[Option, ...] = ()

    def plain_words(self, words: list[str]) -> dict[str, Any] | None:
        """The body's keywords for the command's WORDS (after its name), if they are a plain form; else None."""
        by_name = {o.name: o for o in self.options}
        given: dict[str, Any] = {}
        positional: list[str] = []
        rest = iter(words)
        for word in rest:
            if not word.startswith("-"):
                positional.append(word)
                continue
            name, eq, value = word.partition("=")
            option = by_name.get(name)
            if option is None:
                return None  # --help, -h, --, an unknown option: Typer's to answer
            parsed = option.read_flag(eq) if option.kind is bool else option.read(value if eq else next(rest, ""))
            if parsed is None or option.parameter in given:
                return None
            given[option.parameter] = parsed
        if len(positional) != len(self.arguments):
            return None
        given.update((a.parameter, word) for a, word in zip(self.arguments, positional, strict=True))
        return given


def flag(name: str, parameter: str, help: str) -> Option:
    """A flag: `--name` alone, False unless typed."""
    return Option(name, parameter, help, kind=bool, default=False)


# The options many commands share, declared here once (cli/context.py gives them to every command).
DB = Option(
    "--db",
    "db",
    "Database URL, or a SQLite file's path (default: the embedded SQLite file).",
    envvar="ETHICSDESK_DB",
)
JSON = flag("--json", "as_json", "Print JSON for other programs.")
