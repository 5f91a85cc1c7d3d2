"""Dilemma files into records: every file is checked before any is written, and all land together."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import DBAPIError

from ethicsdesk.domain.chain import GENESIS, EventHasher
from ethicsdesk.domain.dates import settle_follow_up
from ethicsdesk.domain.events.making import RECORD_IMPORTED, RecordImported
from ethicsdesk.domain.fold import fold
from ethicsdesk.domain.frameworks import DEFAULT_FRAMEWORK
from ethicsdesk.domain.record import RecordState
from ethicsdesk.domain.walk import step_reached
from ethicsdesk.errors import DatabaseProblem
from ethicsdesk.knowledge.dilemma_batch import collection_paused, read_dilemmas
from ethicsdesk.knowledge.dilemma_files import Dilemma
from ethicsdesk.service.job import Job
from ethicsdesk.store import eventlog
from ethicsdesk.store.engine import first_line
from ethicsdesk.store.projection import write_new_projections


class Importing(Job):
    def import_files(self, paths: list[Path], *, kind: str = "case") -> list[str]:
        return self.import_dilemmas(read_dilemmas(paths), kind=kind)

    def import_dilemmas(self, dilemmas: list[Dilemma], *, kind: str = "case") -> list[str]:
        """One record per dilemma, each with one `record.imported` event, all in one transaction.

        Rows go in with one executemany per table for the whole batch, not one ORM object at a time.
        """
        fw = self.framework(DEFAULT_FRAMEWORK)  # the dilemma format is written against the CCMC principles
        # A follow-up period in a file ("in 14 days") counts from the day of import, on the service's
        # clock (UTC, as every time a record keeps).
        today = self.today()
        principles = fw.ids
        # every event of the batch is a record.imported by this user: what their hashes share is spelled once
        hasher = EventHasher(RECORD_IMPORTED.type, self.user.name, self.user.role)
        # the batch's rows are built and written with the cyclic collector held off (dilemma_batch.py)
        with collection_paused():
            ids: list[str] = []
            projections: list[tuple[RecordState, str, str]] = []
            events: list[dict[str, object]] = []
            for d in dilemmas:
                rid = self.clock.new_id()
                payload: RecordImported = {
                    "kind": kind,
                    "framework": fw.id,
                    "framework_version": fw.version,
                    "source": d.path.name,
                    "sha256": d.sha256,
                    "dilemma": settle_follow_up(d.payload(), today),
                }
                if kind == "training":
                    payload["sample_id"] = d.id
                event = RECORD_IMPORTED.new(payload).as_event(rid, 1, self.user.name, self.clock.now())
                state = fold(rid, [event])  # a fresh state changed in place: `apply` copied an empty one
                row = eventlog.event_row(event, self.user.role, GENESIS, hasher)
                projections.append((state, str(row["hash"]), step_reached(state, principles)))
                events.append(row)
                ids.append(rid)
            try:
                with self.db.writing() as s:
                    write_new_projections(s, projections)
                    eventlog.insert_many(s, events)
            except DBAPIError as exc:
                raise DatabaseProblem(
                    f"The import could not be saved, and nothing was written: {first_line(exc)}."
                ) from None
        return ids
