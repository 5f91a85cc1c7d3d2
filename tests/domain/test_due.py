"""What comes due, judged against a day passed in: the edges of the week and of overdue."""

from __future__ import annotations

from datetime import date

from ethicsdesk.domain.due import FollowUpRow, RequestRow, due_work, follow_ups

TODAY = date(2026, 12, 7)


def _row(record_id: str, day: str) -> FollowUpRow:
    return FollowUpRow(record_id, f"title {record_id}", "C-1", day)


def test_a_follow_up_is_due_up_to_the_seventh_day_and_overdue_from_yesterday() -> None:
    rows = [
        _row("seven", "2026-12-14"),
        _row("eight", "2026-12-15"),
        _row("today", "2026-12-07"),
        _row("yesterday", "2026-12-06"),
        _row("prose", "after the discharge"),
    ]
    overdue, due = follow_ups(rows, TODAY)
    assert [(f.record_id, f.days) for f in overdue] == [("yesterday", -1)]
    assert [(f.record_id, f.days) for f in due] == [("today", 0), ("seven", 7)]


def test_the_boundary_moves_with_the_day_passed_in() -> None:
    rows = [_row("eight", "2026-12-15")]
    assert follow_ups(rows, TODAY) == ([], [])
    overdue, due = follow_ups(rows, date(2026, 12, 8))
    assert [f.days for f in due] == [7] and overdue == []
    overdue, due = follow_ups(rows, date(2026, 12, 16))
    assert [f.days for f in overdue] == [-1] and due == []


def test_requests_split_into_asked_by_me_and_asked_of_me_with_their_age() -> None:
    rows = [
        RequestRow("r1", "t", "", "Dana Lee", "supervisor", "Robin Ashdown", "2026-12-03T10:00:00.000000Z", False),
        RequestRow("r2", "t", "", "robin ashdown ", "supervisor", "Sam Roe", "2026-12-06T23:59:00.000000Z", False),
        RequestRow("r3", "t", "", "Robin Ashdown", "colleague", "Sam Roe", "2026-12-01T00:00:00.000000Z", True),
        RequestRow("r4", "t", "", "Robin Ashdown", "supervisor", "Sam Roe", "2026-12-05T00:00:00.000000Z", True),
    ]
    work = due_work([], rows, "Robin Ashdown", TODAY)
    assert [(r.record_id, r.age_days) for r in work.asked_by_me] == [("r1", 4)]
    # a colleague named like me is not a request to me as a supervisor; urgent first, then oldest
    assert [(r.record_id, r.age_days) for r in work.asked_of_me] == [("r4", 2), ("r2", 1)]
    assert work.to_json()["requests_to_me"][0]["urgent"] is True
