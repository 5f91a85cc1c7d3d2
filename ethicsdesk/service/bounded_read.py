"""Reading a file a person names (a checkpoint, a trusted-keys file) without trusting its size: a
wrong path, a folder, an unreadable file or one far too large is one sentence, never a traceback or
a read of gigabytes into memory."""

from __future__ import annotations

from pathlib import Path

from ethicsdesk.errors import BadInput


def read_bounded(path: Path, limit: int, *, not_a_file: str, too_large: str) -> bytes:
    """The bytes of `path` (after `~` and links), at most `limit` of them. `not_a_file` and
    `too_large` are the caller's sentences for those two refusals (BadInput)."""
    resolved = path.expanduser().resolve()
    if not resolved.is_file():
        raise BadInput(not_a_file)
    try:
        with resolved.open("rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise BadInput(f"{path} cannot be read: {exc.strerror}.") from None
    if len(data) > limit:
        raise BadInput(too_large)
    return data
