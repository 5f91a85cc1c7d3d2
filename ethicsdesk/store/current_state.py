"""A record read back from its current-state tables into a `RecordState` (plain SQL: store/dbapi.py;
the tables are written by store/projection.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from functools import cache
from operator import itemgetter
from typing import Any

from ethicsdesk.domain.quality import RATING_ROW_PREFIXES, TRAINING_RATING_ROW_PREFIX, rating_from_rows
from ethicsdesk.domain.record import Addendum, Consultation, Option, RecordState, Signature, Source, Stakeholder
from ethicsdesk.store.dbapi import first, rows_of

# The columns of `records` that are fields of a RecordState by the same name.
_STATE = (
    "id",
    "kind",
    "framework",
    "framework_version",
    "sample_id",
    "source",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
)
# What reads a record's child rows: (table, columns, order by) to the rows, as tuples of those columns.
ReadRows = Callable[..., list[tuple[Any, ...]]]

_RECORD = ", ".join((*_STATE, "event_count", "title", "case_code", "head_hash"))


@cache
def _names(kind: type) -> str:
    return ", ".join(f.name for f in fields(kind))


def read_projection(session: Any, record_id: str) -> tuple[RecordState, str] | None:
    """The record as the current-state tables hold it, with its head hash; None if there is none."""
    rows = rows_of(session)
    row = first(rows, f"SELECT {_RECORD} FROM records WHERE id = ?", [record_id])
    if row is None:
        return None

    def of(table: str, columns: str, order: str = "") -> list[tuple[Any, ...]]:
        sql = f"SELECT {columns} FROM {table} WHERE record_id = ?" + (f" ORDER BY {order}" if order else "")
        return rows.all(sql, [record_id])

    return state_from_rows(row, of)


def stored_head(session: Any, record_id: str) -> tuple[str, int] | None:
    """The head hash and event count the `records` row holds; None if there is no such row."""
    row = first(rows_of(session), "SELECT head_hash, event_count FROM records WHERE id = ?", [record_id])
    return (row[0], row[1]) if row is not None else None


def record_columns(record: dict[str, Any]) -> tuple[Any, ...]:
    """A `records` row given by column name, as `state_from_rows` takes it."""
    return tuple(record[c] for c in _RECORD.split(", "))


def _sql_order(value: Any) -> tuple[int, Any]:
    """Python's sort key for a value in SQLite's ORDER BY: NULL, then numbers, then text, then blobs
    (text by code point, as SQLite's BINARY collation orders UTF-8)."""
    if value is None:
        return (0, 0)
    if isinstance(value, bytes):
        return (3, value)
    if isinstance(value, str):
        return (2, value)
    return (1, value)


@cache
def _positions(names: tuple[str, ...], order: str, wanted: str) -> tuple[list[int], list[int]]:
    """Where the columns to sort by and the columns wanted are in a row of `names`."""
    keys = [names.index(k) for k in order.split(", ")] if order else []
    return keys, [names.index(n) for n in wanted.split(", ")]


def rows_reader(columns: dict[str, list[str]], stored: dict[str, list[tuple[Any, ...]]]) -> ReadRows:
    """A `ReadRows` over one record's child rows already read (`stored` by table name, each row in the
    order of that table's `columns`): what `read_projection` would select, in the same order, without
    a statement."""

    def of(table: str, wanted: str, order: str = "") -> list[tuple[Any, ...]]:
        found = stored.get(table, [])
        if not found:
            return []
        keys, at = _positions(tuple(columns[table]), order, wanted)
        if keys and len(found) > 1:
            try:  # values of one kind (the usual case) sort in Python as in SQL
                found = sorted(found, key=itemgetter(*keys))
            except TypeError:  # NULLs, or text where a number belongs: SQL's order of kinds
                found = sorted(found, key=lambda r: tuple(_sql_order(r[k]) for k in keys))
        if len(at) == 1:
            return [(r[at[0]],) for r in found]
        pick = itemgetter(*at)
        return [pick(r) for r in found]

    return of


def state_from_rows(row: tuple[Any, ...], of: ReadRows) -> tuple[RecordState, str]:
    """A record from its `records` row (the columns of `_RECORD`) and its child rows, read by `of`."""
    *columns, events, title, case_code, head_hash = row
    s = RecordState(**dict(zip(_STATE, columns, strict=True)), events=events)
    if title:
        s.text["title"] = title
    if case_code:
        s.text["case_code"] = case_code
    for name, value in of("record_texts", "name, value", "name"):
        s.text[name] = value
    for name, value in of("record_list_items", "name, value", "name, position"):
        if name == "sources":  # "kind:detail" (store/projection.py)
            kind, _, detail = value.partition(":")
            s.sources.append(Source(kind, detail))
        else:
            getattr(s, name).append(value)
    s.stakeholders = [Stakeholder(*r) for r in of("stakeholders", "name, interest", "position")]
    s.options = [Option(*r) for r in of("options", "key, label, description", "position")]
    for option, principle, score, note in of("cells", "option_key, principle, score, note"):
        if score is not None:
            s.scores[(option, principle)] = score
        if note:
            s.notes[(option, principle)] = note
    s.weights = dict(of("weights", "principle, weight", "principle"))
    s.priority = [p for (p,) in of("priorities", "principle", "position")]
    s.obligations = [o for (o,) in of("obligations", "obligation_id", "position")]
    # SQLite keeps booleans as 0 and 1
    s.floor_checks = {(o, p): bool(v) for o, p, v in of("floor_checks", "obligation_id, option_key, honours")}
    decision = ("chosen", "rationale", "mitigation", "follow_up")
    for values in of("decisions", ", ".join(decision)):
        s.decision = {k: v for k, v in zip(decision, values, strict=True) if v}
    answers: dict[str, str] = dict(of("answers", "question, value"))
    s.rating = rating_from_rows(answers)  # the rating's rows share the answers table (domain/quality.py)
    s.trainer_rating = rating_from_rows(answers, TRAINING_RATING_ROW_PREFIX)
    s.answers = {q: v for q, v in answers.items() if not q.startswith(RATING_ROW_PREFIXES)}
    for c in of("consultations", _names(Consultation)):
        s.consultation = Consultation(**dict(zip(_names(Consultation).split(", "), c, strict=True)))
        s.consultation.urgent = bool(s.consultation.urgent)
    for c in of("step_consultations", _names(Consultation), "number"):
        s.step_consultations.append(Consultation(**dict(zip(_names(Consultation).split(", "), c, strict=True))))
        s.step_consultations[-1].urgent = bool(s.step_consultations[-1].urgent)
    for g in of("signatures", _names(Signature)):
        s.signature = Signature(*g)
    s.addenda = [Addendum(*a) for a in of("addenda", _names(Addendum), "position")]
    return s, head_hash


def move_head(session: Any, state: RecordState, head_hash: str) -> None:
    """After an event that changes none of the record's content (an export): only the head, the
    count and the last change move; the other rows already say what the events give."""
    rows_of(session).run(
        "UPDATE records SET event_count = ?, head_hash = ?, updated_at = ?, updated_by = ? WHERE id = ?",
        [state.events, head_hash, state.updated_at, state.updated_by, state.id],
    )
