"""What comes due: follow-ups due soon or overdue, and consultation requests still open, judged
against a day passed in (never the system clock), so that the boundaries can be tested.

A follow-up is the plan's follow-up date (an ISO date, decisions.follow_up); it is done once the
record's outcome is recorded, and the store leaves done ones out. A follow-up is due when its date
falls within DUE_DAYS from today (today and the seventh day after included) and overdue when the
date is before today.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

DUE_DAYS = 7


def horizon(today: date, days: int = DUE_DAYS) -> date:
    """The last day whose follow-up counts as due."""
    return today + timedelta(days=days)


@dataclass(frozen=True)
class FollowUpRow:
    """A record's pending follow-up as the store reads it."""

    record_id: str
    title: str
    case_code: str
    follow_up: str


@dataclass(frozen=True)
class RequestRow:
    """An open consultation request as the store reads it."""

    record_id: str
    title: str
    case_code: str
    whom: str  # the supervisor (or committee, colleague) asked
    kind: str  # supervisor | committee | colleague
    requested_by: str
    requested_at: str
    urgent: bool


@dataclass(frozen=True)
class FollowUp:
    record_id: str
    title: str
    case_code: str
    follow_up: date
    days: int  # days from today to the follow-up date: negative when overdue

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.record_id,
            "title": self.title,
            "case_code": self.case_code,
            "follow_up": self.follow_up.isoformat(),
            "days": self.days,
        }


@dataclass(frozen=True)
class OpenRequest:
    record_id: str
    title: str
    case_code: str
    whom: str
    requested_by: str
    requested_at: str
    age_days: int
    urgent: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.record_id,
            "title": self.title,
            "case_code": self.case_code,
            "whom": self.whom,
            "requested_by": self.requested_by,
            "requested_at": self.requested_at,
            "age_days": self.age_days,
            "urgent": self.urgent,
        }


@dataclass(frozen=True)
class DueWork:
    today: date
    overdue: list[FollowUp] = field(default_factory=list)  # most overdue first
    due: list[FollowUp] = field(default_factory=list)  # soonest first
    asked_by_me: list[OpenRequest] = field(default_factory=list)  # oldest first
    asked_of_me: list[OpenRequest] = field(default_factory=list)  # urgent first, then oldest

    @property
    def empty(self) -> bool:
        return not (self.overdue or self.due or self.asked_by_me or self.asked_of_me)

    def to_json(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "due_days": DUE_DAYS,
            "overdue": [f.to_json() for f in self.overdue],
            "due": [f.to_json() for f in self.due],
            "requests_mine": [r.to_json() for r in self.asked_by_me],
            "requests_to_me": [r.to_json() for r in self.asked_of_me],
        }


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None  # prose left by an older file: no date to fall due


def follow_ups(rows: list[FollowUpRow], today: date, days: int = DUE_DAYS) -> tuple[list[FollowUp], list[FollowUp]]:
    """The overdue follow-ups (most overdue first) and those due within `days` (soonest first)."""
    last = horizon(today, days)
    overdue: list[FollowUp] = []
    due: list[FollowUp] = []
    for row in rows:
        day = _day(row.follow_up)
        if day is None or day > last:
            continue
        item = FollowUp(row.record_id, row.title, row.case_code, day, (day - today).days)
        (overdue if day < today else due).append(item)
    overdue.sort(key=lambda f: (f.follow_up, f.record_id))
    due.sort(key=lambda f: (f.follow_up, f.record_id))
    return overdue, due


def _same_person(one: str, other: str) -> bool:
    return one.strip().casefold() == other.strip().casefold()


def open_requests(rows: list[RequestRow], me: str, today: date) -> tuple[list[OpenRequest], list[OpenRequest]]:
    """The open requests `me` asked (oldest first) and those asked of `me` as a supervisor (urgent
    first, then oldest), each with its age in whole days."""
    mine: list[OpenRequest] = []
    to_me: list[OpenRequest] = []
    for row in rows:
        asked = _day(row.requested_at)
        age = (today - asked).days if asked is not None else 0
        item = OpenRequest(
            row.record_id, row.title, row.case_code, row.whom, row.requested_by, row.requested_at, age, row.urgent
        )
        if _same_person(row.requested_by, me):
            mine.append(item)
        if row.kind == "supervisor" and _same_person(row.whom, me):
            to_me.append(item)
    mine.sort(key=lambda r: (r.requested_at, r.record_id))
    to_me.sort(key=lambda r: (not r.urgent, r.requested_at, r.record_id))
    return mine, to_me


def due_work(follow_up_rows: list[FollowUpRow], request_rows: list[RequestRow], me: str, today: date) -> DueWork:
    overdue, due = follow_ups(follow_up_rows, today)
    mine, to_me = open_requests(request_rows, me, today)
    return DueWork(today, overdue, due, mine, to_me)
