"""The rows behind "what comes due" (domain/due.py), in plain SQL that runs on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from ethicsdesk.domain.due import FollowUpRow, RequestRow
from ethicsdesk.store.dbapi import rows_of

# A follow-up is done once the outcome is recorded: the outcome text, or (on a signed record, which
# is frozen) an addendum on the outcome.
OUTCOME_RECORDED = (
    "(EXISTS (SELECT 1 FROM record_texts t WHERE t.record_id = r.id AND t.name = 'outcome' AND t.value <> '')"
    " OR EXISTS (SELECT 1 FROM addenda a WHERE a.record_id = r.id AND a.topic = 'outcome'))"
)


def pending_follow_ups(session: Any, owner: str, until: str) -> list[FollowUpRow]:
    """The follow-ups of `owner`'s case records dated `until` (an ISO date) or before, not yet done."""
    sql = (
        "SELECT r.id, r.title, r.case_code, d.follow_up FROM records r JOIN decisions d ON d.record_id = r.id "
        "WHERE r.kind = 'case' AND r.created_by = ? AND d.follow_up <> '' AND d.follow_up <= ? "
        f"AND NOT {OUTCOME_RECORDED} ORDER BY d.follow_up, r.id"
    )
    return [FollowUpRow(*row) for row in rows_of(session).all(sql, [owner, until])]


def open_requests(session: Any) -> list[RequestRow]:
    """Every consultation request still awaiting its answer, on case records: the sign-off requests
    and those asked from a step of the walk."""
    columns = "r.id, r.title, r.case_code, c.supervisor, c.kind, c.requested_by, c.requested_at, c.urgent"
    sql = (
        f"SELECT {columns} FROM consultations c JOIN records r ON r.id = c.record_id "
        "WHERE c.state = 'requested' AND r.kind = 'case' "
        f"UNION ALL SELECT {columns} FROM step_consultations c JOIN records r ON r.id = c.record_id "
        "WHERE c.state = 'requested' AND r.kind = 'case'"
    )
    return [
        RequestRow(rid, title, case_code, whom, kind, requested_by, requested_at, bool(urgent))
        for rid, title, case_code, whom, kind, requested_by, requested_at, urgent in rows_of(session).all(sql)
    ]
