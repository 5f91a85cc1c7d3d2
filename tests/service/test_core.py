"""Held changes (ethicsdesk/service/core.py `expecting_since`): an editor's change is refused only
when someone else changed the same part of the record after the editor read it. Runs on SQLite and
on PostgreSQL (two people, two connections, one record)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from ethicsdesk.errors import EditConflict
from ethicsdesk.service import Service
from ethicsdesk.service.exporting import export_record
from ethicsdesk.settings import User

KIM = User("Kim Doyle", "case manager")


@pytest.fixture
def rid(service: Service) -> str:
    record_id = service.editing.create_record("Refuses the care home", case_code="C-7")
    service.editing.set_text(record_id, "facts", "Lives alone.")
    service.editing.add_option(record_id, "Status quo")
    service.editing.add_option(record_id, "Home with help")
    return record_id


def test_an_export_a_cursor_move_and_another_field_are_not_conflicts(
    service: Service, other_service: Callable[[User], Service], rid: str, tmp_path: Path
) -> None:
    kim = other_service(KIM)
    seen = service.record(rid)  # Robin's screen opened the record here
    export_record(kim, rid, "json", tmp_path / "r.json")
    kim.editing.save_cursor(rid, "decide", "f-rationale")
    service.editing.save_cursor(rid, "situation", "f-text-facts")
    kim.editing.set_text(rid, "assumptions", "Kim's assumption.")
    kim.editing.score(rid, "status-quo", "autonomy", -1)
    with service.expecting_since(seen):
        service.editing.set_text(rid, "facts", "Robin's facts.")
        service.editing.score(rid, "home-with-help", "autonomy", 2)
        service.editing.answer(rid, "justify:autonomy:good-reason", "Robin's reason.")
    state = service.record(rid)
    assert state.text["facts"] == "Robin's facts."
    assert state.text["assumptions"] == "Kim's assumption."  # both landed
    assert state.scores == {("status-quo", "autonomy"): -1, ("home-with-help", "autonomy"): 2}
    assert state.answers["justify:autonomy:good-reason"] == "Robin's reason."
    assert service.integrity.verify(rid) == (1, [])


def test_two_people_on_one_field_the_second_is_told_who_and_nothing_is_overwritten(
    service: Service, other_service: Callable[[User], Service], rid: str
) -> None:
    kim = other_service(KIM)
    seen = service.record(rid)
    kim.editing.set_text(rid, "facts", "Kim's facts.")
    kim.editing.set_text(rid, "assumptions", "Kim's assumption.")  # later, another field: still Kim's facts named
    events = service.record(rid).events
    with service.expecting_since(seen), pytest.raises(EditConflict) as exc:
        service.editing.set_text(rid, "facts", "Robin's facts.")
    assert exc.value.by == "Kim Doyle"
    assert exc.value.parts == frozenset({("text", "facts")})
    assert exc.value.message.startswith("Kim Doyle changed the facts at ")
    assert "nothing was overwritten" in exc.value.message
    assert service.record(rid).text["facts"] == "Kim's facts."
    assert service.record(rid).events == events
    # read again (the merge window does this), the save goes through
    with service.expecting_since(service.record(rid)):
        service.editing.set_text(rid, "facts", "Kim's facts. Robin's facts.")
    assert service.record(rid).text["facts"] == "Kim's facts. Robin's facts."


def test_one_persons_earlier_save_is_not_a_conflict(service: Service, rid: str) -> None:
    seen = service.record(rid)
    after = service.editing.set_text(rid, "facts", "First.")
    with service.expecting_since(after):
        service.editing.set_text(rid, "facts", "Second.")
    assert service.record(rid).text["facts"] == "Second."
    assert seen.text["facts"] == "Lives alone."


def test_the_expectation_belongs_to_the_thread_that_set_it(
    service: Service, other_service: Callable[[User], Service], rid: str
) -> None:
    """A screen saves from a worker thread while its UI thread may save too: one thread's expectation
    must not hold another's change."""
    kim = other_service(KIM)
    seen = service.record(rid)
    kim.editing.set_text(rid, "facts", "Kim's facts.")
    errors: list[BaseException] = []

    def elsewhere() -> None:
        try:
            service.editing.set_text(rid, "facts", "From another thread.")  # not held
        except BaseException as exc:
            errors.append(exc)

    with service.expecting_since(seen):
        worker = threading.Thread(target=elsewhere)
        worker.start()
        worker.join()
        with pytest.raises(EditConflict):
            service.editing.set_text(rid, "facts", "Held.")
    assert errors == []
    assert service.record(rid).text["facts"] == "From another thread."
