"""The current-state tables of a record, written from a `RecordState` (read back by
store/current_state.py).

A new record's rows are inserted; a change writes only what differs from the state it was made from
(`write_changes`): a score is one upsert of its cell, not a rewrite of the record's tens of rows. Both
go through `projection_rows`, the one place that maps state to tables, which `verify` checks against
the fold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import asdict
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlmodel import Session, col

from ethicsdesk.domain.quality import TRAINING_RATING_ROW_PREFIX, rating_rows
from ethicsdesk.domain.record import RecordState
from ethicsdesk.store import tables
from ethicsdesk.store.dbapi import Rows, first, rows_of
from ethicsdesk.store.tables import CHILD_TABLES, RecordRow, core_table, insert_all

# Parents before children: cells and floor checks refer to options.
WRITE_ORDER = tuple(t for t in reversed(CHILD_TABLES))


def _quoted(name: str) -> str:
    return f'"{name}"'  # "key" is a word of SQL


# Title and case code are columns of `records` (for lists and search); the rest of the text is rows.
_COLUMN_TEXTS = ("title", "case_code")


def projection_rows(state: RecordState, head_hash: str, step: str) -> dict[type, list[dict[str, Any]]]:
    """Every current-state row of a record, as plain dictionaries per table (parents first)."""
    rid = state.id
    rows: dict[type, list[dict[str, Any]]] = {t: [] for t in (RecordRow, *WRITE_ORDER)}
    rows[RecordRow].append(_record_row(state, head_hash, step))
    rows[tables.TextRow] = [
        {"record_id": rid, "name": k, "value": v} for k, v in state.text.items() if v and k not in _COLUMN_TEXTS
    ]
    rows[tables.ListItemRow] = [
        {"record_id": rid, "name": name, "position": i, "value": v}
        for name in ("tags", "identifiers")
        for i, v in enumerate(getattr(state, name))
    ]
    # Sources consulted are rows of the same list table, as "kind:detail" (a kind never
    # holds a colon): a list of short texts needs no table, and no migration, of its own.
    rows[tables.ListItemRow] += [
        {"record_id": rid, "name": "sources", "position": i, "value": f"{x.kind}:{x.detail}"}
        for i, x in enumerate(state.sources)
    ]
    rows[tables.StakeholderRow] = [
        {"record_id": rid, "position": i, "name": x.name, "interest": x.interest}
        for i, x in enumerate(state.stakeholders)
    ]
    rows.update(_weighing_rows(state))
    rows[tables.ObligationRow] = [
        {"record_id": rid, "obligation_id": o, "position": i} for i, o in enumerate(state.obligations)
    ]
    rows[tables.FloorCheckRow] = [
        {"record_id": rid, "obligation_id": ob, "option_key": op, "honours": v}
        for (ob, op), v in state.floor_checks.items()
    ]
    if any(state.decision.values()):
        rows[tables.DecisionRow] = [
            {
                "record_id": rid,
                "chosen": state.decision.get("chosen"),
                "rationale": state.decision.get("rationale", ""),
                "mitigation": state.decision.get("mitigation", ""),
                "follow_up": state.decision.get("follow_up", ""),
            }
        ]
    rows[tables.AnswerRow] = [{"record_id": rid, "question": q, "value": v} for q, v in state.answers.items() if v]
    if state.rating is not None:
        rows[tables.AnswerRow] += [
            {"record_id": rid, "question": q, "value": v} for q, v in rating_rows(state.rating).items()
        ]
    if state.trainer_rating is not None:
        rows[tables.AnswerRow] += [
            {"record_id": rid, "question": q, "value": v}
            for q, v in rating_rows(state.trainer_rating, TRAINING_RATING_ROW_PREFIX).items()
        ]
    if state.consultation is not None:
        rows[tables.ConsultationRow] = [{"record_id": rid, **asdict(state.consultation)}]
    rows[tables.StepConsultationRow] = [{"record_id": rid, **asdict(c)} for c in state.step_consultations]
    if state.signature is not None:
        rows[tables.SignatureRow] = [{"record_id": rid, **asdict(state.signature)}]
    rows[tables.AddendumRow] = [{"record_id": rid, "position": i, **asdict(a)} for i, a in enumerate(state.addenda)]
    return rows


def _record_row(state: RecordState, head_hash: str, step: str) -> dict[str, Any]:
    """The record's own row: what lists and searches read without the rest."""
    return {
        "id": state.id,
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


def record_row_matches(state: RecordState, head_hash: str, step: str, stored: dict[str, Any] | None) -> bool:
    """Whether `stored` (a `records` row by column name) is exactly the row `state` projects."""
    return stored is not None and stored == _record_row(state, head_hash, step)


def _weighing_rows(state: RecordState) -> dict[type, list[dict[str, Any]]]:
    """The options, the scored or noted cells, the weights and the priority order."""
    rid = state.id
    rows: dict[type, list[dict[str, Any]]] = {}
    rows[tables.OptionRow] = [
        {"record_id": rid, "key": o.key, "position": i, "label": o.label, "description": o.description}
        for i, o in enumerate(state.options)
    ]
    cells = set(state.scores) | {k for k, v in state.notes.items() if v}
    rows[tables.CellRow] = [
        {
            "record_id": rid,
            "option_key": o,
            "principle": p,
            "score": state.scores.get((o, p)),
            "note": state.notes.get((o, p), ""),
        }
        for (o, p) in sorted(cells)
    ]
    rows[tables.WeightRow] = [{"record_id": rid, "principle": p, "weight": w} for p, w in state.weights.items()]
    rows[tables.PriorityRow] = [{"record_id": rid, "position": i, "principle": p} for i, p in enumerate(state.priority)]
    return rows


def insert_rows(session: Session, rows: dict[type, list[dict[str, Any]]]) -> None:
    """One executemany per table (about 15x the ORM's rate, and more than the Core insert's)."""
    for table in (RecordRow, *WRITE_ORDER):
        if rows.get(table):
            insert_all(session, table, rows[table])


def write_projection(session: Session, state: RecordState, head_hash: str, step: str) -> None:
    """Replace the record's current-state rows with those of `state`."""
    rows = projection_rows(state, head_hash, step)
    record = rows.pop(RecordRow)[0]
    exists = session.execute(select(col(RecordRow.id)).where(col(RecordRow.id) == state.id)).first()
    if exists:
        session.execute(update(RecordRow).where(col(RecordRow.id) == state.id).values(**record))
        for table in CHILD_TABLES:
            session.execute(delete(table).where(col(table.record_id) == state.id))
    else:
        session.execute(insert(core_table(RecordRow)), [record])
    insert_rows(session, rows)
    _index_for_search(session, [state])


# Tables whose rows are keyed by the record and a name, so that a changed row is upserted on its key
# and a row gone is deleted by it: the others (positions, single rows) are rewritten whole when they
# change, which for them is a few rows.
_KEYED: dict[type, tuple[str, ...]] = {
    tables.CellRow: ("record_id", "option_key", "principle"),
    tables.WeightRow: ("record_id", "principle"),
    tables.TextRow: ("record_id", "name"),
    tables.AnswerRow: ("record_id", "question"),
}


def write_changes(session: Session, before: RecordState, after: RecordState, head_hash: str, step: str) -> None:
    """Write the rows of `after` that differ from those of `before` (the state the stored rows hold)."""
    dialect = session.get_bind().dialect.name
    old, new = projection_rows(before, head_hash, step), projection_rows(after, head_hash, step)
    if old[tables.OptionRow] != new[tables.OptionRow] or dialect not in ("sqlite", "postgresql"):
        # options are parents (deleting one cascades to its cells): rewrite the record wholesale
        write_projection(session, after, head_hash, step)
        return
    record = new.pop(RecordRow)[0]
    # through the driver: the ORM's update of this one row (its bulk-update and session-synchronising
    # layers) cost about a third of a score press's save (bench/); its columns are plain text and numbers
    names = tuple(n for n in record if n != "id")
    rows_of(session).run(_record_update(names), [*(record[n] for n in names), after.id])
    for table in CHILD_TABLES:
        if old[table] != new[table]:
            _write_table(session, table, old[table], new[table])
    if search_body(before) != search_body(after) or before.kind != after.kind:
        _index_for_search(session, [after])


def _write_table(session: Session, table: type, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> None:
    t = core_table(table)
    key = _KEYED.get(table)
    if key is None:
        record_id = (new or old)[0]["record_id"]
        session.execute(delete(t).where(t.c.record_id == record_id))
        if new:
            session.execute(insert(t), new)
        return
    by_key = {tuple(r[k] for k in key): r for r in new}
    gone = {tuple(r[k] for k in key) for r in old} - by_key.keys()
    rows = rows_of(session)
    if gone:
        rows.run_many(_keyed_delete(t.name, key), sorted(gone))
    changed = [r for r in new if r not in old]
    if changed:
        names = tuple(c.name for c in t.columns)
        rows.run_many(_keyed_upsert(t.name, names, key), [[r[n] for n in names] for r in changed])


# The records row and the keyed rows are written through the driver with SQL made once per table
# (SQLite and PostgreSQL both take `ON CONFLICT … DO UPDATE`): building SQLAlchemy's statements again
# for each save, and its parameter handling, cost more than the statements themselves on a score press.
@cache
def _record_update(names: tuple[str, ...]) -> str:
    return f"UPDATE {core_table(RecordRow).name} SET {', '.join(f'{_quoted(n)} = ?' for n in names)} WHERE id = ?"


@cache
def _keyed_delete(table: str, key: tuple[str, ...]) -> str:
    return f"DELETE FROM {table} WHERE {' AND '.join(f'{_quoted(k)} = ?' for k in key)}"


@cache
def _keyed_upsert(table: str, names: tuple[str, ...], key: tuple[str, ...]) -> str:
    rest = ", ".join(f"{_quoted(n)} = excluded.{_quoted(n)}" for n in names if n not in key)
    return (
        f"INSERT INTO {table} ({', '.join(_quoted(n) for n in names)}) VALUES ({', '.join('?' for _ in names)}) "
        f"ON CONFLICT ({', '.join(_quoted(k) for k in key)}) DO UPDATE SET {rest}"
    )


def search_body(state: RecordState) -> str:
    """The text a search looks through: the record's words, its options and its stakeholders."""
    parts = [v for v in state.text.values() if v]
    parts += [f"{o.label} {o.description}" for o in state.options]
    parts += [f"{s.name} {s.interest}" for s in state.stakeholders]
    parts += state.tags
    return "\n".join(parts)


def _index_for_search(session: Session, states: list[RecordState], *, new_after: int | None = None) -> None:
    """Replace the records' entries in the FTS5 index, keyed by `records.rowid` (a lookup, not a
    scan: schema 0004). Through the driver: SQLAlchemy turned each entry's parameters over in Python,
    a tenth of an import of small files.

    New records (`new_after`: the largest rowid before they were inserted, in this order, in this
    transaction) have no entry to replace, and their rowids are looked up only if SQLite did not number
    them on from there, as it does until the largest rowid is taken."""
    if session.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL searches the tables themselves (see store/queries.py)
    rows = rows_of(session)
    ids = [x.id for x in states]
    if new_after is not None and first(rows, "SELECT MAX(rowid) FROM records") == (new_after + len(ids),):
        rowids = {rid: new_after + n for n, rid in enumerate(ids, 1)}
    else:
        rowids = _rowids(rows, ids)
    if new_after is None:
        rows.run_many("DELETE FROM record_search WHERE rowid = ?", [(rowids[i],) for i in ids])
    rows.run_many(
        "INSERT INTO record_search (rowid, kind, body) VALUES (?, ?, ?)",
        [(rowids[x.id], x.kind, search_body(x)) for x in states],
    )


def _rowids(rows: Rows, ids: list[str]) -> dict[str, int]:
    rowids: dict[str, int] = {}
    for start in range(0, len(ids), 500):  # SQLite caps the number of bound parameters
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        rowids.update(rows.all(f"SELECT id, rowid FROM records WHERE id IN ({marks})", chunk))
    return rowids


def write_new_projections(session: Session, items: list[tuple[RecordState, str, str]]) -> None:
    """Bulk: the projections of many new records (state, head hash, step) in one insert per table."""
    merged: dict[type, list[dict[str, Any]]] = {table: [] for table in (RecordRow, *WRITE_ORDER)}
    for state, head_hash, step in items:
        for table, table_rows in projection_rows(state, head_hash, step).items():
            if table_rows:
                merged[table] += table_rows
    rows = rows_of(session)
    last = first(rows, "SELECT COALESCE(MAX(rowid), 0) FROM records") if rows.dialect == "sqlite" else None
    insert_rows(session, merged)
    _index_for_search(session, [state for state, _, _ in items], new_after=int(last[0]) if last else 0)


def rows_differing(session: Session, state: RecordState, head_hash: str, step: str) -> list[str]:
    """The child tables whose stored rows for the record are not exactly those its state projects."""

    def stored(t: Any) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in session.execute(select(t).where(t.c.record_id == state.id))]

    return tables_differing(state, head_hash, step, stored)


@cache
def _in_column_order(table: Any) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """A projected row (by column name) as a tuple in `table`'s column order."""
    names = [c.name for c in table.columns]
    if len(names) == 1:  # itemgetter of one name gives the value, not a tuple
        return lambda row: (row[names[0]],)
    return itemgetter(*names)


def _same_rows(found: list[tuple[Any, ...]], wanted: list[tuple[Any, ...]]) -> bool:
    """Whether two lists of rows hold the same rows, as multisets. Equal once sorted is the same
    multiset (each side is a permutation of its list), and sorting tuples costs far less than counting
    them; where the sort cannot decide (None beside a value, or unequal), counting does."""
    if found == wanted:
        return True
    try:
        if sorted(found) == sorted(wanted):
            return True
    except TypeError:
        pass
    return Counter(found) == Counter(wanted)


# Each child table with its Core table and the maker of its rows as tuples in column order, looked up
# once: `tables_differing` goes through them for every record that verify checks.
_CHILDREN = [(table, core_table(table), _in_column_order(core_table(table))) for table in CHILD_TABLES]


def tables_differing(
    state: RecordState, head_hash: str, step: str, stored: Callable[[Any], list[tuple[Any, ...]]]
) -> list[str]:
    """As `rows_differing`, with the record's stored rows of each child table (a Core `Table`, each
    row in its columns' order) given by `stored`: a batch read them all at once."""
    expected = projection_rows(state, head_hash, step)
    names = []
    for table, t, in_order in _CHILDREN:
        found, want = stored(t), expected[table]
        if not found and not want:
            continue
        if len(found) != len(want):
            names.append(t.name)
            continue
        # as multisets: the tables' order of rows is no part of what they say
        if not _same_rows(found, list(map(in_order, want))):
            names.append(t.name)
    return names
