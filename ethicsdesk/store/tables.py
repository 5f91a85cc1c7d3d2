"""The tables: the event log (the source of truth) and the current-state projection of each record.

Table models in SQLModel do not validate on construction, so the ranges that matter (scores -2..2,
weights 0..3, kinds) are CHECK constraints here as well as checks in the service.
"""

from __future__ import annotations

from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, Index, MetaData, Table, UniqueConstraint, insert
from sqlmodel import Field, SQLModel

from ethicsdesk.store.dbapi import rows_of

# A naming convention makes constraint names stable, which alembic's batch mode on SQLite needs.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def core_table(model: type[SQLModel]) -> Table:
    """The Core table of a table model, for plain Core statements (without the ORM's bulk-persistence
    layer: about 15x the ORM's insert rate)."""
    # SQLAlchemy sets __table__ on every table model; SQLModel's type hints do not declare it.
    return model.__table__  # type: ignore[attr-defined]


@cache
def _defaulted(table: Table) -> frozenset[str]:
    return frozenset(c.name for c in table.columns if c.default is not None)


def insert_all(session: Any, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """`rows` into the model's table in one executemany through the driver: the Core insert turned
    every row's parameters over in Python, a sixth of an import of small files. Rows that leave out a
    column with a default, or differ in their columns, go through the Core insert, which fills it in."""
    table = core_table(model)
    if not rows:
        return
    names = list(rows[0])
    given = rows[0].keys()
    values = _values_of(rows, names) if _defaulted(table) <= given else None
    if values is None:
        session.execute(insert(table), rows)
        return
    quoted = ", ".join(f'"{n}"' for n in names)  # "user" and "key" are words of SQL
    sql = f"INSERT INTO {table.name} ({quoted}) VALUES ({', '.join('?' for _ in names)})"
    rows_of(session).run_many(sql, values)


def _values_of(rows: list[dict[str, Any]], names: list[str]) -> list[tuple[Any, ...]] | None:
    """Each row's values in the order of `names`, or None if a row has other columns than those. A row
    of as many columns that holds every name holds those columns and no other (a comparison of key sets
    a row cost more than the values' tuple)."""
    count = len(names)
    if any(len(r) != count for r in rows):
        return None
    if count == 1:  # itemgetter of one name gives the value, not a tuple
        return [(r[names[0]],) for r in rows] if all(names[0] in r for r in rows) else None
    values_in_order = itemgetter(*names)
    try:
        return [values_in_order(r) for r in rows]
    except KeyError:
        return None


class RecordRow(SQLModel, table=True):
    __tablename__ = "records"
    __table_args__ = (
        CheckConstraint("kind IN ('case', 'training')", name="kind"),
        Index("ix_records_kind_updated", "kind", "updated_at"),
        Index("ix_records_status", "status"),
        # the agency's counts (store/insight_queries.py) read the case records from this index alone
        Index("ix_records_kind_created", "kind", "created_at", "created_by", "id"),
    )
    id: str = Field(primary_key=True, max_length=32)
    kind: str = Field(max_length=16)
    title: str = ""
    case_code: str = ""
    status: str = Field(max_length=32)
    step: str = Field(max_length=32)
    framework: str = Field(max_length=64)
    framework_version: str = Field(max_length=32)
    sample_id: str | None = None
    source: str | None = None
    created_at: str
    created_by: str
    updated_at: str
    updated_by: str
    event_count: int
    head_hash: str = Field(max_length=64)


class EventRow(SQLModel, table=True):
    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("record_id", "seq", name="record_seq"),
        CheckConstraint("seq >= 1", name="seq_positive"),
    )
    id: int | None = Field(default=None, primary_key=True)
    record_id: str = Field(foreign_key="records.id", max_length=32)
    seq: int
    type: str = Field(max_length=64)
    actor: str
    actor_role: str = ""
    at: str
    payload: str  # canonical JSON, exactly the bytes the hash covers
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class TextRow(SQLModel, table=True):
    __tablename__ = "record_texts"
    __table_args__ = (ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),)
    record_id: str = Field(primary_key=True, max_length=32)
    name: str = Field(primary_key=True, max_length=32)
    value: str


class ListItemRow(SQLModel, table=True):
    __tablename__ = "record_list_items"
    __table_args__ = (ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),)
    record_id: str = Field(primary_key=True, max_length=32)
    name: str = Field(primary_key=True, max_length=32)
    position: int = Field(primary_key=True)
    value: str


