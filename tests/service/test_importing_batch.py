"""An import of many files stores, to the byte, what importing each file on its own stores: the same
events (payloads, hashes), the same projection rows and, on SQLite, the same search index entries
under the same rowids. And it sends the database a fixed number of statements, whatever the batch's
size."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ethicsdesk.service import Service
from ethicsdesk.service.records import Clock
from ethicsdesk.store.tables import CHILD_TABLES, EventRow, RecordRow, core_table
from tests.conftest import CASE_MANAGER, DILEMMAS, PG_SERVER
from tests.statements import counted_statements

# Samples with a reference (weighing, decision, justification, sources, plan, floors), files without
# one, and one file twice: every table an import writes gets rows.
FILES = [
    DILEMMAS / "discharge-against-advice.toml",
    DILEMMAS / "gift-from-family.toml",
    DILEMMAS / "suspected-elder-abuse.toml",
    DILEMMAS / "gift-from-family.toml",
    DILEMMAS / "misdirected-fax.toml",
]
PLAIN = """format = "ethicsdesk.dilemma/1"
id = "plain-{n}"
title = "A plain dilemma, number {n}"
summary = "Whether to tell the family."
facts = "The client asked that it stay between them."
tags = ["privacy", "family"]

[[stakeholders]]
name = "Client"

[[options]]
key = "keep"
label = "Keep it confidential"

[[options]]
key = "tell"
label = "Tell the family"
description = "Without consent."
"""


class CountingClock(Clock):
    """Ids counted, and the time a second past the last id's number: two services on this clock make
    the same records, however often each reads the time (an import reads the day once a call)."""

    def __init__(self) -> None:
        self._made = 0

    def now(self) -> str:
        return f"2026-12-07T10:{self._made // 60 % 60:02d}:{self._made % 60:02d}.000000Z"

    def new_id(self) -> str:
        self._made += 1
        return f"rec{self._made:07d}"


@pytest.fixture(params=["sqlite", "postgresql"])
def two_urls(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two new databases on the same engine."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'batch.db'}", f"sqlite:///{tmp_path / 'single.db'}"
        return
    copies = request.getfixturevalue("pg_copies")
    names = [copies.take(), copies.take()]
    yield f"{PG_SERVER}/{names[0]}", f"{PG_SERVER}/{names[1]}"
    for name in names:
        copies.drop(name)


def stored(service: Service) -> dict[str, list[tuple[Any, ...]]]:
    """Every row an import writes, table by table, in a fixed order."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    with service.db.engine.connect() as conn:
        for model in (RecordRow, EventRow, *CHILD_TABLES):
            t = core_table(model)
            order = ", ".join(str(n) for n in range(1, len(t.columns) + 1))
            found[t.name] = [tuple(r) for r in conn.exec_driver_sql(f"SELECT * FROM {t.name} ORDER BY {order}")]
        if service.db.is_sqlite:
            found["records.rowid"] = [tuple(r) for r in conn.exec_driver_sql("SELECT rowid, id FROM records")]
            search = "SELECT rowid, kind, body FROM record_search ORDER BY rowid"
            found["record_search"] = [tuple(r) for r in conn.exec_driver_sql(search)]
    return found


def test_a_batch_stores_what_importing_each_file_alone_stores(two_urls: tuple[str, str], tmp_path: Path) -> None:
    plain = []
    for n in range(3):
        plain.append(tmp_path / f"plain-{n}.toml")
        plain[-1].write_text(PLAIN.format(n=n))
    files = [*FILES, *plain]
    batch = Service.open(two_urls[0], CASE_MANAGER, CountingClock())
    single = Service.open(two_urls[1], CASE_MANAGER, CountingClock())
    try:
        one_by_one = [single.importing.import_files([path])[0] for path in files]
        assert batch.importing.import_files(files) == one_by_one
        in_batch, alone = stored(batch), stored(single)
        assert sum(len(rows) for rows in in_batch.values()) > 100
        assert in_batch == alone
        if batch.db.is_sqlite:  # each record's search entry under its own rowid
            assert [r[0] for r in in_batch["records.rowid"]] == [r[0] for r in in_batch["record_search"]]
        assert batch.integrity.verify() == (len(files), [])
    finally:
        batch.close()
        single.close()


def _statements_to_import(service: Service, files: list[Path]) -> int:
    with counted_statements(service.db.engine) as sent:
        service.importing.import_files(files)
    return len(sent)


def test_an_import_sends_as_many_statements_for_fifty_files_as_for_two(service: Service) -> None:
    """Rows go in with one executemany per table for the whole batch, and the new records' search
    entries find their rowids without a look-up per record."""
    # Both counted after a first import: a connection's first write on SQLite sets its busy timeout
    # off, once (store/dbapi.py), and the counts compare the imports, not the connection's history.
    service.importing.import_files(FILES[:1])
    few = _statements_to_import(service, FILES[:2])
    many = _statements_to_import(service, FILES * 10)
    assert many == few
