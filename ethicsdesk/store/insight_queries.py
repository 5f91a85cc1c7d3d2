"""The aggregates behind `insight` (domain/insight.py): counts and times computed by the database, in
SQL that runs on SQLite and PostgreSQL alike. Only the arithmetic on timestamps differs (SQLite's
julianday, PostgreSQL's interval), so it is the one expression chosen per dialect. Nothing here
returns an identifier or any text a user wrote: month labels, obligation ids, outcome codes, numbers.

Percentiles are nearest-rank (the smallest value whose rank is at least p·n), through window
functions both engines share, since SQLite has no percentile function.
"""

from __future__ import annotations

from typing import Any

from ethicsdesk.domain.insight import Aggregates, MonthRow
from ethicsdesk.domain.quality import RATING_ROW_PREFIX
from ethicsdesk.store.dbapi import Rows, rows_of
from ethicsdesk.store.due_work import OUTCOME_RECORDED

# Every consultation, the sign-off request and those asked from a step, as one relation.
_REQUESTS = (
    "(SELECT record_id, requested_at, answered_at, state, outcome FROM consultations "
    "UNION ALL SELECT record_id, requested_at, answered_at, state, outcome FROM step_consultations)"
)
# Open requests by age in whole days: the label of each band, and its upper bound (exclusive).
AGE_BANDS = (("0-2 days", 3), ("3-7 days", 8), ("8-30 days", 31), ("over 30 days", None))


def _hours(rows: Rows, start: str, end: str) -> str:
    if rows.dialect == "sqlite":
        return f"((julianday({end}) - julianday({start})) * 24.0)"
    return f"(EXTRACT(EPOCH FROM (CAST({end} AS timestamptz) - CAST({start} AS timestamptz))) / 3600.0)"


def _days_before(rows: Rows, start: str) -> str:
    """Whole days from the date of `start` to the day given as a parameter."""
    if rows.dialect == "sqlite":
        return f"CAST(julianday(?) - julianday(substr({start}, 1, 10)) AS INTEGER)"
    return f"(CAST(? AS date) - CAST(substr({start}, 1, 10) AS date))"


def _scope(owner: str | None) -> tuple[str, list[Any]]:
    return (" AND r.created_by = ?", [owner]) if owner is not None else ("", [])


def aggregates(session: Any, *, since: str, today: str, owner: str | None) -> Aggregates:
    """The figures since `since` (an ISO date; "" for all) as of `today`, over every case record, or
    only `owner`'s."""
    rows = rows_of(session)
    return Aggregates(
        months=_months(rows, since, owner),
        open_by_age=_open_by_age(rows, today, owner),
        overdue=_overdue(rows, today, owner),
        obligations=_obligations(rows, since, owner),
        outcomes=_outcomes(rows, since, owner),
        rating_levels=_rating_levels(rows, since, owner),
    )


def _per_month(rows: Rows, table: str, column: str, where: str, since: str, owner: str | None) -> dict[str, int]:
    scope, params = _scope(owner)
    sql = (
        f"SELECT substr(q.{column}, 1, 7), COUNT(*) FROM {table} q JOIN records r ON r.id = q.{_id(table)} "
        f"WHERE r.kind = 'case' AND q.{column} >= ?{where}{scope} GROUP BY substr(q.{column}, 1, 7)"
    )
    return {month: int(n) for month, n in rows.all(sql, [since, *params])}


def _id(table: str) -> str:
    return "id" if table == "records" else "record_id"


