"""The frameworks a record is weighed under: the shipped ones by id, and an agency's own.

An agency's framework is given once, as the path of its .toml file, when a record is created with
it. The record stores only the framework's id and version (as for a shipped one), so the file is kept
under its id in the agency frameworks folder beside the config (`kept_frameworks_dir`): every later
read of the record finds it again by that id, even after the original file is moved or deleted. The
folder is this machine's; on a shared database each desk that opens such a record needs the same file
(giving it once to `create_record`, or copying it into the folder, is enough).

A framework that cannot be used is one sentence (BadInput, exit 2), never a bare ValueError.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ethicsdesk.errors import BadInput, NotFound
from ethicsdesk.settings import config_dir

if TYPE_CHECKING:
    from ethicsdesk.domain.frameworks import Framework
    from ethicsdesk.domain.obligations import Catalogue


def kept_frameworks_dir() -> Path:
    return config_dir() / "frameworks"


def _kept_file(framework_id: str) -> Path | None:
    from ethicsdesk.domain.frameworks import ID_PATTERN

    if not ID_PATTERN.fullmatch(framework_id):
        return None  # a path, not an id: never looked up in the folder
    path = kept_frameworks_dir() / f"{framework_id}.toml"
    return path if path.is_file() else None


def find_framework(id_or_path: str) -> Framework:
    """A shipped framework by id, an agency's kept framework by id, or a framework file by path."""
    from ethicsdesk.knowledge import FrameworkError, available_frameworks, load_framework

    try:
        if id_or_path in available_frameworks():
            return load_framework(id_or_path)
        kept = _kept_file(id_or_path)
        return load_framework(str(kept) if kept is not None else id_or_path)
    except FrameworkError as exc:
        raise BadInput(str(exc)) from None


def framework_for_record(framework_id: str) -> Framework:
    """The framework a stored record names; a record whose agency framework this machine does not
    keep is not found (its events are whole: it opens once the file is given again)."""
    from ethicsdesk.knowledge import available_frameworks

    if framework_id not in available_frameworks() and _kept_file(framework_id) is None:
        raise NotFound(
            f"This record was weighed under the framework '{framework_id}', which is neither shipped nor kept "
            f"on this machine; put its file in {kept_frameworks_dir()} as {framework_id}.toml."
        )
    return find_framework(framework_id)


def keep_agency_file(id_or_path: str, framework: Framework) -> None:
    """A new record is weighed under `framework`, found from `id_or_path`: a file's framework is kept
    under its id, so the record finds it again; a shipped id or an already kept one needs nothing."""
    from ethicsdesk.knowledge import available_frameworks

    if id_or_path in available_frameworks() or _kept_file(id_or_path) is not None:
        return
    _keep(Path(id_or_path).expanduser(), framework)


def _keep(source: Path, framework: Framework) -> None:
    """Copy the file into the kept folder under the framework's id. The same id with other content
    and the same version is refused: records weighed under that version would change meaning."""
    from ethicsdesk.store import durable_files

    data = source.read_bytes()
    target = kept_frameworks_dir() / f"{framework.id}.toml"
    if target.is_file():
        if target.read_bytes() == data:
            return
        if find_framework(str(target)).version == framework.version:
            raise BadInput(
                f"A different framework '{framework.id}' version {framework.version} is already kept in "
                f"{target}; raise the version of {source} to change it."
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    durable_files.write_atomically(target, data, replace=True)


def shipped_catalogue() -> Catalogue:
    from ethicsdesk.knowledge import CatalogueError, load_catalogue

    try:
        return load_catalogue()
    except CatalogueError as exc:
        raise BadInput(str(exc)) from None
