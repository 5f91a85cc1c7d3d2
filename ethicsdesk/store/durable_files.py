"""Writing files so that a crash, a kill or a full disk never leaves half of one at its final name.

Every file ethicsdesk writes (reports, backups, the config, signing keys) is made whole under a
private temporary name in the same folder (mode 0600, fsynced), then given its final name in one
step: `os.replace` where replacing is allowed, `os.link` where it is not (a link, like O_EXCL, never
replaces a file), and the folder is synced so the new name survives a crash too. A process killed
before that step leaves only its temporary file, whose name carries the process id; the next write
to the same name removes the ones whose process is gone.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from ethicsdesk.errors import BadInput

_TEMP_SUFFIX = ".tmp"
# SQLite writing a backup into a temporary file keeps a rollback journal beside it while it works
_TEMP_ENDINGS = (_TEMP_SUFFIX, *(_TEMP_SUFFIX + c for c in ("-journal", "-wal", "-shm")))


def sync_folder(folder: Path) -> None:
    """fsync the folder so a new name in it survives a crash (best effort: some systems cannot open
    a folder for this, and then the name is as durable as the system makes it)."""
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def sweep_stale(path: Path) -> None:
    """Remove the temporary files (and a temporary database's journal) that killed writers of `path`
    left behind: only our own, and only those whose process is gone."""
    prefix = _temp_prefix(path)
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    for entry in entries:
        if not (entry.name.startswith(prefix) and entry.name.endswith(_TEMP_ENDINGS)):
            continue
        pid = entry.name[len(prefix) :].split(".", 1)[0]
        try:
            mine = entry.stat(follow_symlinks=False).st_uid == os.getuid()
        except OSError:
            continue
        if pid.isdigit() and mine and not _process_alive(int(pid)):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


@contextlib.contextmanager
def staged(path: Path) -> Iterator[Path]:
    """An empty private (0600) file beside `path` to build the new content in; it is removed on the
    way out unless `publish` gave it the final name."""
    folder = path.parent
    if not folder.is_dir():
        raise BadInput(f"The folder {folder} does not exist.")
    sweep_stale(path)
    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=f"{_temp_prefix(path)}{os.getpid()}.", suffix=_TEMP_SUFFIX)
    except OSError as exc:
        raise BadInput(f"Cannot write in {folder}: {exc.strerror or exc}.") from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def publish(tmp: Path, path: Path, *, replace: bool) -> None:
    """Give the staged file its final name in one step. Without `replace`, an existing file at
    `path` raises FileExistsError and is left as it was."""
    if replace:
        os.replace(tmp, path)
    else:
        os.link(tmp, path)
        tmp.unlink()
    sync_folder(path.parent)


def write_atomically(
    path: Path,
    data: bytes,
    *,
    replace: bool,
    before_publish: Callable[[], object] | None = None,
    mode: int = 0o600,
) -> None:
    """Write `data` to `path` whole or not at all, readable only by its owner unless `mode` says
    otherwise (a public key or the trusted-keys file is for others to read). `before_publish` runs
    once the data is on disk under the temporary name, just before the rename (an export logs itself
    there, so its log never counts fewer files than were written). Without `replace`, an existing
    file raises FileExistsError; other failures are one sentence (BadInput)."""
    try:
        with staged(path) as tmp:
            with tmp.open("wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            if mode != 0o600:
                os.chmod(tmp, mode)
            if before_publish is not None:
                before_publish()
            publish(tmp, path, replace=replace)
    except FileExistsError:
        raise
    except OSError as exc:
        raise BadInput(f"Cannot write {path}: {exc.strerror or exc}.") from None
