"""Moving records between databases (a case manager's SQLite file into the agency's PostgreSQL).

The events are copied exactly as they were written, hashes and all, and each record's current state
is rebuilt by folding them on the target: the copy proves itself with `verify`, never by trusting
the source's tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from ethicsdesk.domain.fold import fold
from ethicsdesk.domain.walk import step_reached
from ethicsdesk.errors import BadInput
from ethicsdesk.service.core import ServiceCore
from ethicsdesk.store import copies, eventlog, queries
from ethicsdesk.store.projection import write_projection


@dataclass(frozen=True)
class CopyReport:
    records: int
    events: int
    skipped: list[str]  # ids already on the target with the same head (a copy run twice)


def copy_database(source: ServiceCore, target: ServiceCore) -> CopyReport:
    """Copy every record with its events, the signing keys and the users; one transaction on the target.

    A record that exists on the target with another history is a conflict: nothing is written.
    """
    with source.db.reading() as s:
        ids = queries.all_ids(s)
        logs = {rid: eventlog.read(s, rid) for rid in ids}
        keys = copies.signing_keys(s)
        users = copies.users(s)
    copied_events, skipped = 0, []
    with target.db.writing() as t:
        for rid in ids:
            rows = logs[rid]
            existing = copies.head_hash(t, rid)
            if existing is not None:
                if rows and existing == rows[-1].hash:
                    skipped.append(rid)
                    continue
                raise BadInput(f"Record {rid} is already on the target with a different history; nothing was copied.")
            state = fold(rid, [eventlog.to_event(r) for r in rows])
            step = step_reached(state, target.framework_of(state).ids)
            write_projection(t, state, rows[-1].hash if rows else "", step)
            copies.insert_events(t, rows)
            copied_events += len(rows)
        copies.add_missing_keys(t, keys)
        copies.add_missing_users(t, users)
    return CopyReport(len(ids) - len(skipped), copied_events, skipped)
