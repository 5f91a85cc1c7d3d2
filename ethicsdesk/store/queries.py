"""Read-side queries: lists, search and id look-up. Nothing here loads every record."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Select, or_, select, text
from sqlmodel import Session

from ethicsdesk.store.tables import CursorRow, RecordRow, TextRow


@dataclass(frozen=True)
class RecordSummary:
    id: str
    kind: str
    title: str
    case_code: str
    status: str
    step: str
    framework: str
    sample_id: str | None
    created_at: str
    created_by: str
    updated_at: str
    updated_by: str
    events: int
    head_hash: str


def _summary(row: RecordRow) -> RecordSummary:
    return RecordSummary(
        id=row.id,
        kind=row.kind,
        title=row.title,
        case_code=row.case_code,
        status=row.status,
        step=row.step,
        framework=row.framework,
        sample_id=row.sample_id,
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
        events=row.event_count,
        head_hash=row.head_hash,
    )


def fts_query(words: str) -> str | None:
    """User words as an FTS5 query: each word quoted (so no FTS syntax leaks in), prefix-matched."""
    tokens = re.findall(r"\w+", words)
    return " ".join(f'"{t}"*' for t in tokens) or None


def list_records(
    session: Session,
    *,
    kind: str | None = "case",
    status: str | None = None,
    search: str | None = None,
    sample_id: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> list[RecordSummary]:
    """Newest change first; `search` matches words in a record's text, options and stakeholders."""
    stmt: Select[tuple[RecordRow]] = select(RecordRow)
    if kind is not None:
        stmt = stmt.where(RecordRow.kind == kind)
    if status is not None:
        stmt = stmt.where(RecordRow.status == status)
    if sample_id is not None:
        stmt = stmt.where(RecordRow.sample_id == sample_id)
    if search and search.strip():
        if session.get_bind().dialect.name == "sqlite":
            query = fts_query(search)
            if query is None:
                return []
            ids = text("SELECT record_id FROM record_search WHERE record_search MATCH :q").bindparams(q=query)
            stmt = stmt.where(RecordRow.id.in_(ids.columns(record_id=RecordRow.id.type)))  # type: ignore[attr-defined]
        else:
            like = f"%{search.strip()}%"
            in_text = select(TextRow.record_id).where(TextRow.value.ilike(like))  # type: ignore[attr-defined]
            stmt = stmt.where(
                or_(RecordRow.title.ilike(like), RecordRow.case_code.ilike(like), RecordRow.id.in_(in_text))  # type: ignore[attr-defined]
            )
    stmt = stmt.order_by(RecordRow.updated_at.desc(), RecordRow.id).limit(limit).offset(offset)  # type: ignore[attr-defined]
    return [_summary(r) for r in session.scalars(stmt)]


def summary(session: Session, record_id: str) -> RecordSummary | None:
    row = session.get(RecordRow, record_id)
    return _summary(row) if row else None


def ids_with_prefix(session: Session, prefix: str, limit: int = 2) -> list[str]:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    stmt = select(RecordRow.id).where(RecordRow.id.like(f"{escaped}%", escape="\\")).limit(limit)  # type: ignore[attr-defined]
    return list(session.scalars(stmt))


def all_ids(session: Session) -> list[str]:
    return list(session.scalars(select(RecordRow.id).order_by(RecordRow.created_at, RecordRow.id)))  # type: ignore[arg-type]


def cursor(session: Session, record_id: str, user: str) -> tuple[str, str] | None:
    row = session.get(CursorRow, (record_id, user))
    return (row.step, row.field) if row else None


def save_cursor(session: Session, record_id: str, user: str, step: str, field: str) -> None:
    row = session.get(CursorRow, (record_id, user))
    if row is None:
        session.add(CursorRow(record_id=record_id, user=user, step=step, field=field))
    else:
        row.step, row.field = step, field
