"""The record operations over plain SQL: the light service (sqlite3) and the full one (SQLAlchemy) read
the same records the same way, the light one logs an export in the chain like the full one, and it
opens only where it can (an existing SQLite file at the current schema)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ethicsdesk.errors import DatabaseProblem, NotFound
from ethicsdesk.service import Service
from ethicsdesk.service.light_records import LightService, open_records
from ethicsdesk.settings import User

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"
SUPERVISOR = User("Dana Whitlock", "supervisor")


@pytest.fixture
def filled(service: Service) -> list[str]:
    """Records with much of what a record can hold: reference weighings and decisions, a consultation
    asked, a draft, a training attempt."""
    ids = service.importing.import_files(
        [DILEMMAS / "gift-from-family.toml", DILEMMAS / "discharge-against-advice.toml"]
    )
    service.importing.import_files([DILEMMAS / "gift-from-family.toml"], kind="training")
    draft = service.editing.create_record("Zoë's neighbour asks for news", case_code="C-7")
    service.editing.set_text(draft, "facts", "The neighbour phones every week.")
    service.editing.request_consultation(ids[1], "Dana Whitlock", "Is the plan safe enough?")
    return [*ids, draft]


def light_of(service: Service) -> LightService:
    light = LightService.open(service.db.url, service.user)
    assert light is not None
    return light


@pytest.mark.sqlite_only
def test_light_and_full_read_every_record_alike(service: Service, filled: list[str]) -> None:
    with light_of(service) as light:
        for rid in filled:
            assert light.record(rid).snapshot() == service.record(rid).snapshot()
            assert light.record(rid) == service.record(rid)
            assert light.summary(rid) == service.summary(rid)
            assert light.head(rid) == service.head(rid)
            assert light.history(rid) == service.history(rid)
            assert light.resolve(rid[:6].upper()) == service.resolve(rid[:6]) == rid
        for filters in (
            {},
            {"kind": None},
            {"kind": "training"},
            {"status": "draft"},
            {"search": "scarf"},
            {"search": "neighbour", "kind": None},
            {"limit": 1, "offset": 1},
        ):
            assert light.list_records(**filters) == service.list_records(**filters), filters
        with pytest.raises(NotFound):
            light.record("nothing")
        with pytest.raises(NotFound):
            light.resolve("zzzzzz")


@pytest.mark.sqlite_only
def test_an_export_logged_by_the_light_service_chains_and_verifies(service: Service, filled: list[str]) -> None:
    rid = filled[1]
    before = service.summary(rid)
    with light_of(service) as light:
        after = light.record_export(rid, "html", True, "/tmp/report.html")
    assert after.events == before.events + 1
    summary = service.summary(rid)
    assert summary.events == before.events + 1
    assert summary.head_hash != before.head_hash
    assert service.history(rid)[-1].type == "record.exported"
    assert service.integrity.verify(rid) == (1, [])  # the projection says what the events give


def test_the_full_service_logs_an_export_the_same_way(service: Service, filled: list[str]) -> None:
    """On PostgreSQL too: an export moves only the head, and verify holds."""
    rid = filled[0]
    before = service.record(rid)
    after = service.record_export(rid, "md", False, "standard output")
    assert after.events == before.events + 1
    assert service.record(rid).snapshot() == after.snapshot()
    assert service.integrity.verify(rid) == (1, [])


@pytest.mark.sqlite_only
def test_no_export_is_logged_for_a_missing_record(service: Service, filled: list[str]) -> None:
    counts = [service.summary(rid).events for rid in filled]
    with light_of(service) as light, pytest.raises(NotFound):
        light.record_export("nothing", "html", True, "x")
    assert [service.summary(rid).events for rid in filled] == counts


def test_open_records_is_light_only_on_an_existing_sqlite_file_at_the_schema(
    service: Service, tmp_path: Path
) -> None:
    url = service.db.url
    records = open_records(url)
    try:
        assert isinstance(records, LightService) == url.startswith("sqlite:///")
        assert isinstance(records, LightService | Service)
    finally:
        records.close()
    # the everyday commands read: a file that is not there is said so, never made
    with pytest.raises(DatabaseProblem, match="does not exist; nothing was created"):
        open_records(f"sqlite:///{tmp_path / 'new.db'}")
    assert not (tmp_path / "new.db").exists()


@pytest.mark.sqlite_only
def test_an_older_schema_goes_to_the_full_service(service: Service, filled: list[str]) -> None:
    path = Path(service.db.url.removeprefix("sqlite:///"))
    service.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0003'")
    conn.commit()
    conn.close()
    assert LightService.open(f"sqlite:///{path}", SUPERVISOR) is None


@pytest.mark.sqlite_only
def test_closing_the_light_service_leaves_the_file_whole(service: Service, filled: list[str]) -> None:
    path = Path(service.db.url.removeprefix("sqlite:///"))
    service.close()
    light = LightService.open(f"sqlite:///{path}", SUPERVISOR)
    assert light is not None
    light.record_export(filled[0], "json", True, "standard output")
    light.close()
    assert not path.with_name(path.name + "-wal").exists() or path.with_name(path.name + "-wal").stat().st_size == 0


def test_the_history_names_options_by_label_as_they_stood(service: Service) -> None:
    """What replay and the audit trail show: an option's label, never its key, and the label it had
    at that point of the log (a later rename does not rewrite what an earlier event says)."""
    rid = service.editing.create_record("A neighbour asks for news", case_code="C-8")
    first = service.editing.add_option(rid, "Decline to confirm or deny")
    service.editing.score(rid, first, "autonomy", 1)
    service.editing.change_option(rid, first, label="Say nothing either way")
    service.editing.decide(rid, "chosen", first)
    texts = [e.text for e in service.history(rid)]
    assert "scored 'Decline to confirm or deny' on autonomy: +1" in texts
    assert texts[-1] == "chose option 'Say nothing either way'"
    assert not any(first in t for t in texts)


def test_a_change_continuing_from_the_read_state_gives_the_record_its_log_gives(service: Service) -> None:
    """Changes made from a state read with `record` start from it while the record's row holds its
    head: the state handed back is, after each, the record as read again and checked against its log."""
    rid = service.importing.import_files([DILEMMAS / "discharge-against-advice.toml"])[0]
    state = service.record(rid)
    option, principle = state.options[0].key, service.framework_of(state).ids[0]
    with service.continuing(state, service.head(rid)) as known:
        service.editing.score(rid, option, principle, 2)
        service.editing.set_text(rid, "facts", "The ward closes on Friday.")
    assert known is not None and known.current
    assert known.head == service.head(rid)
    assert known.state.snapshot() == service.record(rid).snapshot()


def test_a_change_continuing_from_a_state_someone_else_moved_on_reads_the_record(service: Service) -> None:
    """Another change since the state was read moves the head: the change then reads the record's tables,
    keeps the other change, and says the caller's state is no longer current (it must read again)."""
    rid = service.importing.import_files([DILEMMAS / "discharge-against-advice.toml"])[0]
    state, head = service.record(rid), service.head(rid)
    service.editing.set_text(rid, "title", "Someone else's title")
    with service.continuing(state, head) as known:
        after = service.editing.set_text(rid, "facts", "Mine.")
    assert known is not None and not known.current
    assert (after.title, after.text["facts"]) == ("Someone else's title", "Mine.")
    assert after.snapshot() == service.record(rid).snapshot()


@pytest.mark.parametrize("drawn", [0, 1, 30, 31, 960, 961, 123_456_789_012, 31**10 - 1])
def test_a_record_id_spells_its_drawn_number_a_digit_at_a_time(drawn: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """The id is the drawn number in the alphabet's digits, the least significant first, whatever
    shortcut writes it (two digits a division)."""
    from ethicsdesk.service import records

    monkeypatch.setattr(records.secrets, "randbelow", lambda _count: drawn)
    digits, n = [], drawn
    for _ in range(records.ID_LENGTH):
        n, d = divmod(n, len(records.ID_ALPHABET))
        digits.append(records.ID_ALPHABET[d])
    assert records.new_record_id() == "".join(digits)
