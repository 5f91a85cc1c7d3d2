"""Proving a record: verify finds every kind of tampering with the log or the tables and names the
record; replay folds any prefix of the log; the history reads the log in words."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ethicsdesk.domain.fold import fold
from ethicsdesk.domain.record import Event
from ethicsdesk.errors import BadInput, EthicsdeskError, NotFound
from ethicsdesk.service import Service

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"


@pytest.fixture
def records(service: Service) -> dict[str, str]:
    """An imported sample, and a record built step by step (seven events)."""
    sample = service.importing.import_files([DILEMMAS / "gift-from-family.toml"])[0]
    walked = service.editing.create_record("A relative asks for information", case_code="C-9")
    service.editing.set_text(walked, "facts", "The son phones the office.")
    a = service.editing.add_option(walked, "Say nothing without consent")
    service.editing.add_option(walked, "Tell him what he asks")
    service.editing.score(walked, a, "veracity", 1)
    service.editing.score(walked, a, "autonomy", 2)
    service.editing.decide(walked, "chosen", a)
    return {"sample": sample, "walked": walked}


def tamper(tmp_path: Path, *statements: str, drop_triggers: bool = False) -> None:
    """Change the database behind ethicsdesk's back, as someone with the file could."""
    conn = sqlite3.connect(tmp_path / "test.db", isolation_level=None)
    try:
        if drop_triggers:
            conn.execute("DROP TRIGGER events_no_update")
            conn.execute("DROP TRIGGER events_no_delete")
        for statement in statements:
            assert conn.execute(statement).rowcount >= 1, statement
    finally:
        conn.close()


def problems_of(service: Service) -> dict[str, list[str]]:
    checked, problems = service.integrity.verify()
    assert checked == 2
    found: dict[str, list[str]] = {}
    for p in problems:
        found.setdefault(p.record_id, []).append(p.text)
    return found


def test_intact_records_verify(service: Service, records: dict[str, str]) -> None:
    assert service.integrity.verify() == (2, [])
    assert service.integrity.verify(records["walked"]) == (1, [])


EVENT = "WHERE record_id = '{walked}'"
CELL = "WHERE record_id = '{r}' AND option_key = 'accept-both' AND principle = 'equity'"


@pytest.mark.sqlite_only  # reaches into the SQLite file
@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        pytest.param(
            ['UPDATE events SET payload = \'{{"name":"facts","value":"He never phoned."}}\' ' + EVENT + " AND seq = 2"],
            [
                "event 2 (field.set) was changed after it was written",
                "the current-state tables differ from the event log in: text",
            ],
            id="edited payload",
        ),
        pytest.param(
            ["UPDATE events SET actor = 'Mallory' " + EVENT + " AND seq = 1"],
            [
                "event 1 (record.created) was changed after it was written",
                "the current-state tables differ from the event log in: created_by",
            ],
            id="edited actor",
        ),
        pytest.param(
            ["DELETE FROM events " + EVENT + " AND seq = 3"],
            [
                "event 3 is missing (found 4)",
                "event 4 does not follow the event before it",
                "the record's head does not match its event log",
                "the current-state tables differ from the event log in: options",
            ],
            id="deleted event",
        ),
        pytest.param(
            ["DELETE FROM events " + EVENT + " AND seq = 7"],
            [
                "the record's head does not match its event log",
                "the current-state tables differ from the event log in: updated_at, status, decision, events",
                "the stored status 'decided' is not what the events give ('draft')",
            ],
            id="deleted last event",
        ),
        pytest.param(
            ["UPDATE events SET hash = '" + "a" * 64 + "' " + EVENT + " AND seq = 4"],
            ["event 4 (option.added) was changed after it was written", "event 5 does not follow the event before it"],
            id="edited hash",
        ),
        pytest.param(
            [
                "UPDATE events SET seq = 100 " + EVENT + " AND seq = 5",
                "UPDATE events SET seq = 5 " + EVENT + " AND seq = 6",
                "UPDATE events SET seq = 6 " + EVENT + " AND seq = 100",
            ],
            [
                "event 5 does not follow the event before it",
                "event 5 (cell.scored) was changed after it was written",
                "event 6 does not follow the event before it",
                "event 6 (cell.scored) was changed after it was written",
                "event 7 does not follow the event before it",
            ],
            id="reordered events",
        ),
    ],
)
def test_tampering_with_the_log_is_found_and_named(
    service: Service, records: dict[str, str], tmp_path: Path, statements: list[str], expected: list[str]
) -> None:
    tamper(tmp_path, *(s.format(walked=records["walked"]) for s in statements), drop_triggers=True)
    found = problems_of(service)
    assert list(found) == [records["walked"]]  # the sample is intact and not named
    assert found[records["walked"]] == expected


