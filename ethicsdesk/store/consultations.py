"""Consultation requests as a supervisor's queue reads them: the open ones, with their records."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from ethicsdesk.store.tables import ConsultationRow, RecordRow


def open_requests(session: Session) -> list[tuple[ConsultationRow, RecordRow]]:
    """Every request still awaiting an answer, urgent first, then oldest."""
    stmt = (
        select(ConsultationRow, RecordRow)
        .join(RecordRow, RecordRow.id == ConsultationRow.record_id)  # type: ignore[arg-type]
        .where(col(ConsultationRow.state) == "requested")
        .order_by(ConsultationRow.urgent.desc(), ConsultationRow.requested_at)  # type: ignore[attr-defined]
    )
    return [(c, r) for c, r in session.execute(stmt)]
