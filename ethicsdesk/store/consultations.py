"""Consultation requests as a supervisor's queue reads them: the open ones, with their records."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session, col

from ethicsdesk.store.tables import ConsultationRow, RecordRow, StepConsultationRow


def open_requests(session: Session) -> list[tuple[ConsultationRow | StepConsultationRow, RecordRow]]:
    """Every request still awaiting an answer: the sign-off requests, urgent first, then oldest, and
    after them those asked of a supervisor from a step before sign-off."""
    stmt = (
        select(ConsultationRow, RecordRow)
        .join(RecordRow, col(RecordRow.id) == col(ConsultationRow.record_id))
        .where(col(ConsultationRow.state) == "requested")
        .order_by(col(ConsultationRow.urgent).desc(), col(ConsultationRow.requested_at))
    )
    rows: list[tuple[ConsultationRow | StepConsultationRow, RecordRow]] = [(c, r) for c, r in session.execute(stmt)]
    step_stmt = (
        select(StepConsultationRow, RecordRow)
        .join(RecordRow, col(RecordRow.id) == col(StepConsultationRow.record_id))
        .where(col(StepConsultationRow.state) == "requested", col(StepConsultationRow.kind) == "supervisor")
    )
    rows += [(c, r) for c, r in session.execute(step_stmt)]
    return rows