@pytest.mark.sqlite_only  # reaches into the SQLite file
@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        pytest.param(
            "UPDATE cells SET score = -2 " + CELL + " AND score = -2",
            None,  # the same value: nothing to find (the tamper helper still needs a row)
            id="no change",
        ),
        pytest.param(
            "UPDATE cells SET score = 2 " + CELL,
            ["the current-state tables differ from the event log in: scores"],
            id="changed score",
        ),
        pytest.param(
            "UPDATE cells SET note = 'fine' " + CELL,
            ["the current-state tables differ from the event log in: notes"],
            id="changed note",
        ),
        pytest.param(
            "DELETE FROM cells WHERE record_id = '{r}' AND option_key = 'decline-all' AND principle = 'justice'",
            ["the current-state tables differ from the event log in: scores"],
            id="deleted cell",
        ),
        pytest.param(
            "UPDATE records SET title = 'Nothing to see' WHERE id = '{r}'",
            ["the current-state tables differ from the event log in: text"],
            id="changed title",
        ),
        pytest.param(
            "UPDATE records SET status = 'closed' WHERE id = '{r}'",
            ["the stored status 'closed' is not what the events give ('decided')"],
            id="changed status",
        ),
        pytest.param(
            "UPDATE records SET step = 'outcome' WHERE id = '{r}'",
            ["the stored step differs from what the events give"],
            id="changed step",
        ),
        pytest.param(
            "UPDATE records SET source = 'elsewhere.toml' WHERE id = '{r}'",
            ["the current-state tables differ from the event log in: source"],
            id="changed source",
        ),
        pytest.param(
            "UPDATE records SET head_hash = '" + "b" * 64 + "' WHERE id = '{r}'",
            ["the record's head does not match its event log"],
            id="changed head",
        ),
        pytest.param(
            "UPDATE weights SET weight = 0 WHERE record_id = '{r}' AND principle = 'equity'",
            ["the current-state tables differ from the event log in: weights"],
            id="changed weight",
        ),
        pytest.param(
            "UPDATE decisions SET chosen = 'accept-both' WHERE record_id = '{r}'",
            ["the current-state tables differ from the event log in: decision"],
            id="changed choice",
        ),
        pytest.param(
            "UPDATE options SET label = 'Keep everything' WHERE record_id = '{r}' AND key = 'accept-both'",
            ["the current-state tables differ from the event log in: options"],
            id="changed option",
        ),
        pytest.param(
            "UPDATE record_texts SET value = 'Nothing happened.' WHERE record_id = '{r}' AND name = 'facts'",
            ["the current-state tables differ from the event log in: text"],
            id="changed facts",
        ),
        pytest.param(
            "DELETE FROM obligations WHERE record_id = '{r}' AND obligation_id = 'conflict-of-interest'",
            ["the current-state tables differ from the event log in: obligations"],
            id="deleted obligation",
        ),
    ],
)
def test_tampering_with_the_tables_is_found_and_named(
    service: Service, records: dict[str, str], tmp_path: Path, statement: str, expected: list[str] | None
) -> None:
    tamper(tmp_path, statement.format(r=records["sample"]))
    found = problems_of(service)
    if expected is None:
        assert found == {}
    else:
        assert found == {records["sample"]: expected}
        _, problems = service.integrity.verify(records["sample"])
        assert [p.text for p in problems] == expected


@pytest.mark.sqlite_only  # reaches into the SQLite file
def test_a_log_that_cannot_be_replayed_is_reported_not_raised(
    service: Service, records: dict[str, str], tmp_path: Path
) -> None:
    rid = records["walked"]
    tamper(
        tmp_path, f"UPDATE events SET type = 'record.deleted' WHERE record_id = '{rid}' AND seq = 2", drop_triggers=True
    )
    found = problems_of(service)
    assert found[rid] == [
        "event 2 (record.deleted) was changed after it was written",
        "the event log cannot be replayed (unknown event type 'record.deleted')",
    ]


@pytest.mark.sqlite_only  # reaches into the SQLite file
def test_tables_that_cannot_hold_a_record_are_reported_not_raised(
    service: Service, records: dict[str, str], tmp_path: Path
) -> None:
    rid = records["sample"]
    tamper(tmp_path, f"UPDATE record_list_items SET name = 'colours' WHERE record_id = '{rid}' AND name = 'tags'")
    found = problems_of(service)
    assert list(found) == [rid]  # verify went on, and the other record is not named
    assert found[rid] == [
        "the current-state tables cannot be read as a record ('RecordState' object has no attribute 'colours')"
    ]


