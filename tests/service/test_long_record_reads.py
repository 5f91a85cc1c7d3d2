"""Reading a record with a long history: its events are folded as they are read, in one pass that
also counts who made them, and the tables are refused wherever they were rewritten, at the first
event's part of the record as at the last one's, as they were when the whole log was read first."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ethicsdesk.domain.fold import apply
from ethicsdesk.domain.record import Event
from ethicsdesk.domain.walk import step_reached
from ethicsdesk.errors import CheckFailed
from ethicsdesk.service import Service
from ethicsdesk.service.light_records import open_records
from ethicsdesk.service.records import RecordAccess
from ethicsdesk.store import eventlog
from ethicsdesk.store.dbapi import Params, SessionRows
from ethicsdesk.store.projection import write_projection

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"
LONG = 1500
LAST_FACTS = f"The facts as told the {LONG}th time."
# who makes the edits, in runs of changing length; one name in two roles counts as two contributors
PEOPLE = [("Robin Ashdown", "case manager"), ("Dana Whitlock", "supervisor"), ("Robin Ashdown", "supervisor")]


def _editor(n: int) -> tuple[str, str]:
    return PEOPLE[(n // 7 + n // 101) % len(PEOPLE)]


@pytest.fixture
def rid(service: Service) -> str:
    """A sample imported, then field edits by three people until the record has LONG events: the
    chain and the tables as the service writes them, in one transaction (one at a time takes minutes)."""
    found = service.importing.import_files([DILEMMAS / "gift-from-family.toml"])[0]
    state, head = service.record(found), service.head(found)
    rows = []
    for n in range(state.events + 1, LONG + 1):
        actor, role = _editor(n)
        value = f"The facts as told the {n}th time."
        event = Event(found, n, "field.set", actor, service.clock.now(), {"name": "facts", "value": value})
        state = apply(state, event)
        row = eventlog.event_row(event, role, head)
        head = str(row["hash"])
        rows.append(row)
    with service.db.writing() as s:
        eventlog.insert_many(s, rows)
        write_projection(s, state, head, step_reached(state, service.framework_of(state).ids))
    return found


def _counted_by_the_database(service: Service, rid: str) -> list[dict[str, Any]]:
    """Who changed the record as SQL groups the log: each actor in each role, by their first event."""
    sql = (
        "SELECT g.actor, g.actor_role, g.n, f.at, l.at FROM ("
        "SELECT actor, actor_role, COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi FROM events "
        "WHERE record_id = ? GROUP BY actor, actor_role) g "
        "JOIN events f ON f.record_id = ? AND f.seq = g.lo JOIN events l ON l.record_id = ? AND l.seq = g.hi "
        "ORDER BY g.lo"
    )
    with service.db.reading() as s:
        found = SessionRows(s).all(sql, [rid] * 3)
    return [{"name": a, "role": r, "changes": n, "first": f, "last": la} for a, r, n, f, la in found]


def _readers(service: Service, url: str) -> Iterator[RecordAccess]:
    """The full service, then (on a SQLite file) the light one the everyday commands read through."""
    yield service
    if url.startswith("sqlite:///"):
        with open_records(url) as light:
            yield light


def test_a_long_record_is_read_whole_and_its_people_counted_as_the_database_groups_them(
    service: Service, rid: str, db_url: str
) -> None:
    expected = _counted_by_the_database(service, rid)
    assert [(p["name"], p["role"]) for p in expected] == PEOPLE
    assert sum(p["changes"] for p in expected) == LONG
    for reader in _readers(service, db_url):
        state, head, people = reader.record_and_contributors(rid)
        assert (state.events, state.text["facts"], head) == (LONG, LAST_FACTS, service.head(rid))
        assert people == expected
        assert reader.record(rid) == state


@pytest.mark.parametrize(
    ("statement", "named"),
    [
        # what the first event (the import) wrote
        ("UPDATE records SET created_by = 'Mallory Forge' WHERE id = ?", "created_by"),
        ("UPDATE records SET created_at = '2020-01-01T00:00:00.000000Z' WHERE id = ?", "created_at"),
        # what the last event wrote
        ("UPDATE record_texts SET value = 'Nothing happened.' WHERE record_id = ? AND name = 'facts'", "text"),
        ("UPDATE records SET updated_by = 'Mallory Forge' WHERE id = ?", "updated_by"),
    ],
)
def test_a_long_records_tables_rewritten_at_its_first_or_last_event_are_refused(
    service: Service, rid: str, db_url: str, statement: str, named: str
) -> None:
    with service.db.writing() as s:
        SessionRows(s).run(statement, [rid])
    refusal = f"{rid} is not shown: its current-state tables differ from its event log in {named} ("
    for reader in _readers(service, db_url):
        with pytest.raises(CheckFailed) as found:
            reader.record(rid)
        assert str(found.value).startswith(refusal)
        with pytest.raises(CheckFailed) as found:
            reader.record_and_contributors(rid)
        assert str(found.value).startswith(refusal)


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("seq", "change", "named"),
    [
        (1, "actor = 'Mallory Forge'", "created_by"),
        (1, "payload = 'not json'", "everything (the events cannot be replayed)"),
        (LONG, """payload = '{"name":"facts","value":"Nothing happened."}'""", "text"),
        (LONG, """payload = '{"name":"facts","value":"x"} {}'""", "everything (the events cannot be replayed)"),
        (LONG, "at = '2020-01-01T00:00:00.000000Z'", "updated_at"),
    ],
)
def test_a_long_records_log_rewritten_at_its_first_or_last_event_is_refused(
    service: Service, rid: str, db_url: str, seq: int, change: str, named: str
) -> None:
    """The database's owner may drop the log's triggers: the tables then no longer say what it gives."""
    conn = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        conn.execute("DROP TRIGGER events_no_update")
        assert conn.execute(f"UPDATE events SET {change} WHERE record_id = ? AND seq = ?", (rid, seq)).rowcount == 1
    finally:
        conn.close()
    refusal = f"{rid} is not shown: its current-state tables differ from its event log in {named} ("
    for reader in _readers(service, db_url):
        with pytest.raises(CheckFailed) as found:
            reader.record_and_contributors(rid)
        assert str(found.value).startswith(refusal)


class _Counted(SessionRows):
    """The statements a read makes, each kept, and whether it was read a row at a time."""

    def __init__(self, source: Any) -> None:
        super().__init__(source)
        self.statements: list[tuple[str, str]] = []

    def all(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        self.statements.append(("all", sql))
        return super().all(sql, params)

    def each(self, sql: str, params: Params = ()) -> Iterator[tuple[Any, ...]]:
        self.statements.append(("each", sql))
        return super().each(sql, params)


def test_a_checked_read_goes_over_the_log_once_a_row_at_a_time(service: Service, rid: str) -> None:
    """The fold, the count of who made the events and the head come from two statements on the
    log: its head and count, and its rows streamed into the fold (none held all at once)."""
    people = eventlog.Contributors()
    with service.db.reading() as s:
        rows = _Counted(s)
        state, _ = RecordAccess._read_checked(rows, rid, people)
    on_the_log = [(how, sql) for how, sql in rows.statements if " events " in f"{sql} "]
    assert [how for how, _ in on_the_log] == ["all", "each"], on_the_log
    assert state.events == LONG and sum(n for _, _, n, _, _ in people.rows()) == LONG
