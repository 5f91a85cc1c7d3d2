"""Writing files so that a crash, a kill or a full disk never leaves half of one at its final name.

Every file ethicsdesk writes (reports, backups, the config, signing keys) is made whole under a
private temporary name in the same folder (mode 0600, fsynced), then given its final name in one
step: `os.replace` where replacing is allowed, `os.link` where it is not (a link, like O_EXCL, never
replaces a file), and the folder is synced so the new name survives a crash too. A process killed
before that step leaves only its temporary file, whose name carries the process id; the next write
to the same name removes the ones whose process is gone.

Nothing is written over what is not a regular file: as root, `open(path, "w")` or a rename onto
/dev/null replaces the device with a regular file, a FIFO blocks a writer, and a
folder or a socket is no report. `check_target` looks at the target with lstat before any byte is
written, and `publish` looks again just before the rename. The database and its -wal, -shm and
-journal are never replaced either, whatever name (a symlink, a hard link) reaches them.

On a filesystem without hard links (FAT, some network shares) `os.link` fails with EPERM, ENOTSUP
or EXDEV; the name is then claimed with an exclusive create (O_EXCL, which never replaces a file)
and the whole staged file renamed over that empty placeholder of our own.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from ethicsdesk.errors import BadInput

_TEMP_SUFFIX = ".tmp"
# SQLite writing a backup into a temporary file keeps a rollback journal beside it while it works
_TEMP_ENDINGS = (_TEMP_SUFFIX, *(_TEMP_SUFFIX + c for c in ("-journal", "-wal", "-shm")))


# link() fails with these where the filesystem has no hard links (FAT, exFAT, some network shares)
_NO_HARD_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.ENOSYS}
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
)


def database_files(path: Path | None) -> list[Path]:
    """A SQLite database file and its -wal, -shm and -journal (which need not exist yet): none of
    them is ever replaced, and a file of ours at one of those names would be read as SQLite's own."""
    if path is None:
        return []
    return [path.with_name(path.name + end) for end in ("", "-wal", "-shm", "-journal")]


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, for a sentence: a folder, a device, a FIFO, a socket."""
    return next((name for test, name in _KINDS if test(mode)), "an unusual file")


def _is_database_file(path: Path, protected: Sequence[Path]) -> Path | None:
    """The database file `path` names, by name (a -wal that does not exist yet included) or by
    identity (a symlink or a hard link to it); None when it names none of them."""
    real = os.path.realpath(path)
    for db_file in protected:
        if real == os.path.realpath(db_file):
            return db_file
        with contextlib.suppress(OSError):
            if os.path.samefile(real, db_file):
                return db_file
    return None


def _refuse_special(path: Path) -> None:
    """BadInput if `path` (or what a symlink at `path` points to) exists and is not a regular file."""
    try:
        mode = os.stat(path).st_mode  # follows a symlink: a link to /dev/null is a device here
    except FileNotFoundError:
        return  # nothing there, or a dangling symlink (which the caller treats as existing)
    except OSError as exc:
        raise BadInput(f"Cannot write {path}: {exc.strerror or exc}.") from None
    if not stat.S_ISREG(mode):
        raise BadInput(f"{path} is {file_kind(mode)}, not a regular file; choose a file to write.")


def check_target(path: Path, *, replace: bool, protected: Sequence[Path] = ()) -> None:
    """Refuse, before anything is written, a target that must never be replaced: the database or
    its -wal/-shm/-journal (`protected`), whatever is not a regular file, and, without `replace`,
    anything at all (FileExistsError, which each caller words). Other refusals are BadInput."""
    found = _is_database_file(path, protected)
    if found is not None:
        raise BadInput(f"{path} is the database ({found.name}); choose another file.")
    _refuse_special(path)
    if os.path.lexists(path) and not replace:
        raise FileExistsError(errno.EEXIST, "File exists", str(path))
    if not path.parent.is_dir():
        raise BadInput(f"The folder {path.parent} does not exist.")


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
    `path` raises FileExistsError and is left as it was; with it, only a regular file is replaced
    (looked at again here: the target may have changed since `check_target`)."""
    if replace:
        _refuse_special(path)
        os.replace(tmp, path)
    else:
        try:
            os.link(tmp, path)
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINKS:
                raise
            _publish_without_links(tmp, path)
        else:
            tmp.unlink()
    sync_folder(path.parent)


def _publish_without_links(tmp: Path, path: Path) -> None:
    """Where there are no hard links: claim `path` with an exclusive create (FileExistsError if
    anything is there), then rename the whole staged file over that empty placeholder of our own.
    A failed rename removes the placeholder, so nothing is left at `path`."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    os.close(fd)
    try:
        os.rename(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


def write_atomically(
    path: Path,
    data: bytes,
    *,
    replace: bool,
    mode: int = 0o600,
    protected: Sequence[Path] = (),
) -> None:
    """Write `data` to `path` whole or not at all, readable only by its owner unless `mode` says
    otherwise (a public key or the trusted-keys file is for others to read). Without `replace`, an existing
    file raises FileExistsError; the database (`protected`) and anything but a regular file are
    refused even with `replace`; other failures are one sentence (BadInput)."""
    check_target(path, replace=replace, protected=protected)
    try:
        with staged(path) as tmp:
            with tmp.open("wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            if mode != 0o600:
                os.chmod(tmp, mode)
            publish(tmp, path, replace=replace)
    except FileExistsError:
        raise
    except OSError as exc:
        raise BadInput(f"Cannot write {path}: {exc.strerror or exc}.") from None
