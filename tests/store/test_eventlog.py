"""The event log: appended in order, chained by hash, stored as the exact bytes the hash covers, and
refused any UPDATE or DELETE by the database itself."""

from __future__ import annotations

import json
import sqlite3
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from ethicsdesk.domain.chain import GENESIS, chain_breaks
from ethicsdesk.domain.record import Event
from ethicsdesk.service import Service
from ethicsdesk.store import eventlog

# Tests of the SQLite file itself (raw sqlite3, pragmas, triggers, VACUUM INTO): not for PostgreSQL.
pytestmark = pytest.mark.sqlite_only


def raw(tmp_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(tmp_path / "test.db", isolation_level=None)


@pytest.fixture
def rid(service: Service) -> str:
    record_id = service.editing.create_record("Gift", case_code="C-1")
    service.editing.set_text(record_id, "facts", "Zoë brought a scarf.")
    service.editing.add_option(record_id, "Accept the scarf")
    return record_id


def test_append_chains_each_event_to_the_head(service: Service, rid: str) -> None:
    with service.db.writing() as s:
        after = eventlog.head(s, rid)
        assert after[0] == 3
        at = "2026-01-01T00:00:00.000000Z"
        event = Event(rid, after[0] + 1, "field.set", "Sam", at, {"value": "é", "name": "unknowns"})
        new_head = eventlog.append(s, event, "supervisor", after[1])
        s.flush()
        assert eventlog.head(s, rid) == (4, new_head)
        s.rollback()
    with service.db.reading() as s:
        rows = eventlog.read(s, rid)
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in pairwise(rows))
    assert chain_breaks(eventlog.to_link(r) for r in rows) == []


def test_the_head_of_a_record_without_events_is_the_genesis(service: Service) -> None:
    with service.db.reading() as s:
        assert eventlog.head(s, "nothing") == (0, GENESIS)
        assert eventlog.read(s, "nothing") == []


def test_read_up_to_an_event(service: Service, rid: str) -> None:
    with service.db.reading() as s:
        assert [r.seq for r in eventlog.read(s, rid, upto=2)] == [1, 2]
        assert [r.seq for r in eventlog.read(s, rid, upto=99)] == [1, 2, 3]


def test_the_payload_is_stored_as_canonical_json(service: Service, rid: str, tmp_path: Path) -> None:
    conn = raw(tmp_path)
    payload = conn.execute("SELECT payload FROM events WHERE record_id = ? AND seq = 2", (rid,)).fetchone()[0]
    conn.close()
    assert payload == '{"name":"facts","value":"Zoë brought a scarf."}'
    with service.db.reading() as s:
        row = eventlog.read(s, rid)[1]
    assert eventlog.to_event(row).payload == json.loads(payload)
    link = eventlog.to_link(row)
    assert (link.payload_json, link.role, link.actor) == (payload, "case manager", "Robin Ashdown")


def test_a_fold_reads_the_same_events_as_the_whole_rows_give(service: Service, rid: str) -> None:
    with service.db.reading() as s:
        whole = [eventlog.to_event(r) for r in eventlog.read(s, rid)]
        folded = eventlog.to_events(rid, eventlog.each_for_fold(s, rid))
    assert folded == whole and len(folded) == 3


@pytest.mark.parametrize("payload", [' {"name": "facts"} ', '{"a": 1}\n'])
def test_a_payload_with_space_around_it_parses_as_json_loads_parses_it(payload: str) -> None:
    (event,) = eventlog.to_events("r", [(1, "field.set", "Sam", "case manager", "2026", payload)])
    assert event.payload == json.loads(payload)


@pytest.mark.parametrize("payload", ['{"a": 1} {"b": 2}', '{"a": 1', "", "[1] x"])
def test_a_payload_that_is_not_one_json_value_is_refused_as_json_loads_refuses_it(payload: str) -> None:
    with pytest.raises(ValueError):
        eventlog.to_events("r", [(1, "field.set", "Sam", "case manager", "2026", payload)])


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE events SET payload = '{}' WHERE seq = 2",
        "UPDATE events SET hash = prev_hash",
        "DELETE FROM events WHERE seq = 3",
        "DELETE FROM events",
    ],
)
def test_the_database_refuses_to_change_or_remove_an_event(
    service: Service, rid: str, tmp_path: Path, statement: str
) -> None:
    conn = raw(tmp_path)
    before = conn.execute("SELECT * FROM events ORDER BY id").fetchall()
    with pytest.raises(sqlite3.IntegrityError, match="the event log is append-only"):
        conn.execute(statement)
    assert conn.execute("SELECT * FROM events ORDER BY id").fetchall() == before
    conn.close()


def test_the_orm_cannot_change_an_event_either(service: Service, rid: str) -> None:
    from ethicsdesk.store.tables import EventRow

    with pytest.raises(IntegrityError, match="append-only"), service.db.writing() as s:
        row = s.scalars(select(EventRow).where(EventRow.record_id == rid).order_by(EventRow.seq)).first()  # type: ignore[arg-type]
        assert row is not None
        row.actor = "Mallory"
        s.flush()
    assert service.integrity.verify(rid) == (1, [])


def test_two_events_cannot_share_a_place_in_a_chain(service: Service, rid: str) -> None:
    with pytest.raises(IntegrityError), service.db.writing() as s:
        eventlog.append(s, Event(rid, 3, "field.set", "x", "t", {"name": "facts", "value": "x"}), "", "f" * 64)
        s.flush()
    assert service.summary(rid).events == 3


def test_an_event_needs_its_record(service: Service) -> None:
    """foreign_keys=ON: an event of no record is refused."""
    with pytest.raises(IntegrityError, match="FOREIGN KEY"), service.db.writing() as s:
        eventlog.append(s, Event("ghost", 1, "field.set", "x", "t", {}), "", GENESIS)
        s.flush()


def test_a_record_with_events_cannot_be_deleted(service: Service, rid: str, tmp_path: Path) -> None:
    conn = raw(tmp_path)
    conn.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        conn.execute("DELETE FROM records WHERE id = ?", (rid,))
    conn.close()
    assert service.summary(rid).title == "Gift"


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE cells SET score = 3",
        "UPDATE cells SET score = -3",
        "UPDATE weights SET weight = 4",
        "UPDATE records SET kind = 'secret'",
    ],
)
def test_check_constraints_back_the_ranges(service: Service, tmp_path: Path, statement: str) -> None:
    ids = service.importing.import_files([Path(__file__).resolve().parents[2] / "dilemmas" / "gift-from-family.toml"])
    conn = raw(tmp_path)
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        conn.execute(statement)
    conn.close()
    assert service.integrity.verify(ids[0]) == (1, [])


def test_events_of_one_record_do_not_leak_into_another(service: Service, rid: str) -> None:
    other = service.editing.create_record("Other")
    with service.db.reading() as s:
        assert {r.record_id for r in eventlog.read(s, other)} == {other}
        assert len(eventlog.read(s, other)) == 1
        assert s.execute(text("SELECT count(*) FROM events")).scalar() == 4
