"""The aggregates behind `insight` (domain/insight.py): counts and times computed by the database, in
SQL that runs on SQLite and PostgreSQL alike. Only the arithmetic on timestamps differs (SQLite's
julianday, PostgreSQL's interval), so it is the one expression chosen per dialect. Nothing here
returns an identifier or any text a user wrote: month labels, obligation ids, outcome codes, numbers.

Percentiles are nearest-rank (the smallest value whose rank is at least p·n), through window
functions both engines share, since SQLite has no percentile function.

Each query reads an index made for it (schema 0008): the case records by kind and creation time,
their id and author inside the index, so that neither the count of records opened nor the records
whose obligations are counted touch the records' rows; follow-ups by their date; answers by their
question. Where a join should start from the smaller side, it is written `CROSS JOIN ... WHERE`:
SQLite then keeps the order written (its planner, without statistics, would start from every case
record), and PostgreSQL, for which CROSS JOIN with a WHERE is an inner join, plans it as it will.
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
    months = _months(rows, since, owner)
    return Aggregates(
        months=months,
        open_by_age=_open_by_age(rows, today, owner),
        overdue=_overdue(rows, today, owner),
        obligations=_obligations(rows, since, owner, sum(m.opened for m in months)),
        outcomes=_outcomes(rows, since, owner),
        rating_levels=_rating_levels(rows, since, owner),
    )


def _per_month(rows: Rows, table: str, column: str, where: str, since: str, owner: str | None) -> dict[str, int]:
    scope, params = _scope(owner)
    sql = (
        f"SELECT substr(q.{column}, 1, 7), COUNT(*) FROM {table} q CROSS JOIN records r WHERE r.id = q.record_id "
        f"AND r.kind = 'case' AND q.{column} >= ?{where}{scope} GROUP BY substr(q.{column}, 1, 7)"
    )
    return {month: int(n) for month, n in rows.all(sql, [since, *params])}


def _next_month(rows: Rows, month: str) -> str:
    """The smallest text after every text that starts with `month` (seven characters, YYYY-MM): its
    last character one higher, so that `month <= t < _next_month` is exactly `substr(t, 1, 7) = month`."""
    char, code = ("char", "unicode") if rows.dialect == "sqlite" else ("chr", "ascii")
    return f"CAST(substr({month}, 1, 6) || {char}({code}(substr({month}, 7, 1)) + 1) AS TEXT)"


def _opened(rows: Rows, since: str, owner: str | None) -> dict[str, int]:
    """Case records opened per month, from the index on (kind, created_at, created_by) alone, a month
    at a time: the recursive part steps from each month to the first record after it (a seek, as
    MIN reads the index in order), and each month's records are counted within its bounds. Grouping
    every entry by its month instead sorted all of them (about 20 ms at 100,000 records, bench/)."""
    scope, params = _scope(owner)
    first = "SELECT substr(MIN(r.created_at), 1, 7) FROM records r WHERE r.kind = 'case' AND r.created_at >= "
    after = _next_month(rows, "months.m")
    # `lo`, where a month's count starts: `since` for the first month, else the end of the one before
    # (no record lies between that and the month's first)
    sql = (
        f"WITH RECURSIVE months(m, lo) AS (SELECT CAST(({first}?{scope}) AS TEXT), CAST(? AS TEXT) "
        f"UNION ALL SELECT CAST(({first}{after}{scope}) AS TEXT), {after} FROM months WHERE months.m IS NOT NULL) "
        "SELECT m, (SELECT COUNT(*) FROM records r WHERE r.kind = 'case' AND r.created_at >= lo "
        f"AND r.created_at < {_next_month(rows, 'm')}{scope}) FROM months WHERE m IS NOT NULL"
    )
    return {month: int(n) for month, n in rows.all(sql, [since, *params, since, *params, *params])}


def _months(rows: Rows, since: str, owner: str | None) -> list[MonthRow]:
    opened = _opened(rows, since, owner)
    asked = _per_month(rows, _REQUESTS, "requested_at", "", since, owner)
    scope, params = _scope(owner)
    sql = (
        f"WITH a AS (SELECT substr(q.answered_at, 1, 7) AS m, {_hours(rows, 'q.requested_at', 'q.answered_at')} AS h "
        f"FROM {_REQUESTS} q CROSS JOIN records r WHERE r.id = q.record_id "
        f"AND r.kind = 'case' AND q.state = 'answered' AND q.answered_at >= ?{scope}), "
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
        f"(SELECT {_days_before(rows, 'q.requested_at')} AS d FROM {_REQUESTS} q CROSS JOIN records r "
        f"WHERE r.id = q.record_id AND r.kind = 'case' AND q.state = 'requested'{scope}) x GROUP BY 1"
    )
    found = {band: int(n) for band, n in rows.all(sql, [today, *params])}
    return {label: found.get(label, 0) for label, _ in AGE_BANDS}


def _overdue(rows: Rows, today: str, owner: str | None) -> int:
    scope, params = _scope(owner)
    # from the follow-ups dated before today (their index), not from every case record
    sql = (
        "SELECT COUNT(*) FROM decisions d CROSS JOIN records r WHERE r.id = d.record_id "
        "AND r.kind = 'case' AND d.follow_up > '' AND d.follow_up LIKE '____-__-__' AND d.follow_up < ? "
        f"AND NOT {OUTCOME_RECORDED}{scope}"
    )
    return int(rows.all(sql, [today, *params])[0][0])


def _obligations(rows: Rows, since: str, owner: str | None, wanted: int) -> dict[str, int]:
    """How many records (opened since `since`) name each obligation: a record names an obligation
    at most once (the table's key), so a plain count is the count of records, without DISTINCT's sort.

    `wanted` is how many records count. When they are most of the records, every obligation row is
    counted (the index by obligation id, in order: no sort) less the rows of the records that do not
    count, which are then the few; a row always has its record (the foreign key), so the difference
    is exact. Otherwise the records that count are joined to their rows directly."""
    scope, params = _scope(owner)
    if wanted * 2 < int(rows.all("SELECT COUNT(*) FROM records")[0][0]):
        wanted_ids = f"SELECT r.id FROM records r WHERE r.kind = 'case' AND r.created_at >= ?{scope}"
        return _named(rows, wanted_ids, [since, *params])
    counts = {oid: int(n) for oid, n in rows.all("SELECT obligation_id, COUNT(*) FROM obligations GROUP BY 1")}
    for oid, n in _named(rows, _left_out(owner), [since, *([since, owner] if owner is not None else [])]).items():
        counts[oid] -= n
    return {oid: n for oid, n in counts.items() if n}


def _left_out(owner: str | None) -> str:
    """The ids of the records that do not count (not a case record, opened before `since`, or someone
    else's), as ranges of the index on (kind, created_at, created_by, id), which alone is read: those
    before the case records, those after, and the case records before `since`, each found by a seek
    rather than by reading every entry to test it; then, for one owner, the others' since `since`."""
    ranges = [
        "SELECT r.id FROM records r WHERE r.kind < 'case'",
        "SELECT r.id FROM records r WHERE r.kind > 'case'",
        "SELECT r.id FROM records r WHERE r.kind = 'case' AND r.created_at < ?",
    ]
    if owner is not None:
        ranges.append("SELECT r.id FROM records r WHERE r.kind = 'case' AND r.created_at >= ? AND r.created_by <> ?")
    return " UNION ALL ".join(ranges)


def _named(rows: Rows, which: str, params: list[Any]) -> dict[str, int]:
    """Obligation id -> how many of the records whose ids `which` selects name it."""
    sql = (
        f"SELECT o.obligation_id, COUNT(*) FROM ({which}) r CROSS JOIN obligations o WHERE o.record_id = r.id "
        "GROUP BY o.obligation_id"
    )
    return {oid: int(n) for oid, n in rows.all(sql, params)}


def _outcomes(rows: Rows, since: str, owner: str | None) -> dict[str, int]:
    """How the consultations answered since `since` were answered (concur, with changes, do not concur)."""
    scope, params = _scope(owner)
    sql = (
        f"SELECT q.outcome, COUNT(*) FROM {_REQUESTS} q CROSS JOIN records r WHERE r.id = q.record_id "
        f"AND r.kind = 'case' AND q.state = 'answered' AND q.outcome <> '' AND q.answered_at >= ?{scope} "
        "GROUP BY q.outcome"
    )
    return {outcome: int(n) for outcome, n in rows.all(sql, [since, *params])}


def _rating_levels(rows: Rows, since: str, owner: str | None) -> dict[int, int]:
    """The overall level of each record's rated sign-off request (its rows share the answers table,
    domain/quality.py), over records opened since `since`."""
    scope, params = _scope(owner)
    # from the rating rows (the answers' index by question), not from every case record
    sql = (
        "SELECT a.value, COUNT(*) FROM answers a CROSS JOIN records r WHERE r.id = a.record_id "
        f"AND r.kind = 'case' AND a.question = ? AND r.created_at >= ?{scope} GROUP BY a.value"
    )
    found = rows.all(sql, [RATING_ROW_PREFIX + "level", since, *params])
    return {int(level): int(n) for level, n in found if str(level).isdigit()}
