"""The current-state tables of a record, written from and read back into a `RecordState`.

Writing rewrites the record's rows wholesale: a record has tens of rows, so this costs a few
milliseconds and leaves one place that maps state to tables, which `verify` checks against the fold.
"""

from __future__ import annotations

from dataclasses import asdict
from dataclasses import fields as dataclass_fields
from typing import Any

from sqlalchemy import delete, insert, select, text, update
from sqlmodel import Session

from ethicsdesk.domain.record import Addendum, Consultation, Option, RecordState, Signature, Stakeholder
from ethicsdesk.store.tables import (
    AddendumRow,
    AnswerRow,
    CellRow,
    ConsultationRow,
    DecisionRow,
    FloorCheckRow,
    ListItemRow,
    ObligationRow,
    OptionRow,
    PriorityRow,
    RecordRow,
    SignatureRow,
    StakeholderRow,
    TextRow,
    WeightRow,
)

CHILD_TABLES = (
    AddendumRow,
    AnswerRow,
    CellRow,
    ConsultationRow,
    DecisionRow,
    FloorCheckRow,
    ListItemRow,
    ObligationRow,
    PriorityRow,
    SignatureRow,
    StakeholderRow,
    TextRow,
    WeightRow,
    OptionRow,  # last: cells and floor checks refer to it
)

# Parents before children: cells and floor checks refer to options.
WRITE_ORDER = tuple(t for t in reversed(CHILD_TABLES))

# Title and case code are columns of `records` (for lists and search); the rest of the text is rows.
_COLUMN_TEXTS = ("title", "case_code")


def projection_rows(state: RecordState, head_hash: str, step: str) -> dict[type, list[dict[str, Any]]]:
    """Every current-state row of a record, as plain dictionaries per table (parents first)."""
    rid = state.id
    rows: dict[type, list[dict[str, Any]]] = {t: [] for t in (RecordRow, *WRITE_ORDER)}
    rows[RecordRow].append(
        {
            "id": rid,
            "kind": state.kind,
            "title": state.title,
            "case_code": state.case_code,
            "status": state.status,
            "step": step,
            "framework": state.framework,
            "framework_version": state.framework_version,
            "sample_id": state.sample_id,
            "source": state.source,
            "created_at": state.created_at,
            "created_by": state.created_by,
            "updated_at": state.updated_at,
            "updated_by": state.updated_by,
            "event_count": state.events,
            "head_hash": head_hash,
        }
    )
    rows[TextRow] = [
        {"record_id": rid, "name": k, "value": v} for k, v in state.text.items() if v and k not in _COLUMN_TEXTS
    ]
    rows[ListItemRow] = [
        {"record_id": rid, "name": name, "position": i, "value": v}
        for name in ("tags", "identifiers")
        for i, v in enumerate(getattr(state, name))
    ]
    rows[StakeholderRow] = [
        {"record_id": rid, "position": i, "name": x.name, "interest": x.interest}
        for i, x in enumerate(state.stakeholders)
    ]
    rows[OptionRow] = [
        {"record_id": rid, "key": o.key, "position": i, "label": o.label, "description": o.description}
        for i, o in enumerate(state.options)
    ]
    cells = set(state.scores) | {k for k, v in state.notes.items() if v}
    rows[CellRow] = [
        {
            "record_id": rid,
            "option_key": o,
            "principle": p,
            "score": state.scores.get((o, p)),
            "note": state.notes.get((o, p), ""),
        }
        for (o, p) in sorted(cells)
    ]
    rows[WeightRow] = [{"record_id": rid, "principle": p, "weight": w} for p, w in state.weights.items()]
    rows[PriorityRow] = [{"record_id": rid, "position": i, "principle": p} for i, p in enumerate(state.priority)]
    rows[ObligationRow] = [
        {"record_id": rid, "obligation_id": o, "position": i} for i, o in enumerate(state.obligations)
    ]
    rows[FloorCheckRow] = [
        {"record_id": rid, "obligation_id": ob, "option_key": op, "honours": v}
        for (ob, op), v in state.floor_checks.items()
    ]
    if any(state.decision.values()):
        rows[DecisionRow] = [
            {
                "record_id": rid,
                "chosen": state.decision.get("chosen"),
                "rationale": state.decision.get("rationale", ""),
                "mitigation": state.decision.get("mitigation", ""),
                "follow_up": state.decision.get("follow_up", ""),
            }
        ]
    rows[AnswerRow] = [{"record_id": rid, "question": q, "value": v} for q, v in state.answers.items() if v]
    if state.consultation is not None:
        rows[ConsultationRow] = [{"record_id": rid, **asdict(state.consultation)}]
    if state.signature is not None:
        rows[SignatureRow] = [{"record_id": rid, **asdict(state.signature)}]
    rows[AddendumRow] = [{"record_id": rid, "position": i, **asdict(a)} for i, a in enumerate(state.addenda)]
    return rows


def insert_rows(session: Session, rows: dict[type, list[dict[str, Any]]]) -> None:
    """Core inserts, one per table (about 15x the ORM's rate: shared/STACK.md)."""
    for table in (RecordRow, *WRITE_ORDER):
        if rows.get(table):
            # the Table, not the ORM class: plain Core, without the ORM bulk-persistence layer
            session.execute(insert(table.__table__), rows[table])  # type: ignore[attr-defined]


