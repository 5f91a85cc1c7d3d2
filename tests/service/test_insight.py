"""`insight` on a generated database, on SQLite and PostgreSQL: every figure checked against counts
the test computes itself from what it generated, and the small counts suppressed."""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter
from datetime import date
from typing import Any

import pytest

from ethicsdesk.domain.quality import RATING_DOMAINS
from ethicsdesk.service import Service
from ethicsdesk.service.records import Clock
from ethicsdesk.service.review import RatingInput
from ethicsdesk.settings import User
from tests.conftest import CASE_MANAGER

TODAY = date(2026, 12, 7)
MONTHS = ("2026-09", "2026-10", "2026-11")
OBLIGATIONS = ("confidentiality", "capacity", "duty-to-warn", "dual-relationship", "informed-consent")
OUTCOMES = ("concur", "concur-with-changes", "do-not-concur")
SUPERVISOR = User("Dana Lee", "supervisor")
COLLEAGUE = User("Sam Roe", "case manager")


class SetClock(Clock):
    """The time the test sets, and counted ids."""

    def __init__(self) -> None:
        self.at = "2026-09-01T00:00:00.000000Z"
        self._ids = itertools.count(1)

    def now(self) -> str:
        return self.at

    def new_id(self) -> str:
        return f"ins{next(self._ids):07d}"


@pytest.fixture
def clock() -> Clock:
    return SetClock()


def _at(day: date, hours: float = 0.0) -> str:
    whole = int(hours)
    minutes = round((hours - whole) * 60)
    return f"{day.isoformat()}T{whole:02d}:{minutes:02d}:00.000000Z"