@pytest.mark.sqlite_only  # reaches into the SQLite file
def test_a_record_without_events_is_reported(service: Service, records: dict[str, str], tmp_path: Path) -> None:
    rid = records["walked"]
    tamper(tmp_path, f"DELETE FROM events WHERE record_id = '{rid}'", drop_triggers=True)
    assert problems_of(service) == {rid: ["the record has no events"]}


# --- replay and history -------------------------------------------------------------------------
def test_replay_folds_any_prefix(service: Service, records: dict[str, str]) -> None:
    rid = records["walked"]
    assert [service.integrity.replay(rid, k).events for k in range(1, 8)] == list(range(1, 8))
    assert service.integrity.replay(rid, 1).snapshot()["options"] == []
    assert service.integrity.replay(rid, 1).title == "A relative asks for information"
    assert len(service.integrity.replay(rid, 4).options) == 2
    assert service.integrity.replay(rid, 6).status == "draft"
    assert service.integrity.replay(rid).snapshot() == service.record(rid).snapshot()


@pytest.mark.parametrize("upto", [0, -1, 8, 100])
def test_replay_out_of_range_is_bad_input(service: Service, records: dict[str, str], upto: int) -> None:
    with pytest.raises(BadInput, match=f"Event {upto} is out of range: the record has events 1 to 7") as exc:
        service.integrity.replay(records["walked"], upto)
    assert exc.value.exit_code == 2


def test_replay_of_an_unknown_record(service: Service) -> None:
    with pytest.raises(NotFound):
        service.integrity.replay("nope", 1)


def test_history_reads_the_log_in_words(service: Service, records: dict[str, str]) -> None:
    rid = records["walked"]
    entries = service.history(rid)
    assert [e.seq for e in entries] == list(range(1, 8))
    assert entries[0].text == "created the case record 'A relative asks for information'"
    assert entries[4].text == "scored 'Say nothing without consent' on veracity: +1"  # the option by its label
    assert {(e.actor, e.role) for e in entries} == {("Robin Ashdown", "case manager")}
    assert entries[-1].hash == service.head(rid)
    sample = service.history(records["sample"])
    assert [e.type for e in sample] == ["record.imported"]
    assert sample[0].text.endswith("from gift-from-family.toml")


def test_an_export_is_logged_although_nothing_changes(service: Service, records: dict[str, str]) -> None:
    rid = records["sample"]
    before = service.record(rid).snapshot()
    service.record_export(rid, "md", True, "/tmp/report.md")
    service.record_export(rid, "md", True, "/tmp/report.md")
    log = service.integrity.event_payloads(rid)
    assert [e["type"] for e in log] == ["record.imported", "record.exported", "record.exported"]
    assert log[1]["payload"] == {"format": "md", "masked": True, "target": "/tmp/report.md"}
    after = service.record(rid).snapshot()
    assert {k for k in before if before[k] != after[k]} == {"events", "updated_at"}
    assert service.integrity.verify(rid) == (1, [])


# --- the property: any sequence of edits verifies, and replay(k) is the record after k events -----
PRINCIPLES = ("autonomy", "equity", "veracity")
OPTION_LABELS = ("Stay", "Go home", "Go home")  # a repeated label gets a second key

edit = st.one_of(
    st.tuples(
        st.just("text"), st.sampled_from(["facts", "title", "outcome", "question"]), st.sampled_from(["", "a", "b"])
    ),
    st.tuples(st.just("add"), st.sampled_from(OPTION_LABELS), st.just("")),
    st.tuples(st.just("remove"), st.integers(0, 3), st.just("")),
    st.tuples(st.just("move"), st.integers(0, 3), st.integers(-1, 3)),
    st.tuples(
        st.just("score"), st.tuples(st.integers(0, 3), st.sampled_from(PRINCIPLES)), st.sampled_from([-2, 0, 2, None])
    ),
    st.tuples(st.just("note"), st.tuples(st.integers(0, 3), st.sampled_from(PRINCIPLES)), st.sampled_from(["", "why"])),
    st.tuples(st.just("weight"), st.sampled_from(PRINCIPLES), st.integers(0, 3)),
    st.tuples(st.just("choose"), st.integers(0, 3), st.just("")),
    st.tuples(st.just("obligation"), st.sampled_from(["capacity", "duty-to-warn"]), st.booleans()),
    st.tuples(st.just("floor"), st.integers(0, 3), st.sampled_from([True, False, None])),
    st.tuples(st.just("consult"), st.booleans(), st.just("")),
)


