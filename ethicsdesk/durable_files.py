"""Making a file's new name durable: after a rename or a link, the folder itself is synced."""

from __future__ import annotations

import os
from pathlib import Path


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
