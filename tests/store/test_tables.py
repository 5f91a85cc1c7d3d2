"""Rows written in bulk (`insert_all`): through the driver's executemany when every row names every
column that has a default, else through SQLAlchemy's Core insert, which fills the defaults in; the
stored rows are the same either way, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ethicsdesk.service import Service
from ethicsdesk.store.tables import OptionRow, core_table, insert_all


def stored_options(service: Service, record_id: str) -> list[tuple[Any, ...]]:
    table = core_table(OptionRow)
    with service.db.reading() as s:
        found = s.execute(select(table).where(table.c.record_id == record_id).order_by(table.c.position))
        return [tuple(r) for r in found]


def test_rows_with_every_column_and_rows_leaving_a_default_out_are_stored_alike(service: Service) -> None:
    rid = service.editing.create_record("Bulk rows")
    whole = [{"record_id": rid, "key": "a", "position": 0, "label": "A", "description": ""}]
    short = [{"record_id": rid, "key": "b", "position": 1, "label": "B"}]  # description has a default
    with service.db.writing() as s:
        insert_all(s, OptionRow, whole)
        insert_all(s, OptionRow, short)
        insert_all(s, OptionRow, [])
    assert [(r[1], r[2], r[3], r[4]) for r in stored_options(service, rid)] == [
        ("a", 0, "A", ""),
        ("b", 1, "B", ""),
    ]
