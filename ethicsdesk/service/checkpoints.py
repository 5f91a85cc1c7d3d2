"""Checkpoints: every record's head at a moment, to keep outside the database, and the comparison
`verify --checkpoint` makes with one (domain/checkpoint.py holds the format and the rules)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ethicsdesk.domain import checkpoint as cp
from ethicsdesk.domain import trust as rules
from ethicsdesk.domain.trust import SignatureSeen, TrustedKey
from ethicsdesk.errors import BadInput
from ethicsdesk.service.bounded_read import read_bounded
from ethicsdesk.service.core import ServiceCore
from ethicsdesk.service.job import Job
from ethicsdesk.store import anchors
from ethicsdesk.store.engine import describe

if TYPE_CHECKING:
    from ethicsdesk.service.integrity import Problem
    from ethicsdesk.service.signing import SigningKey

MAX_BYTES = 256 * 1024 * 1024


class Checkpoints(Job):
    def make_checkpoint(self, key: SigningKey | None = None) -> cp.Checkpoint:
        """Every record's count and head and every tombstone, read in one snapshot; signed with `key`
        when given."""
        with self._reading() as s:
            if not self.db.is_sqlite:
                # one snapshot for every statement: under READ COMMITTED a purge landing between the
                # heads and the tombstones would leave a record in neither
                s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            database = anchors.database_id(s)
            heads = list(anchors.chain_heads(s).values())
            purged = [cp.Head(t.record_id, t.event_count, t.head_hash) for t in anchors.tombstones(s)]
        made = cp.make(database, self.clock.now(), self.user.name, heads, purged)
        if key is None:
            return made
        from ethicsdesk.service.signing import checkpoint_message

        signature = {
            "signer": key.user,
            "public_key": key.public_b64,
            "fingerprint": key.fingerprint,
            "signature": key.sign(checkpoint_message(made.digest)),
        }
        return cp.Checkpoint(
            made.database, made.made_at, made.made_by, made.records, made.purged, made.digest, signature
        )

    def read_checkpoint(self, path: Path) -> cp.Checkpoint:
        """The checkpoint in `path`, checked to be one, intact, and of this database; else BadInput."""
        data = read_bounded(
            path,
            MAX_BYTES,
            not_a_file=f"{path} is not a checkpoint file (there is no such file).",
            too_large=f"{path} is not an ethicsdesk checkpoint: it is larger than any checkpoint.",
        )
        try:
            found = cp.parse(data.decode("utf-8"))
        except UnicodeDecodeError:
            raise BadInput(f"{path} is not an ethicsdesk checkpoint: it is not text.") from None
        except cp.NotACheckpoint as exc:
            raise BadInput(f"{path} is not an ethicsdesk checkpoint: {exc}.") from None
        if found.signature is not None:
            from ethicsdesk.service.signing import checkpoint_message, fingerprint, signature_holds

            sig = found.signature
            if fingerprint(sig["public_key"]) != sig["fingerprint"] or not signature_holds(
                sig["public_key"], sig["signature"], checkpoint_message(found.digest)
            ):
                raise BadInput(f"{path} is not an intact checkpoint: its signature by {sig['signer']} does not verify.")
        with self._reading() as s:
            mine = anchors.database_id(s)
        if found.database != mine:
            raise BadInput(f"{path} is a checkpoint of another database, not of {describe(self.db.url)}.")
        return found


@dataclass
class CheckpointLine:
    """How the audit reports a checkpoint: who made and signed it, and what changed since."""

    made_at: str
    made_by: str
    signed_by: str  # "" when unsigned
    fingerprint: str
    trusted: bool
    unchanged: int
    grown: int
    new: int


def compare_with(
    service: ServiceCore, found: cp.Checkpoint, keys: list[TrustedKey] | None, problems: list[Problem]
) -> CheckpointLine:
    """Add to `problems` every record deleted, cut short or rewritten since the checkpoint."""
    from ethicsdesk.service.integrity import Problem

    with service._reading() as s:
        heads = anchors.chain_heads(s)
        then = {h.record_id: h.events for h in found.records}
        grown = [(rid, then[rid]) for rid, h in heads.items() if rid in then and h.events > then[rid]]
        hash_at = anchors.hashes_at(s, grown)
        tombs = {
            t.record_id: cp.Tomb(
                t.event_count, t.head_hash, t.purged_by, t.purged_at, t.reason, tuple(t.hashes.split())
            )
            for t in anchors.tombstones(s)
        }
    result = cp.compare(found, heads, hash_at, tombs)
    problems += [Problem(rid, text) for rid, text in result.problems]
    sig = found.signature or {}
    trusted = False
    if sig:
        seen = SignatureSeen("", sig["signer"], sig["fingerprint"], found.made_at, "checkpoint")
        trusted = keys is not None and not rules.signature_problems(seen, keys)
    return CheckpointLine(
        found.made_at,
        found.made_by,
        sig.get("signer", ""),
        sig.get("fingerprint", ""),
        trusted,
        result.unchanged,
        result.grown,
        result.new,
    )
