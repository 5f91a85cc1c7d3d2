"""Reading a file a person names (a checkpoint, a trusted-keys file) without trusting its size: a
wrong path, a folder, an unreadable file or one far too large is one sentence, never a traceback or
a read of gigabytes into memory.

What is not a regular file is named as what it is (/dev/zero is a device, a pipe a FIFO) rather than
"no such file", and is never read: /dev/zero never ends and a FIFO blocks until someone writes. The
type is looked at before the file is opened, and again on the opened file (opened without blocking,
so a FIFO put there in between cannot hold the command)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ethicsdesk.errors import BadInput
from ethicsdesk.store.durable_files import file_kind


def _refuse_unless_regular(path: Path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        raise BadInput(f"{path} is {file_kind(mode)}, not a regular file.")


def read_bounded(path: Path, limit: int, *, not_a_file: str, too_large: str) -> bytes:
    """The bytes of `path` (after `~` and links), at most `limit` of them. `not_a_file` (there is no
    such file) and `too_large` are the caller's sentences for those two refusals (BadInput)."""
    target = path.expanduser()
    try:
        _refuse_unless_regular(path, os.stat(target).st_mode)
        fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except (FileNotFoundError, NotADirectoryError):
        raise BadInput(not_a_file) from None
    except OSError as exc:
        raise BadInput(f"{path} cannot be read: {exc.strerror or exc}.") from None
    try:
        _refuse_unless_regular(path, os.fstat(fd).st_mode)
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise BadInput(f"{path} cannot be read: {exc.strerror or exc}.") from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise BadInput(too_large)
    return data