def run_edit(service: Service, rid: str, step: tuple[object, object, object]) -> object:
    kind, a, b = step
    keys = [o.key for o in service.record(rid).options] + ["missing"]

    def key(i: object) -> str:
        return keys[min(int(i), len(keys) - 1)]  # type: ignore[call-overload]

    actions: dict[str, Callable[[], object]] = {
        "text": lambda: service.editing.set_text(rid, str(a), str(b)),
        "add": lambda: service.editing.add_option(rid, str(a)),
        "remove": lambda: service.editing.remove_option(rid, key(a)),
        "move": lambda: service.editing.move_option(rid, key(a), int(b)),  # type: ignore[call-overload]
        "score": lambda: service.editing.score(rid, key(a[0]), a[1], b),  # type: ignore[index, arg-type]
        "note": lambda: service.editing.note(rid, key(a[0]), a[1], str(b)),  # type: ignore[index]
        "weight": lambda: service.editing.set_weight(rid, str(a), int(b)),  # type: ignore[call-overload]
        "choose": lambda: service.editing.decide(rid, "chosen", key(a)),
        "obligation": lambda: service.editing.set_obligation(rid, str(a), bool(b)),
        "floor": lambda: service.editing.check_floor(rid, "duty-to-warn", key(a), b),  # type: ignore[arg-type]
        "consult": lambda: (
            service.editing.request_consultation(rid, "Dana", "ok?")
            if a
            else service.editing.withdraw_consultation(rid)
        ),
    }
    return actions[str(kind)]()


@settings(max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(edit, min_size=1, max_size=12))
def test_any_sequence_of_edits_verifies_and_replays(
    service: Service, steps: list[tuple[object, object, object]]
) -> None:
    rid = service.editing.create_record("Property")  # a new record for every example
    seen = {1: service.record(rid).snapshot()}
    for step in steps:
        before = service.summary(rid).events
        try:
            state = run_edit(service, rid, step)
        except BadInput:
            assert service.summary(rid).events == before  # a refused edit writes nothing
            continue
        except EthicsdeskError as exc:  # anything else would be a bug
            raise AssertionError(f"{step} raised {exc!r}") from exc
        events = service.summary(rid).events
        assert events in (before, before + 1)
        if not isinstance(state, str):  # add_option returns the new key
            assert state.events == events  # type: ignore[attr-defined]
        seen[events] = service.record(rid).snapshot()

    assert service.integrity.verify(rid) == (1, [])
    log = [
        Event(rid, e["seq"], e["type"], e["actor"], e["at"], e["payload"])  # type: ignore[arg-type]
        for e in service.integrity.event_payloads(rid)
    ]
    assert [e.seq for e in log] == list(range(1, len(log) + 1))
    assert set(seen) == set(range(1, len(log) + 1))
    for k in range(1, len(log) + 1):
        replayed = service.integrity.replay(rid, k).snapshot()
        assert replayed == fold(rid, log[:k]).snapshot()
        assert replayed == seen[k]


def test_verify_reads_a_batch_of_records_in_a_fixed_number_of_statements(service: Service) -> None:
    """Reads come a batch at a time: verifying 40 records issues as many statements as verifying 4
    (it was 33 a record)."""
    from tests.statements import counted_statements

    def statements_to_verify() -> tuple[int, int]:
        with counted_statements(service.db.engine) as sent:
            checked, problems = service.integrity.verify()
        assert problems == []
        return checked, len(sent)

    service.importing.import_files([DILEMMAS / "gift-from-family.toml"] * 4)
    few = statements_to_verify()
    service.importing.import_files([DILEMMAS / "gift-from-family.toml"] * 36)
    many = statements_to_verify()
    assert (few[0], many[0]) == (4, 40)
    assert many[1] == few[1]


@pytest.mark.sqlite_only  # reaches into the SQLite file
@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        pytest.param(
            "UPDATE records SET created_by = 'Someone Else' WHERE id = '{r}'",
            "the current-state tables differ from the event log in: created_by",
            id="a column of the record's own row",
        ),
        pytest.param(
            "INSERT INTO record_texts (record_id, name, value) VALUES ('{r}', 'outcome', '')",
            "the current-state tables hold rows the events do not give, in: record_texts",
            id="a row that reads back as nothing",
        ),
    ],
)
def test_rows_that_differ_in_any_way_are_read_back_and_named(
    service: Service, records: dict[str, str], tmp_path: Path, statement: str, expected: str
) -> None:
    """Verify reads a record back from its tables only when its rows are not exactly those its events
    give (rows exactly so read back as the fold: the stateful tests hold that round trip). A change
    to the record's own row, or a row that a read-back record cannot show, is still found and named."""
    tamper(tmp_path, statement.format(r=records["walked"]))
    assert problems_of(service) == {records["walked"]: [expected]}
