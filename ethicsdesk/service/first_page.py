"""The home screen's first page of records, read with the standard library's sqlite3.

The TUI's first paint should not wait for SQLAlchemy and SQLModel to import (about 600 ms, bench/):
while the service opens in the background, home shows this page, read-only, from a SQLite file,
through the list query every face uses (store/queries.py). It gives up silently on anything unusual
(no file yet, an encrypted or older file, a server database): the full service then fills the
screen as before.
"""

from __future__ import annotations

import sqlite3
from urllib.parse import quote

from ethicsdesk.store.dbapi import DriverRows, plain_sqlite_file
from ethicsdesk.store.queries import RecordSummary, list_records


def first_page(url: str, limit: int, user: str | None = None) -> list[RecordSummary] | None:
    """`limit` case records, each step where `user` left it (as the service's list gives home)."""
    path = plain_sqlite_file(url)
    if path is None:
        return None  # encrypted (or not SQLite): leave it to the service and its passphrase
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, timeout=0.2)
        try:
            return list_records(DriverRows(conn), kind="case", limit=limit, left_by=user)
        finally:
            conn.close()
    except sqlite3.Error:
        return None