def write_projection(session: Session, state: RecordState, head_hash: str, step: str) -> None:
    """Replace the record's current-state rows with those of `state`."""
    rows = projection_rows(state, head_hash, step)
    record = rows.pop(RecordRow)[0]
    exists = session.execute(select(RecordRow.id).where(RecordRow.id == state.id)).first()  # type: ignore[arg-type]
    if exists:
        session.execute(update(RecordRow).where(RecordRow.id == state.id).values(**record))  # type: ignore[arg-type]
        for table in CHILD_TABLES:
            session.execute(delete(table).where(table.record_id == state.id))  # type: ignore[attr-defined]
    else:
        session.execute(insert(RecordRow.__table__), [record])  # type: ignore[attr-defined]
    insert_rows(session, rows)
    _index_for_search(session, [state])


def search_body(state: RecordState) -> str:
    """The text a search looks through: the record's words, its options and its stakeholders."""
    parts = [v for v in state.text.values() if v]
    parts += [f"{o.label} {o.description}" for o in state.options]
    parts += [f"{s.name} {s.interest}" for s in state.stakeholders]
    parts += state.tags
    return "\n".join(parts)


def _index_for_search(session: Session, states: list[RecordState], *, new: bool = False) -> None:
    """Replace the records' entries in the FTS5 index, keyed by `records.rowid` (a lookup, not a
    scan: schema 0004). New records have no entry to replace."""
    if session.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL searches the tables themselves (see store/queries.py)
    rowids: dict[str, int] = {}
    ids = [x.id for x in states]
    for start in range(0, len(ids), 500):  # SQLite caps the number of bound parameters
        chunk = ids[start : start + 500]
        found = session.execute(select(RecordRow.id, text("records.rowid")).where(RecordRow.id.in_(chunk)))  # type: ignore[attr-defined]
        rowids.update({rid: rowid for rid, rowid in found})
    if not new:
        session.execute(text("DELETE FROM record_search WHERE rowid = :r"), [{"r": rowids[i]} for i in ids])
    session.execute(
        text("INSERT INTO record_search (rowid, kind, body) VALUES (:r, :kind, :body)"),
        [{"r": rowids[x.id], "kind": x.kind, "body": search_body(x)} for x in states],
    )


def write_new_projections(session: Session, items: list[tuple[RecordState, str, str]]) -> None:
    """Bulk: the projections of many new records (state, head hash, step) in one insert per table."""
    merged: dict[type, list[dict[str, Any]]] = {}
    for state, head_hash, step in items:
        for table, table_rows in projection_rows(state, head_hash, step).items():
            merged.setdefault(table, []).extend(table_rows)
    insert_rows(session, merged)
    _index_for_search(session, [state for state, _, _ in items], new=True)


def _fields(row: object, kind: type) -> dict[str, object]:
    """The row's values for the dataclass `kind` (the same names on both sides, by design)."""
    return {f.name: getattr(row, f.name) for f in dataclass_fields(kind)}


def read_projection(session: Session, record_id: str) -> tuple[RecordState, str] | None:
    """The record as the current-state tables hold it, with its head hash; None if there is none."""
    row = session.get(RecordRow, record_id)
    if row is None:
        return None
    s = RecordState(
        id=row.id,
        kind=row.kind,
        framework=row.framework,
        framework_version=row.framework_version,
        sample_id=row.sample_id,
        source=row.source,
        created_at=row.created_at,
        created_by=row.created_by,
        updated_at=row.updated_at,
        updated_by=row.updated_by,
        events=row.event_count,
    )
    if row.title:
        s.text["title"] = row.title
    if row.case_code:
        s.text["case_code"] = row.case_code

    def rows_of(table: type, *order: str) -> list:  # type: ignore[type-arg]
        # Core rows (attribute access like the ORM's, without building ORM objects): a record is read
        # twice per change, so this is on every key press (bench/).
        t = table.__table__  # type: ignore[attr-defined]
        stmt = select(t).where(t.c.record_id == record_id)
        stmt = stmt.order_by(*(t.c[o] for o in order)) if order else stmt
        return list(session.execute(stmt))

    for t in rows_of(TextRow, "name"):
        s.text[t.name] = t.value
    for item in rows_of(ListItemRow, "name", "position"):
        getattr(s, item.name).append(item.value)
    s.stakeholders = [Stakeholder(r.name, r.interest) for r in rows_of(StakeholderRow, "position")]
    s.options = [Option(r.key, r.label, r.description) for r in rows_of(OptionRow, "position")]
    for cell in rows_of(CellRow):
        if cell.score is not None:
            s.scores[(cell.option_key, cell.principle)] = cell.score
        if cell.note:
            s.notes[(cell.option_key, cell.principle)] = cell.note
    s.weights = {w.principle: w.weight for w in rows_of(WeightRow, "principle")}
    s.priority = [p.principle for p in rows_of(PriorityRow, "position")]
    s.obligations = [o.obligation_id for o in rows_of(ObligationRow, "position")]
    s.floor_checks = {(f.obligation_id, f.option_key): f.honours for f in rows_of(FloorCheckRow)}
    for d in rows_of(DecisionRow):
        s.decision = {
            k: v
            for k, v in (
                ("chosen", d.chosen),
                ("rationale", d.rationale),
                ("mitigation", d.mitigation),
                ("follow_up", d.follow_up),
            )
            if v
        }
    s.answers = {a.question: a.value for a in rows_of(AnswerRow)}
    for c in rows_of(ConsultationRow):
        s.consultation = Consultation(**_fields(c, Consultation))
    for g in rows_of(SignatureRow):
        s.signature = Signature(**_fields(g, Signature))
    s.addenda = [Addendum(**_fields(a, Addendum)) for a in rows_of(AddendumRow, "position")]
    return s, row.head_hash
