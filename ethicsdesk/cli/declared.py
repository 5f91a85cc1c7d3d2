"""Typer parameters and commands built from their declarations (cli/command_spec.py), so that the
direct start and Typer read one declaration of each everyday command; cli/context.py registers them."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Annotated, Any

import typer

from ethicsdesk.cli.command_spec import Argument, CommandSpec, Option


def typer_option(option: Option, callback: Callable[..., Any] | None = None) -> Any:
    """The typer.Option an Option declares (the value after Annotated's type)."""
    return typer.Option(
        option.name,
        help=option.help,
        metavar=option.metavar,
        min=option.minimum,
        max=option.maximum,
        envvar=option.envvar,
        callback=callback,
    )


def _argument(argument: Argument) -> inspect.Parameter:
    annotation: Any = Annotated[str, typer.Argument(metavar=argument.metavar)]
    return inspect.Parameter(argument.parameter, inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=annotation)


def _option(option: Option, shared: Mapping[str, Any]) -> inspect.Parameter:
    annotation: Any = shared.get(option.name)
    if annotation is None:
        optional = option.default is None and option.kind is not bool
        annotation = Annotated[option.kind | None if optional else option.kind, typer_option(option)]
    return inspect.Parameter(
        option.parameter, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=option.default, annotation=annotation
    )


def typer_command(spec: CommandSpec, shared: Mapping[str, Any]) -> Callable[..., None]:
    """A function Typer reads as the command SPEC declares: its parameters (Typer reads a function's
    signature) are the spec's arguments, then its options, in help order; calling it runs the body.
    SHARED gives the Annotated type of an option many commands share (--db with its callback)."""

    def command(**given: Any) -> None:
        spec.body(**given)

    parameters = [*map(_argument, spec.arguments), *(_option(o, shared) for o in spec.options)]
    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    command.__name__ = command.__qualname__ = spec.body.__name__
    command.__doc__ = spec.help
    return command