class StakeholderRow(SQLModel, table=True):
    __tablename__ = "stakeholders"
    __table_args__ = (ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),)
    record_id: str = Field(primary_key=True, max_length=32)
    position: int = Field(primary_key=True)
    name: str
    interest: str = ""


class OptionRow(SQLModel, table=True):
    __tablename__ = "options"
    __table_args__ = (ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),)
    record_id: str = Field(primary_key=True, max_length=32)
    key: str = Field(primary_key=True, max_length=64)
    position: int
    label: str
    description: str = ""


class CellRow(SQLModel, table=True):
    """One cell of the weighing matrix: an option against a principle."""

    __tablename__ = "cells"
    __table_args__ = (
        ForeignKeyConstraint(["record_id", "option_key"], ["options.record_id", "options.key"], ondelete="CASCADE"),
        CheckConstraint("score IS NULL OR (score BETWEEN -2 AND 2)", name="score_range"),
    )
    record_id: str = Field(primary_key=True, max_length=32)
    option_key: str = Field(primary_key=True, max_length=64)
    principle: str = Field(primary_key=True, max_length=64)
    score: int | None = None
    note: str = ""


class WeightRow(SQLModel, table=True):
    __tablename__ = "weights"
    __table_args__ = (
        ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),
        CheckConstraint("weight BETWEEN 0 AND 3", name="weight_range"),
    )
    record_id: str = Field(primary_key=True, max_length=32)
    principle: str = Field(primary_key=True, max_length=64)
    weight: int


class PriorityRow(SQLModel, table=True):
    __tablename__ = "priorities"
    __table_args__ = (ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),)
    record_id: str = Field(primary_key=True, max_length=32)
    position: int = Field(primary_key=True)
    principle: str = Field(max_length=64)


class ObligationRow(SQLModel, table=True):
    __tablename__ = "obligations"
    __table_args__ = (
        ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),
        Index("ix_obligations_obligation", "obligation_id", "record_id"),  # counted by obligation, in order
    )
    record_id: str = Field(primary_key=True, max_length=32)
    obligation_id: str = Field(primary_key=True, max_length=64)
    position: int


class FloorCheckRow(SQLModel, table=True):
    """Whether an option honours a legal-floor duty, as the case manager judged it."""

    __tablename__ = "floor_checks"
    __table_args__ = (
        ForeignKeyConstraint(["record_id", "option_key"], ["options.record_id", "options.key"], ondelete="CASCADE"),
    )
    record_id: str = Field(primary_key=True, max_length=32)
    obligation_id: str = Field(primary_key=True, max_length=64)
    option_key: str = Field(primary_key=True, max_length=64)
    honours: bool


class DecisionRow(SQLModel, table=True):
    __tablename__ = "decisions"
    __table_args__ = (
        ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),
        Index("ix_decisions_follow_up", "follow_up"),  # the follow-ups overdue, without every record
    )
    record_id: str = Field(primary_key=True, max_length=32)
    chosen: str | None = None
    rationale: str = ""
    mitigation: str = ""
    follow_up: str = ""


class AnswerRow(SQLModel, table=True):
    """Answers to the decision checks (justifications, tests of the action, SURE)."""

    __tablename__ = "answers"
    __table_args__ = (
        ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),
        Index("ix_answers_question", "question"),  # the ratings' levels, without every record
    )
    record_id: str = Field(primary_key=True, max_length=32)
    question: str = Field(primary_key=True, max_length=128)
    value: str


class ConsultationRow(SQLModel, table=True):
    __tablename__ = "consultations"
    __table_args__ = (ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),)
    record_id: str = Field(primary_key=True, max_length=32)
    supervisor: str
    question: str = ""
    urgent: bool = False
    requested_by: str
    requested_at: str
    state: str = Field(max_length=16)
    outcome: str = ""
    notes: str = ""
    conditions: str = ""
    answered_by: str = ""
    answered_at: str = ""
    # schema 0006: whom, from which step, and who wrote in an answer not given by a user
    kind: str = Field(default="supervisor", max_length=16)
    step: str = Field(default="consult", max_length=32)
    number: int = 0
    recorded_by: str = ""


