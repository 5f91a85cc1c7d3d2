"""A dilemma file's bytes: from a regular file only, and never more than the limit."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ethicsdesk.errors import BadInput

MAX_FILE_BYTES = 1024 * 1024


def read_regular_file(path: Path, name: str) -> bytes:
    """At most MAX_FILE_BYTES + 1 bytes of a regular file. A symlink to /dev/zero was read until memory
    ran out and a FIFO blocked forever: the resolved path must be a regular file, it is opened without
    blocking (a FIFO swapped in after the check opens at once and is refused), and never read past the
    limit."""
    try:
        mode = os.stat(path).st_mode  # follows links as the kernel does (Path.resolve: 5% of an import)
        if stat.S_ISDIR(mode):
            raise BadInput(f"{name}: is a directory, not a dilemma file.")
        if not stat.S_ISREG(mode):
            raise BadInput(f"{name}: is not a regular file (a device, a pipe or a socket); name a dilemma file.")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise BadInput(f"{name}: no such file.") from None
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise BadInput(f"{name[:80]}…: the file name is too long.") from None
        if exc.errno == errno.ELOOP:
            raise BadInput(f"{name}: is a loop of symbolic links, not a dilemma file.") from None
        raise BadInput(f"{name}: cannot be read ({exc.strerror}).") from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise BadInput(f"{name}: is not a regular file (a device, a pipe or a socket); name a dilemma file.")
        try:
            # read to the size it has (a read of the limit made a buffer of 1 MiB a file), on only if it
            # grew; on the descriptor itself (a buffered file object cost a third of the reading)
            return _read_upto(fd, min(opened.st_size, MAX_FILE_BYTES) + 1, opened.st_size)
        except OSError as exc:
            raise BadInput(f"{name}: cannot be read ({exc.strerror}).") from None
    finally:
        os.close(fd)


def _read_upto(fd: int, size: int, known_size: int) -> bytes:
    """At most `size` bytes, then (a file that grew past `known_size`) on to MAX_FILE_BYTES + 1, as a
    buffered read of each amount gives them: os.read may return fewer bytes than asked before the end."""
    raw = _read_all(fd, size)
    return raw + _read_all(fd, MAX_FILE_BYTES + 1 - len(raw)) if len(raw) > known_size else raw


def _read_all(fd: int, size: int) -> bytes:
    parts = []
    while size > 0:
        part = os.read(fd, size)
        if not part:
            break
        parts.append(part)
        size -= len(part)
    return parts[0] if len(parts) == 1 else b"".join(parts)
