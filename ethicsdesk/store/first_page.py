"""The home screen's first page of records, read with the standard library's sqlite3.

The TUI's first paint should not wait for SQLAlchemy and SQLModel to import (about 600 ms, bench/):
while the service opens in the background, home shows this page, read-only, from a SQLite file.
It reads one table through one query and gives up silently on anything unusual (no file yet, an
encrypted or older file, a server database): the full service then fills the screen as before.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

QUERY = (
    "SELECT id, title, case_code, status, step, updated_at FROM records WHERE kind = 'case' "
    "ORDER BY updated_at DESC, id LIMIT ?"
)


@dataclass(frozen=True)
class FirstPageRow:
    id: str
    title: str
    case_code: str
    status: str
    step: str
    updated_at: str


def sqlite_file(url: str) -> Path | None:
    """The file of a plain `sqlite:///path` URL; None for anything else."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = Path(url[len(prefix):]).expanduser()
    return path if path.is_file() else None


def first_page(url: str, limit: int) -> list[FirstPageRow] | None:
    path = sqlite_file(url)
    if path is None:
        return None
    try:
        with path.open("rb") as f:
            if f.read(16) != b"SQLite format 3\x00":
                return None  # encrypted (or not SQLite): leave it to the service and its passphrase
    except OSError:
        return None
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=0.2)
        try:
            rows = conn.execute(QUERY, (limit,)).fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return [FirstPageRow(*map(str, row)) for row in rows]
