"""`due_work` on a real database: the follow-ups of one's own records, done once the outcome is
recorded, and the open requests asked by and of the user, against an injected day."""

from __future__ import annotations

from datetime import date

import pytest

from ethicsdesk.service import Service
from ethicsdesk.service.records import Clock
from ethicsdesk.settings import User

TODAY = date(2026, 12, 7)
SUPERVISOR = User("Dana Lee", "supervisor")


class FixedClock(Clock):
    def now(self) -> str:
        return "2026-12-03T10:00:00.000000Z"


@pytest.fixture
def clock() -> Clock:
    return FixedClock()


def _with_follow_up(service: Service, title: str, day: str) -> str:
    rid = service.editing.create_record(title, case_code="C-1")
    service.editing.decide(rid, "follow_up", day)
    return rid


def test_follow_ups_fall_due_across_the_week_and_leave_once_the_outcome_is_recorded(service: Service) -> None:
    seven = _with_follow_up(service, "seven days", "2026-12-14")
    _with_follow_up(service, "eight days", "2026-12-15")
    late = _with_follow_up(service, "a day late", "2026-12-06")
    work = service.due_work(TODAY)
    assert [(f.record_id, f.days) for f in work.due] == [(seven, 7)]
    assert [(f.record_id, f.days) for f in work.overdue] == [(late, -1)]
    tomorrow = service.due_work(date(2026, 12, 8))
    assert [(f.title, f.days) for f in tomorrow.due] == [("seven days", 6), ("eight days", 7)]
    service.editing.set_text(late, "outcome", "The client went home with support; the plan held.")
    assert service.due_work(TODAY).overdue == []


def test_someone_elses_follow_up_is_not_mine(service: Service, db_url: str, clock: Clock) -> None:
    _with_follow_up(service, "mine", "2026-12-08")
    other = Service.open(db_url, User("Sam Roe", "case manager"), clock)
    try:
        assert other.due_work(TODAY).due == []
    finally:
        other.close()


def test_an_open_request_shows_for_who_asked_and_who_is_asked(service: Service, db_url: str, clock: Clock) -> None:
    rid = service.editing.create_record("asks", case_code="C-2")
    service.editing.request_consultation(rid, "Dana Lee", "May I share the diagnosis with the daughter?")
    assert [(r.record_id, r.age_days, r.whom) for r in service.due_work(TODAY).asked_by_me] == [(rid, 4, "Dana Lee")]
    assert service.due_work(TODAY).asked_of_me == []
    supervisor = Service.open(db_url, SUPERVISOR, clock)
    try:
        assert [r.record_id for r in supervisor.due_work(TODAY).asked_of_me] == [rid]
    finally:
        supervisor.close()
    service.editing.withdraw_consultation(rid)
    assert service.due_work(TODAY).asked_by_me == []
