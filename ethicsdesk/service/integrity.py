"""Proving a record: verify its chain and its tables, replay its history, list its events."""

from __future__ import annotations

import json
from dataclasses import dataclass

from ethicsdesk.domain.chain import chain_breaks
from ethicsdesk.domain.events.review import RECORD_SIGNED
from ethicsdesk.domain.fold import fold
from ethicsdesk.domain.record import DomainError, RecordState, Signature
from ethicsdesk.errors import BadInput
from ethicsdesk.knowledge.dilemma_batch import collection_paused
from ethicsdesk.service.job import Job
from ethicsdesk.service.records import HistoryEntry
from ethicsdesk.store import eventlog, queries, record_batch
from ethicsdesk.store.current_state import state_from_rows
from ethicsdesk.store.projection import record_row_matches, tables_differing

__all__ = ["HistoryEntry", "Integrity", "Problem"]


@dataclass(frozen=True)
class Problem:
    record_id: str
    text: str
    # a sign-off that verifies, by a key this desk has not (yet) been told to trust: `verify` exits 3,
    # not 1, when every problem is of this kind
    untrusted: bool = False


class Integrity(Job):
    def verify(self, record_id: str | None = None) -> tuple[int, list[Problem]]:
        """Recompute every chain and refold every record against its tables.

        Returns how many records were checked and every problem found (none: all intact).
        """
        # a batch's rows, events and folds are many objects and no garbage: the collections their
        # allocation set off walked the whole heap again and again (a tenth of verify's time)
        with self._reading() as s, collection_paused():
            # a chain whose record row is gone (deleted, or its id changed) is checked too: it is
            # reported as a record whose row is missing, not passed over
            ids = [record_id] if record_id else [*queries.all_ids(s), *queries.ids_of_orphan_events(s)]
            problems: list[Problem] = []
            # a batch of records at a time, read in a fixed number of statements (store/record_batch.py)
            for start in range(0, len(ids), record_batch.BATCH):
                chunk = ids[start : start + record_batch.BATCH]
                stored = record_batch.read(s, chunk)
                for rid in chunk:
                    problems += [Problem(rid, t) for t in self._verify_one(stored, rid)]
        return len(ids), problems

    def _verify_one(self, stored: record_batch.StoredRecords, rid: str) -> list[str]:
        rows = stored.events.get(rid, [])
        problems = chain_breaks(eventlog.to_link(r) for r in rows)
        row = stored.records.get(rid)
        if row is None:
            return [*problems, "the record's row is missing"]
        if not rows:
            return [*problems, "the record has no events"]
        if row["event_count"] != len(rows) or row["head_hash"] != rows[-1].hash:
            problems.append("the record's head does not match its event log")
        try:
            folded = fold(rid, [eventlog.to_event(r) for r in rows])
        except (DomainError, ValueError, KeyError, TypeError) as exc:
            return [*problems, f"the event log cannot be replayed ({exc})"]
        step = self._step(folded)
        tables, unreadable = self._table_problems(stored, rid, folded, rows[-1].hash, step)
        problems += tables
        if unreadable:
            return problems
        if row["status"] != folded.status:
            problems.append(f"the stored status '{row['status']}' is not what the events give ('{folded.status}')")
        if row["step"] != step:
            problems.append("the stored step differs from what the events give")
        signed = [r for r in rows if r.type == RECORD_SIGNED.type]
        if signed and folded.signature is not None:
            problems += self._signature_problems(stored, rid, signed[0], rows, folded.signature)
        return problems

    def _table_problems(
        self, stored: record_batch.StoredRecords, rid: str, folded: RecordState, head: str, step: str
    ) -> tuple[list[str], bool]:
        """What is wrong with the record's current-state tables against its fold, and whether they
        cannot be read as a record at all (then nothing more is checked of them)."""
        # The rows must be exactly those the events give (positions, sort order, empty values), or a
        # changed field could go unseen. Rows exactly those read back as the fold (the projection's
        # round trip, which the tests hold), so only a record whose rows differ is read back into a
        # record, to name the fields that differ: that reading was most of verify's time.
        odd = tables_differing(folded, head, step, lambda t: stored.child_rows(rid, t))
        if not odd and record_row_matches(folded, head, step, stored.records.get(rid)):
            return [], False
        try:
            found = stored.projection_of(rid)
            if found is None:  # its row was read before, in this same transaction
                return ["the record's row is missing"], True
            projected = state_from_rows(*found)[0].snapshot()
        except (AttributeError, ValueError, KeyError, TypeError) as exc:
            # tables tampered beyond what a record can hold (a list named 'colours', say): report it
            # for this record and go on to the next, rather than stop verify with a traceback
            return [f"the current-state tables cannot be read as a record ({exc})"], True
        expected = folded.snapshot()
        differ = [k for k in expected if expected[k] != projected.get(k)]
        if differ:
            return ["the current-state tables differ from the event log in: " + ", ".join(differ)], False
        if odd:
            return ["the current-state tables hold rows the events do not give, in: " + ", ".join(odd)], False
        return [], False

    def _signature_problems(
        self,
        stored: record_batch.StoredRecords,
        rid: str,
        event: eventlog.EventEntry,
        rows: list[eventlog.EventEntry],
        sig: Signature,
    ) -> list[str]:
        """The signature covers the head just before it, holds for its key, and the key is the signer's."""
        from ethicsdesk.service.signing import fingerprint, signature_holds, signed_message

        problems = []
        # by sequence number, not list position: a tampered log may have gaps or foreign events
        before = next((r.hash for r in rows if r.seq == event.seq - 1), "")
        if sig.signed_head != before:
            problems.append("the signature does not cover the record as it stood when it was signed")
        if not signature_holds(sig.public_key, sig.signature, signed_message(rid, sig.signed_head)):
            problems.append(f"the signature by {sig.signer} does not verify")
        if fingerprint(sig.public_key) != sig.fingerprint:
            problems.append("the signing key's fingerprint does not match the key")
        if stored.keys.get(sig.fingerprint) != (sig.signer, sig.public_key):
            problems.append(f"the signing key is not registered to {sig.signer} in this database")
        return problems

    def replay(self, record_id: str, upto: int | None = None) -> RecordState:
        """The record as it stood after event `upto` (all events when None)."""
        with self._reading() as s:
            rows = eventlog.read(s, record_id)
        if not rows:
            from ethicsdesk.errors import NotFound

            raise NotFound(f"There is no record '{record_id}'.")
        if upto is not None:
            # checked against the whole log: a prefix read with upto < 1 is empty, which is not "no record"
            if not 1 <= upto <= rows[-1].seq:
                raise BadInput(f"Event {upto} is out of range: the record has events 1 to {rows[-1].seq}.")
            rows = [r for r in rows if r.seq <= upto]
        parts = ((r.seq, r.type, r.actor, r.actor_role, r.at, r.payload) for r in rows)
        return fold(record_id, eventlog.to_events(record_id, parts))

    def event_payloads(self, record_id: str) -> list[dict[str, object]]:
        """The raw log, for export and tests."""
        with self._reading() as s:
            return [
                {"seq": r.seq, "type": r.type, "actor": r.actor, "at": r.at, "payload": json.loads(r.payload)}
                for r in eventlog.read(s, record_id)
            ]