class StepConsultationRow(SQLModel, table=True):
    """Consultations asked from a step of the walk before sign-off (schema 0006), numbered 1, 2, …"""

    __tablename__ = "step_consultations"
    __table_args__ = (ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),)
    record_id: str = Field(primary_key=True, max_length=32)
    number: int = Field(primary_key=True)
    supervisor: str
    question: str = ""
    urgent: bool = False
    requested_by: str
    requested_at: str
    state: str = Field(max_length=16)
    outcome: str = ""
    notes: str = ""
    conditions: str = ""
    answered_by: str = ""
    answered_at: str = ""
    kind: str = Field(default="supervisor", max_length=16)
    step: str = Field(max_length=32)
    recorded_by: str = ""


class SignatureRow(SQLModel, table=True):
    __tablename__ = "signatures"
    __table_args__ = (ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),)
    record_id: str = Field(primary_key=True, max_length=32)
    signer: str
    role: str = ""
    at: str
    signed_head: str = Field(max_length=64)
    public_key: str
    fingerprint: str = Field(max_length=64)
    signature: str


class AddendumRow(SQLModel, table=True):
    __tablename__ = "addenda"
    __table_args__ = (ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),)
    record_id: str = Field(primary_key=True, max_length=32)
    position: int = Field(primary_key=True)
    topic: str = Field(max_length=32)
    reason: str = ""
    text: str
    author: str
    at: str


class SigningKeyRow(SQLModel, table=True):
    """A user's public signing key, so that anyone with the database can verify their signatures."""

    __tablename__ = "signing_keys"
    fingerprint: str = Field(primary_key=True, max_length=64)
    user: str
    public_key: str
    created_at: str


class CursorRow(SQLModel, table=True):
    """Where a user left a record in the walk. Navigation, not reasoning: kept out of the log."""

    __tablename__ = "cursors"
    __table_args__ = (ForeignKeyConstraint(["record_id"], ["records.id"], ondelete="CASCADE"),)
    record_id: str = Field(primary_key=True, max_length=32)
    user: str = Field(primary_key=True)
    step: str = Field(max_length=32)
    field: str = ""


class UserRow(SQLModel, table=True):
    """The people of a shared database and their roles; a supervisor manages them."""

    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('case manager', 'supervisor', 'trainer')", name="role"),)
    name: str = Field(primary_key=True)
    role: str = Field(max_length=16)
    created_at: str
    created_by: str
    updated_at: str
    updated_by: str


class TombstoneRow(SQLModel, table=True):
    """What is left of a record disposed of on a retention schedule (`ethicsdesk purge`): who, when,
    why, and the head its chain had, so verify can tell a recorded deletion from a hidden one."""

    __tablename__ = "tombstones"
    record_id: str = Field(primary_key=True, max_length=32)
    kind: str = Field(max_length=16)
    event_count: int
    head_hash: str = Field(max_length=64)
    purged_at: str
    purged_by: str
    purged_role: str = ""
    reason: str
    public_key: str = ""  # the purger's signature over the tombstone, when they have a key
    fingerprint: str = Field(default="", max_length=64)
    signature: str = ""
    hashes: str = ""  # every event hash, in order, space-separated: matched against a checkpoint


class DatabaseMetaRow(SQLModel, table=True):
    """Facts about the database itself: its id, which a checkpoint names (schema 0005)."""

    __tablename__ = "database_meta"
    name: str = Field(primary_key=True, max_length=64)
    value: str


class TrustedKeyRow(SQLModel, table=True):
    """PostgreSQL only: the supervisors' keys the agency trusts; only the administrator role may add
    one (grants by `ethicsdesk db init`). On SQLite the trusted keys are a file (trusted_keys.py)."""

    __tablename__ = "trusted_keys"
    fingerprint: str = Field(primary_key=True, max_length=64)
    name: str
    public_key: str
    added_at: str
    added_by: str
    replaces: str = ""


class RoleChangeRow(SQLModel, table=True):
    """PostgreSQL only: every change to `users`, written by a server trigger with the login that
    made it, so a role cannot change without a trace."""

    __tablename__ = "role_changes"
    id: int | None = Field(default=None, primary_key=True)
    name: str
    old_role: str
    new_role: str
    changed_by: str
    changed_at: str


# The tables of a record's current state under `records`, each row naming its record.
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
    StepConsultationRow,
    TextRow,
    WeightRow,
    OptionRow,  # last: cells and floor checks refer to it
)