def _nearest_rank(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[math.ceil(p * len(ordered)) - 1]


def _generate(service: Service, db_url: str, clock: SetClock) -> list[dict]:
    """About forty case records across three months, by two case managers; the truth of each."""
    rng = random.Random(27)
    colleague = Service.open(db_url, COLLEAGUE, clock)
    supervisor = Service.open(db_url, SUPERVISOR, clock)
    truth: list[dict] = []
    try:
        for n in range(42):
            month = MONTHS[n % 3]
            day = date.fromisoformat(f"{month}-{1 + n % 20:02d}")
            who = service if n % 4 else colleague
            clock.at = _at(day, 9)
            rid = who.editing.create_record(f"Generated {n}", case_code=f"G-{n}")
            ticked = rng.sample(OBLIGATIONS, rng.randint(0, 3))
            for oid in ticked:
                who.editing.set_obligation(rid, oid, True)
            row: dict[str, Any] = {"id": rid, "owner": who.user.name, "month": month, "obligations": ticked}
            row["follow_up"] = rng.choice(["2026-12-01", "2026-12-06", "2026-12-07", "2027-01-10", ""])
            if row["follow_up"]:
                who.editing.decide(rid, "follow_up", row["follow_up"])
            row["outcome_recorded"] = rng.random() < 0.3
            if row["outcome_recorded"]:
                who.editing.set_text(rid, "outcome", "It went as planned.")
            if rng.random() < 0.75:
                clock.at = _at(day, 10)
                who.editing.request_consultation(rid, SUPERVISOR.name, "What do you advise?")
                row["requested"] = (month, day)
                if rng.random() < 0.8:
                    hours = rng.randint(1, 300) + 0.5
                    answered = date.fromordinal(day.toordinal() + int((10 + hours) // 24))
                    clock.at = _at(answered, (10 + hours) % 24)
                    row["answered"] = (clock.at[:7], hours, rng.choice(OUTCOMES))
                    # about half the answers come with a rating of the rationale, its level at random
                    rating = None
                    if rng.random() < 0.5:
                        row["level"] = rng.randint(1, 4)
                        rating = RatingInput(dict.fromkeys(RATING_DOMAINS, "partly"), row["level"])
                    supervisor.review.answer_consultation(rid, row["answered"][2], "My reasons.", rating=rating)
            truth.append(row)
    finally:
        colleague.close()
        supervisor.close()
    return truth


def _expected(truth: list[dict], owner: str | None) -> dict:
    rows = [r for r in truth if owner is None or r["owner"] == owner]
    answered = [r["answered"] for r in rows if "answered" in r]
    hours_by_month: dict[str, list[float]] = {}
    for month, hours, _ in answered:
        hours_by_month.setdefault(month, []).append(hours)
    return {
        "opened": Counter(r["month"] for r in rows),
        "requested": Counter(r["requested"][0] for r in rows if "requested" in r),
        "answered": {m: len(h) for m, h in hours_by_month.items()},
        "median": {m: _nearest_rank(h, 0.5) for m, h in hours_by_month.items()},
        "p90": {m: _nearest_rank(h, 0.9) for m, h in hours_by_month.items()},
        "outcomes": Counter(a[2] for a in answered),
        "levels": Counter(r["level"] for r in rows if "level" in r),
        "obligations": Counter(o for r in rows for o in r["obligations"]),
        "overdue": sum(1 for r in rows if "" < r["follow_up"] < TODAY.isoformat() and not r["outcome_recorded"]),
        "open": sum(1 for r in rows if "requested" in r and "answered" not in r),
    }


def _check(service: Service, expected: dict) -> None:
    found = service.insight(today=TODAY)
    months = {m.month: m for m in found.figures.months}
    assert {m: r.opened for m, r in months.items() if r.opened} == dict(expected["opened"])
    assert {m: r.requested for m, r in months.items() if r.requested} == dict(expected["requested"])
    assert {m: r.answered for m, r in months.items() if r.answered} == expected["answered"]
    for m, median in expected["median"].items():
        assert months[m].median_hours == pytest.approx(median, abs=0.02)
        assert months[m].p90_hours == pytest.approx(expected["p90"][m], abs=0.02)
    assert found.figures.outcomes == dict(expected["outcomes"])
    assert found.figures.rating_levels == dict(expected["levels"])
    assert found.figures.obligations == dict(expected["obligations"])
    assert found.figures.overdue == expected["overdue"]
    # every open request was asked in September to November: older than 8 days on 7 December
    assert sum(found.figures.open_by_age.values()) == expected["open"]
    assert found.figures.open_by_age["0-2 days"] == found.figures.open_by_age["3-7 days"] == 0


def test_insight_matches_counts_computed_from_what_was_generated(service: Service, db_url: str, clock: Clock) -> None:
    assert isinstance(clock, SetClock)
    truth = _generate(service, db_url, clock)
    _check(service, _expected(truth, CASE_MANAGER.name))  # a case manager sees their own
    supervisor = Service.open(db_url, SUPERVISOR, clock)
    try:
        _check(supervisor, _expected(truth, None))  # a supervisor sees everyone's
    finally:
        supervisor.close()


def test_small_counts_read_under_five_and_a_few_answers_give_no_time(service: Service, clock: Clock) -> None:
    assert isinstance(clock, SetClock)
    clock.at = "2026-11-02T09:00:00.000000Z"
    rid = service.editing.create_record("One rare dilemma", case_code="R-1")
    service.editing.set_obligation(rid, "duty-to-warn", True)
    shown = service.insight(today=TODAY).to_json()
    assert shown["scope"] == "own"
    assert shown["months"] == [
        {
            "month": "2026-11",
            "records_opened": "<5",
            "consultations_requested": "<5",
            "consultations_answered": "<5",
            "answer_hours_median": None,
            "answer_hours_p90": None,
        }
    ]
    (named,) = shown["obligations"]
    assert (named["id"], named["kind"], named["records"]) == ("duty-to-warn", "legal floor", "<5")
    assert shown["follow_ups_overdue"] == "<5"
    # nothing a user wrote, and no record's id, is in the figures
    text = repr(shown)
    assert "rare" not in text and rid not in text and "R-1" not in text


def test_since_leaves_out_what_came_before(service: Service, clock: Clock) -> None:
    assert isinstance(clock, SetClock)
    for month in ("2026-09", "2026-11"):
        clock.at = f"{month}-03T09:00:00.000000Z"
        service.editing.create_record(f"In {month}")
    found = service.insight(since=date(2026, 10, 1), today=TODAY)
    assert [(m.month, m.opened) for m in found.figures.months] == [("2026-11", 1)]


def test_a_case_manager_with_few_of_the_records_sees_their_own_counted(
    service: Service, db_url: str, clock: Clock
) -> None:
    """The colleague owns a quarter of the records: their obligations are counted from their own
    records, where the owner of most are counted as every row less the others' (store/insight_queries.py)."""
    assert isinstance(clock, SetClock)
    truth = _generate(service, db_url, clock)
    colleague = Service.open(db_url, COLLEAGUE, clock)
    try:
        expected = _expected(truth, COLLEAGUE.name)
        assert 0 < sum(expected["opened"].values()) * 2 < len(truth)
        _check(colleague, expected)
    finally:
        colleague.close()
