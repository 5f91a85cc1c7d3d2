"""Everything stored of a batch of records, read in a fixed number of statements whatever the batch's
size: their events, their `records` rows, the rows of each child table and the signing keys their
signatures name. `verify` reads a batch at a time; a statement per table per record cost it 33
statements a record."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Boolean

from ethicsdesk.store import eventlog
from ethicsdesk.store.current_state import ReadRows, record_columns, rows_reader
from ethicsdesk.store.dbapi import Rows, rows_of
from ethicsdesk.store.tables import CHILD_TABLES, RecordRow, SignatureRow, SigningKeyRow

# Ids bound in one IN list: well under SQLite's cap on bound parameters (999 before 3.32).
BATCH = 500


@dataclass
class StoredRecords:
    events: dict[str, list[eventlog.EventEntry]] = field(default_factory=dict)
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    # table name -> its column names; table name -> record id -> rows, each in those columns' order
    columns: dict[str, list[str]] = field(default_factory=dict)
    children: dict[str, dict[str, list[tuple[Any, ...]]]] = field(default_factory=dict)
    # fingerprint -> (whose it is, the public key), for the keys this batch's signatures name
    keys: dict[str, tuple[str, str]] = field(default_factory=dict)

    def projection_of(self, record_id: str) -> tuple[tuple[Any, ...], ReadRows] | None:
        """The record's `records` row and a reader of its child rows, for `state_from_rows`."""
        row = self.records.get(record_id)
        if row is None:
            return None
        stored = {name: rows.get(record_id, []) for name, rows in self.children.items()}
        return record_columns(row), rows_reader(self.columns, stored)

    def child_rows(self, record_id: str, table: Any) -> list[tuple[Any, ...]]:
        return self.children[table.name].get(record_id, [])


def _select(rows: Rows, table: Any, key: str, ids: list[str]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Every column of `table`'s rows whose `key` is one of `ids`, through the driver (a fetchall: the
    ORM's result rows cost several times more a row). Booleans come as SQLAlchemy gives them, True and
    False, not SQLite's 1 and 0, so rows compare with those the projection makes."""
    names = [c.name for c in table.columns]
    flags = [i for i, c in enumerate(table.columns) if isinstance(c.type, Boolean)]
    quoted = ", ".join(f'"{n}"' for n in names)  # "user" and "key" are words of SQL
    marks = ", ".join("?" for _ in ids)
    sql = f'SELECT {quoted} FROM {table.name} WHERE "{key}" IN ({marks})'
    found = rows.all(sql, ids)
    if flags and found:
        found = [_as_booleans(r, flags) for r in found]
    return names, found


def _as_booleans(row: tuple[Any, ...], at: list[int]) -> tuple[Any, ...]:
    values = list(row)
    for i in at:
        if values[i] is not None:
            values[i] = bool(values[i])
    return tuple(values)


def _by_record(found: list[tuple[Any, ...]], at: int) -> dict[str, list[tuple[Any, ...]]]:
    """Rows by the record they belong to. They come in runs of one record (its primary key's order),
    taken a run at a time; rows of a record in several runs are put together all the same."""
    by_record: dict[str, list[tuple[Any, ...]]] = {}
    for record_id, run in groupby(found, itemgetter(at)):
        if record_id in by_record:
            by_record[record_id].extend(run)
        else:
            by_record[record_id] = list(run)
    return by_record


def read(session: Any, ids: list[str]) -> StoredRecords:
    """The stored rows of records `ids` (at most `BATCH` of them)."""
    found = StoredRecords()
    rows = rows_of(session)
    marks = ", ".join("?" for _ in ids)
    columns = ", ".join(eventlog.EventEntry._fields)
    sql = f"SELECT {columns} FROM events WHERE record_id IN ({marks}) ORDER BY record_id, seq"
    for r in rows.all(sql, ids):
        entry = eventlog.EventEntry(*r)
        found.events.setdefault(entry.record_id, []).append(entry)
    names, records = _select(rows, cast(Any, RecordRow).__table__, "id", ids)
    found.records = {r[0]: dict(zip(names, r, strict=True)) for r in records}
    for table in CHILD_TABLES:
        t = cast(Any, table).__table__
        names, child_rows = _select(rows, t, "record_id", ids)
        found.columns[t.name], found.children[t.name] = names, _by_record(child_rows, names.index("record_id"))
    signatures = cast(Any, SignatureRow).__table__
    at = found.columns[signatures.name].index("fingerprint")
    fingerprints = sorted({r[at] for of_one in found.children[signatures.name].values() for r in of_one})
    if fingerprints:
        _, keys = _select(rows, cast(Any, SigningKeyRow).__table__, "fingerprint", fingerprints)
        names = [c.name for c in cast(Any, SigningKeyRow).__table__.columns]
        for k in keys:
            key = dict(zip(names, k, strict=True))
            found.keys[key["fingerprint"]] = (key["user"], key["public_key"])
    return found
