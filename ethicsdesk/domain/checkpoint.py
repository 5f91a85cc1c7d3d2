"""Checkpoints: every record's event count and head hash at a moment, with one digest over them.

Kept outside the database (another host, the agency's archive), a checkpoint anchors the hash chains:
whoever can rewrite the database can recompute every chain, but not the copy they cannot reach. A
later `verify --checkpoint` names each record that was deleted, cut short or rewritten since; records
made since, and chains that only grew, are fine. A purged record is accepted when its tombstone
carries the head it had. Pure: no I/O.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from ethicsdesk.domain.chain import canonical_json

FORMAT = "ethicsdesk.checkpoint/1"
HEX64 = frozenset("0123456789abcdef")


class NotACheckpoint(ValueError):
    """The text is not a checkpoint, or not one that is intact."""


@dataclass(frozen=True)
class Head:
    record_id: str
    events: int
    head_hash: str


@dataclass(frozen=True)
class Checkpoint:
    database: str
    made_at: str
    made_by: str
    records: tuple[Head, ...]
    purged: tuple[Head, ...]
    digest: str
    signature: dict[str, str] | None = None


def digest_of(database: str, made_at: str, made_by: str, records: list[Head], purged: list[Head]) -> str:
    body = {
        "format": FORMAT,
        "database": database,
        "made_at": made_at,
        "made_by": made_by,
        "records": [[h.record_id, h.events, h.head_hash] for h in sorted(records, key=lambda h: h.record_id)],
        "purged": [[h.record_id, h.events, h.head_hash] for h in sorted(purged, key=lambda h: h.record_id)],
    }
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()


def make(database: str, made_at: str, made_by: str, records: list[Head], purged: list[Head]) -> Checkpoint:
    records = sorted(records, key=lambda h: h.record_id)
    purged = sorted(purged, key=lambda h: h.record_id)
    digest = digest_of(database, made_at, made_by, records, purged)
    return Checkpoint(database, made_at, made_by, tuple(records), tuple(purged), digest)


def to_json(cp: Checkpoint) -> str:
    doc: dict[str, Any] = {
        "format": FORMAT,
        "database": cp.database,
        "made_at": cp.made_at,
        "made_by": cp.made_by,
        "records": [[h.record_id, h.events, h.head_hash] for h in cp.records],
        "purged": [[h.record_id, h.events, h.head_hash] for h in cp.purged],
        "digest": cp.digest,
        "signature": cp.signature,
    }
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def _heads(doc: dict[str, Any], name: str) -> list[Head]:
    items = doc.get(name)
    if not isinstance(items, list):
        raise NotACheckpoint(f"it has no list of {name}")
    heads = []
    for n, item in enumerate(items, 1):
        ok = (
            isinstance(item, list)
            and len(item) == 3
            and isinstance(item[0], str)
            and item[0]
            and isinstance(item[1], int)
            and not isinstance(item[1], bool)
            and item[1] >= 1
            and isinstance(item[2], str)
            and len(item[2]) == 64
            and set(item[2]) <= HEX64
        )
        if not ok:
            raise NotACheckpoint(f"entry {n} of its {name} is not [id, event count, head hash]")
        heads.append(Head(item[0], item[1], item[2]))
    return heads


def parse(text: str) -> Checkpoint:
    """The checkpoint in `text`, its digest checked; NotACheckpoint says in a few words why not."""
    try:
        doc = json.loads(text)
    except ValueError:
        raise NotACheckpoint("it is not JSON") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise NotACheckpoint(f"its format is not '{FORMAT}'")
    fields: dict[str, str] = {}
    for k in ("database", "made_at", "made_by", "digest"):
        v = doc.get(k)
        if not isinstance(v, str) or not v:
            raise NotACheckpoint(f"it has no {k}")
        fields[k] = v
    records, purged = _heads(doc, "records"), _heads(doc, "purged")
    digest = digest_of(fields["database"], fields["made_at"], fields["made_by"], records, purged)
    if digest != fields["digest"]:
        raise NotACheckpoint("its digest does not match its records (it was changed after it was made)")
    signature = doc.get("signature")
    if signature is not None and not (
        isinstance(signature, dict)
        and all(isinstance(signature.get(k), str) for k in ("signer", "public_key", "fingerprint", "signature"))
    ):
        raise NotACheckpoint("its signature is not a signer, public key, fingerprint and signature")
    return Checkpoint(
        fields["database"],
        fields["made_at"],
        fields["made_by"],
        tuple(records),
        tuple(purged),
        digest,
        signature,
    )


@dataclass(frozen=True)
class Tomb:
    """A tombstone as the comparison needs it."""

    events: int
    head_hash: str
    purged_by: str
    purged_at: str
    reason: str
    hashes: tuple[str, ...] = ()  # every event hash in order, when the tombstone keeps them


def tomb_mismatch(then: Head, tomb: Tomb) -> str | None:
    """Why a tombstone does not account for the record as the checkpoint holds it (None: it does).
    A record that grew after the checkpoint and was then purged matches only through the tombstone's
    list of event hashes: its count and head alone could be made up."""
    if tomb.events == then.events and tomb.head_hash == then.head_hash:
        return None
    if tomb.events > then.events:
        h = tomb.hashes
        if len(h) == tomb.events and h[-1] == tomb.head_hash and h[then.events - 1] == then.head_hash:
            return None
        return (
            f"was purged, but its tombstone ({tomb.events} events, head {tomb.head_hash[:16]}) does not show the "
            f"head the checkpoint holds at event {then.events}"
        )
    return "was purged, but its tombstone's head is not the one the checkpoint holds"


@dataclass
class Comparison:
    problems: list[tuple[str, str]]  # (record id, what happened to it)
    purged: list[str]  # ids in the checkpoint that were purged since, with a tombstone
    unchanged: int
    grown: int
    new: int


def compare(cp: Checkpoint, heads: dict[str, Head], hash_at: dict[str, str], tombs: dict[str, Tomb]) -> Comparison:
    """What happened since `cp` to each record it lists.

    `heads`: each record's current count and head hash; `hash_at`: for records that grew, the hash
    of their event at the checkpoint's count; `tombs`: the tombstones, by record id.
    """
    out = Comparison([], [], 0, 0, 0)
    for then in cp.records:
        rid, now, tomb = then.record_id, heads.get(then.record_id), tombs.get(then.record_id)
        if now is None and tomb is not None:
            why = tomb_mismatch(then, tomb)
            if why:
                out.problems.append((rid, why))
            else:
                out.purged.append(rid)
        elif now is None:
            out.problems.append(
                (rid, f"was deleted since the checkpoint ({then.events} events then) without a tombstone")
            )
        elif now.events < then.events:
            out.problems.append(
                (rid, f"was cut short since the checkpoint: {then.events} events then, {now.events} now")
            )
        elif (now.head_hash if now.events == then.events else hash_at.get(rid)) != then.head_hash:
            out.problems.append(
                (rid, f"was rewritten since the checkpoint: event {then.events} is not the one it held")
            )
        elif now.events == then.events:
            out.unchanged += 1
        else:
            out.grown += 1
    for then in cp.purged:
        tomb = tombs.get(then.record_id)
        if tomb is None or tomb.events != then.events or tomb.head_hash != then.head_hash:
            out.problems.append(
                (then.record_id, "was purged before the checkpoint, and its tombstone is gone or changed")
            )
        else:
            out.purged.append(then.record_id)
    listed = {h.record_id for h in cp.records} | {h.record_id for h in cp.purged}
    out.new = sum(1 for rid in heads if rid not in listed)
    return out