def _months(rows: Rows, since: str, owner: str | None) -> list[MonthRow]:
    opened = _per_month(rows, "records", "created_at", "", since, owner)
    asked = _per_month(rows, _REQUESTS, "requested_at", "", since, owner)
    scope, params = _scope(owner)
    sql = (
        f"WITH a AS (SELECT substr(q.answered_at, 1, 7) AS m, {_hours(rows, 'q.requested_at', 'q.answered_at')} AS h "
        f"FROM {_REQUESTS} q JOIN records r ON r.id = q.record_id "
        f"WHERE r.kind = 'case' AND q.state = 'answered' AND q.answered_at >= ?{scope}), "
        "ranked AS (SELECT m, h, ROW_NUMBER() OVER (PARTITION BY m ORDER BY h) AS rn, "
        "COUNT(*) OVER (PARTITION BY m) AS n FROM a) "
        "SELECT m, MAX(n), MIN(CASE WHEN rn * 2 >= n THEN h END), MIN(CASE WHEN rn * 10 >= n * 9 THEN h END) "
        "FROM ranked GROUP BY m"
    )
    answered = {m: (int(n), float(median), float(p90)) for m, n, median, p90 in rows.all(sql, [since, *params])}
    months = sorted(set(opened) | set(asked) | set(answered))
    return [
        MonthRow(m, opened.get(m, 0), asked.get(m, 0), *answered.get(m, (0, None, None)))
        for m in months
    ]


def _open_by_age(rows: Rows, today: str, owner: str | None) -> dict[str, int]:
    scope, params = _scope(owner)
    bands = " ".join(f"WHEN d < {upper} THEN '{label}'" for label, upper in AGE_BANDS if upper is not None)
    sql = (
        f"SELECT CASE {bands} ELSE '{AGE_BANDS[-1][0]}' END AS band, COUNT(*) FROM "
        f"(SELECT {_days_before(rows, 'q.requested_at')} AS d FROM {_REQUESTS} q JOIN records r ON r.id = q.record_id "
        f"WHERE r.kind = 'case' AND q.state = 'requested'{scope}) x GROUP BY 1"
    )
    found = {band: int(n) for band, n in rows.all(sql, [today, *params])}
    return {label: found.get(label, 0) for label, _ in AGE_BANDS}


def _overdue(rows: Rows, today: str, owner: str | None) -> int:
    scope, params = _scope(owner)
    sql = (
        "SELECT COUNT(*) FROM records r JOIN decisions d ON d.record_id = r.id "
        "WHERE r.kind = 'case' AND d.follow_up <> '' AND d.follow_up LIKE '____-__-__' AND d.follow_up < ? "
        f"AND NOT {OUTCOME_RECORDED}{scope}"
    )
    return int(rows.all(sql, [today, *params])[0][0])


def _obligations(rows: Rows, since: str, owner: str | None) -> dict[str, int]:
    """How many records (opened since `since`) name each obligation: a record names an obligation
    at most once (the table's key), so a plain count is the count of records, without DISTINCT's sort."""
    scope, params = _scope(owner)
    sql = (
        "SELECT o.obligation_id, COUNT(*) FROM obligations o JOIN records r ON r.id = o.record_id "
        f"WHERE r.kind = 'case' AND r.created_at >= ?{scope} GROUP BY o.obligation_id"
    )
    return {oid: int(n) for oid, n in rows.all(sql, [since, *params])}


def _outcomes(rows: Rows, since: str, owner: str | None) -> dict[str, int]:
    """How the consultations answered since `since` were answered (concur, with changes, do not concur)."""
    scope, params = _scope(owner)
    sql = (
        f"SELECT q.outcome, COUNT(*) FROM {_REQUESTS} q JOIN records r ON r.id = q.record_id "
        f"WHERE r.kind = 'case' AND q.state = 'answered' AND q.outcome <> '' AND q.answered_at >= ?{scope} "
        "GROUP BY q.outcome"
    )
    return {outcome: int(n) for outcome, n in rows.all(sql, [since, *params])}


def _rating_levels(rows: Rows, since: str, owner: str | None) -> dict[int, int]:
    """The overall level of each record's rated sign-off request (its rows share the answers table,
    domain/quality.py), over records opened since `since`."""
    scope, params = _scope(owner)
    sql = (
        "SELECT a.value, COUNT(*) FROM answers a JOIN records r ON r.id = a.record_id "
        f"WHERE r.kind = 'case' AND a.question = ? AND r.created_at >= ?{scope} GROUP BY a.value"
    )
    found = rows.all(sql, [RATING_ROW_PREFIX + "level", since, *params])
    return {int(level): int(n) for level, n in found if str(level).isdigit()}
