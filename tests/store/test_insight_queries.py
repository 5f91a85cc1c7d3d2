"""The statements behind `insight` (store/insight_queries.py), on each engine: records opened per month
counted a month at a time (across a year's end, a month ending in 9, gaps, a `since` inside a month,
one author's records among another's) and obligations counted as every row less the records left out,
each against counts the test makes itself; one statement for the months however many; and, on
SQLite, those two read the index on (kind, created_at, created_by, id) by its ranges alone."""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import Any

import pytest

from ethicsdesk.service import Service
from ethicsdesk.settings import User
from ethicsdesk.store import insight_queries
from ethicsdesk.store.dbapi import DriverRows, Params, SessionRows
from ethicsdesk.store.engine import open_database
from tests.conftest import CASE_MANAGER
from tests.service.test_insight import SetClock

COLLEAGUE = User("Sam Roe", "case manager")
TODAY = "2026-12-07"
# (day, author, obligations ticked): a year's end, a month ending in 9 (its successor's last character
# is ':'), months where only one of the two authors opened records, and several in one month
OPENED = (
    ("2025-11-30", CASE_MANAGER, ("confidentiality",)),
    ("2025-12-01", COLLEAGUE, ("capacity", "confidentiality")),
    ("2025-12-15", CASE_MANAGER, ()),
    ("2025-12-31", CASE_MANAGER, ("duty-to-warn",)),
    ("2026-01-01", CASE_MANAGER, ("confidentiality", "capacity")),
    ("2026-01-20", COLLEAGUE, ()),
    ("2026-09-09", CASE_MANAGER, ("informed-consent",)),
    ("2026-09-30", CASE_MANAGER, ("confidentiality",)),
    ("2026-10-01", COLLEAGUE, ("confidentiality",)),
    ("2026-11-12", CASE_MANAGER, ("dual-relationship", "capacity")),
)
SINCE = ("", "2025-12-15", "2026-01-01", "2026-09-10", "2027-01-01")
OWNERS = (None, CASE_MANAGER.name, COLLEAGUE.name, "Nobody")


def _generate(url: str) -> None:
    clock = SetClock()
    services = {u.name: Service.open(url, u, clock) for u in (CASE_MANAGER, COLLEAGUE)}
    try:
        for day, who, ticked in OPENED:
            clock.at = f"{day}T09:00:00.000000Z"
            service = services[who.name]
            rid = service.editing.create_record(f"Opened {day}")
            for oid in ticked:
                service.editing.set_obligation(rid, oid, True)
        # a training attempt, with the obligations its trainee ticked, is never counted
        clock.at = "2026-01-05T09:00:00.000000Z"
        trainee = services[CASE_MANAGER.name]
        attempt = trainee.training.start_training("discharge-against-advice")
        for oid in ("confidentiality", "capacity"):
            trainee.editing.set_obligation(attempt, oid, True)
    finally:
        for service in services.values():
            service.close()


def _expected(since: str, owner: str | None) -> tuple[dict[str, int], dict[str, int]]:
    rows = [(d, ticked) for d, who, ticked in OPENED if d >= since and owner in (None, who.name)]
    return dict(Counter(d[:7] for d, _ in rows)), dict(Counter(o for _, ticked in rows for o in ticked))


class Counted(SessionRows):
    """The store's statements on a SQLAlchemy connection, each kept."""

    def __init__(self, source: Any) -> None:
        super().__init__(source)
        self.statements: list[str] = []

    def all(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        self.statements.append(sql)
        return super().all(sql, params)


def test_months_and_obligations_match_counts_made_from_what_was_opened(db_url: str) -> None:
    _generate(db_url)
    db = open_database(db_url)
    try:
        with db.engine.connect() as conn:
            for since in SINCE:
                for owner in OWNERS:
                    rows = Counted(conn)
                    found = insight_queries.aggregates(rows, since=since, today=TODAY, owner=owner)
                    opened, obligations = _expected(since, owner)
                    assert {m.month: m.opened for m in found.months if m.opened} == opened, (since, owner)
                    assert found.obligations == obligations, (since, owner)
                    # the months are one statement however many there are (six at most here)
                    assert sum(sql.startswith("WITH RECURSIVE months") for sql in rows.statements) == 1
                    assert len(rows.statements) <= 11, rows.statements
    finally:
        db.dispose()


class Planned(DriverRows):
    """Each statement's plan on SQLite, kept beside it."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__(conn)
        self.plans: list[tuple[str, list[str]]] = []

    def all(self, sql: str, params: Params = ()) -> list[tuple[Any, ...]]:
        plan = [str(r[3]) for r in self.conn.execute("EXPLAIN QUERY PLAN " + sql, tuple(params))]
        self.plans.append((sql, plan))
        return super().all(sql, params)


@pytest.mark.sqlite_only
def test_months_and_the_records_left_out_are_read_from_the_index_by_ranges(db_url: str) -> None:
    _generate(db_url)
    conn = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    try:
        for owner in (None, CASE_MANAGER.name):
            rows = Planned(conn)
            insight_queries.aggregates(rows, since="", today=TODAY, owner=owner)
            months = next(plan for sql, plan in rows.plans if sql.startswith("WITH RECURSIVE months"))
            left_out = next(plan for sql, plan in rows.plans if "r.kind < 'case'" in sql)
            assert not any("TEMP B-TREE" in line for line in months), months
            for plan in (months, left_out):
                searches = [line for line in plan if line.startswith("SEARCH r ")]
                assert searches and all("COVERING INDEX ix_records_kind_created (kind" in s for s in searches), plan
            # the records of other kinds, and the case records before `since`, each found by a seek
            for bounds in ("(kind<?)", "(kind>?)", "(kind=? AND created_at<?)"):
                assert any(line.endswith(bounds) for line in left_out), left_out
    finally:
        conn.close()
