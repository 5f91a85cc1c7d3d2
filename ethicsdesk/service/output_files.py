"""Every file a command writes where the user said (`export --out`, `debrief --out`, `cohort --out`,
`keys show --out`, `checkpoint --out`, `db backup`, `samples new`) goes through here, to the one
durable-file helper (store/durable_files.py): written whole or not at all, never over an existing
file without --force, and never, even with it, over the database or its -wal/-shm/-journal, a
device, a FIFO, a socket or a folder. The service's `write_file` passes its own database files.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ethicsdesk.errors import BadInput
from ethicsdesk.store.durable_files import check_target, database_files, write_atomically


def configured_database_files() -> list[Path]:
    """The files of the database this command would open (--db, ETHICSDESK_DB or the default), for
    a command that writes a file without opening it (`samples new`)."""
    from ethicsdesk.settings import database_url
    from ethicsdesk.store.engine import sqlite_file

    return database_files(sqlite_file(database_url()))


def write_output(
    path: Path,
    data: bytes,
    *,
    force: bool,
    protected: Sequence[Path] = (),
    mode: int = 0o600,
    exists: str | None = None,
) -> Path:
    """Write `data` to `path` (see the module); `exists` is the sentence for an existing file
    without `force` (by default: give --force). Returns `path`."""
    try:
        write_atomically(path, data, replace=force, protected=protected, mode=mode)
    except FileExistsError:
        raise BadInput(exists or f"{path} already exists; give --force to replace it.") from None
    return path


def check_output(path: Path, *, force: bool, protected: Sequence[Path] = (), exists: str | None = None) -> None:
    """The refusals of `write_output`, made before the work that produces the data (a passphrase
    asked, a checkpoint read); `write_output` makes them again when it writes."""
    try:
        check_target(path, replace=force, protected=protected)
    except FileExistsError:
        raise BadInput(exists or f"{path} already exists; give --force to replace it.") from None
