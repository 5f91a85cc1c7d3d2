"""The shipped ethics knowledge (frameworks, obligations, provisions) and its loader.

This is the only place that reads knowledge files; ethicsdesk.domain checks and freezes what is read
here. The TOML files live next to this module and travel inside the package (importlib.resources),
so an installed ethicsdesk finds them without a path. Imports stay light (stdlib and the domain) so
that a command's --help does not pay for them.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ethicsdesk.domain.frameworks import DEFAULT_FRAMEWORK, Framework, FrameworkError, parse_framework
from ethicsdesk.domain.obligations import Catalogue, CatalogueError, parse_catalogue

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

__all__ = [
    "Catalogue",
    "CatalogueError",
    "Framework",
    "FrameworkError",
    "available_frameworks",
    "load_catalogue",
    "load_framework",
]

# Knowledge files that are not frameworks.
_CATALOGUE_FILES = frozenset({"obligations.toml", "provisions.toml"})


@cache
def _folder() -> Traversable:
    """The package's folder: a plain path where it is on the file system, as installed; else (a zip)
    what importlib.resources finds. Its first use cost about 7 ms, before a record's first paint."""
    here = Path(__file__).parent
    if here.is_dir():
        return here
    from importlib import resources

    return resources.files(__name__)


def _shipped(name: str) -> str:
    return _folder().joinpath(name).read_text(encoding="utf-8")


def available_frameworks() -> list[str]:
    """The ids of the shipped frameworks, the default first."""
    return list(_shipped_ids())


@cache
def _shipped_ids() -> tuple[str, ...]:
    names = [
        entry.name[: -len(".toml")]
        for entry in _folder().iterdir()
        if entry.name.endswith(".toml") and entry.name not in _CATALOGUE_FILES
    ]
    return tuple(sorted(names, key=lambda n: (n != DEFAULT_FRAMEWORK, n)))


def _parse_toml(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # The decoder's message carries the line and column.
        raise FrameworkError(f"The framework file {origin} is not valid TOML: {exc}.") from exc


@cache
def _load_shipped(framework_id: str) -> Framework:
    origin = f"{framework_id}.toml (shipped)"
    framework = parse_framework(_parse_toml(_shipped(f"{framework_id}.toml"), origin), origin)
    if framework.id != framework_id:
        raise FrameworkError(f"The framework file {origin} cannot be used: its id is '{framework.id}'.")
    return framework


@cache
def _load_file(path: str, mtime_ns: int) -> Framework:
    # mtime_ns is part of the cache key only: an agency that edits its file gets the new version.
    del mtime_ns
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError(f"The framework file {path} cannot be read: {exc}.") from exc
    framework = parse_framework(_parse_toml(text, path), path)
    if framework.id in _shipped_ids():
        # A record stores only id and version; two different frameworks under one id would make
        # old records ambiguous.
        raise FrameworkError(
            f"The framework file {path} cannot be used: its id '{framework.id}' belongs to a shipped "
            "framework, so give it an id of its own."
        )
    return framework


def load_framework(id_or_path: str = DEFAULT_FRAMEWORK) -> Framework:
    """A shipped framework by id ("ccmc", "four-principles"), or an agency's framework file by path.

    Raises FrameworkError (one sentence naming the file and the problem) for an unknown id, a
    missing or unreadable file, invalid TOML, or a framework that fails the domain's checks.
    """
    if id_or_path in _shipped_ids():
        return _load_shipped(id_or_path)
    path = Path(id_or_path).expanduser()
    if not path.is_file():
        raise FrameworkError(
            f"There is no shipped framework '{id_or_path}' (shipped: {', '.join(available_frameworks())}) "
            "and no framework file at that path."
        )
    resolved = path.resolve()
    return _load_file(str(resolved), resolved.stat().st_mtime_ns)


@cache
def load_catalogue() -> Catalogue:
    """The shipped obligation catalogue with its provisions, checked against each other."""
    data: list[dict[str, Any]] = []
    for name in ("obligations.toml", "provisions.toml"):
        try:
            data.append(tomllib.loads(_shipped(name)))
        except tomllib.TOMLDecodeError as exc:
            raise CatalogueError(f"The shipped file {name} is not valid TOML: {exc}.") from exc
    return parse_catalogue(data[0], data[1])
