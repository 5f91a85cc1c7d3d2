"""The per-record hash chain over the event log.

Each event's hash is sha256 over the previous hash, the sequence number and the canonical JSON of
the event, so changing, removing or reordering any event breaks every hash after it. Reports print
the head hash: a reader can tell whether the record has changed since the report was made.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64


def canonical_json(value: Any) -> str:
    """One spelling per value: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def event_hash(prev_hash: str, seq: int, content: dict[str, Any]) -> str:
    body = f"{prev_hash}\n{seq}\n{canonical_json(content)}".encode()
    return hashlib.sha256(body).hexdigest()


def hashed_content(record_id: str, type_: str, actor: str, role: str, at: str, payload_json: str) -> dict[str, Any]:
    """What the hash covers besides the previous hash and the sequence number."""
    return {"record": record_id, "type": type_, "actor": actor, "role": role, "at": at, "payload": payload_json}


@dataclass(frozen=True)
class ChainLink:
    seq: int
    record_id: str
    type: str
    actor: str
    role: str
    at: str
    payload_json: str
    prev_hash: str
    hash: str


def chain_breaks(links: Iterable[ChainLink]) -> list[str]:
    """Every place the chain does not hold, in words; empty when it is intact."""
    problems: list[str] = []
    prev, expected_seq = GENESIS, 1
    for link in links:
        if link.seq != expected_seq:
            problems.append(f"event {expected_seq} is missing (found {link.seq})")
            expected_seq = link.seq
        if link.prev_hash != prev:
            problems.append(f"event {link.seq} does not follow the event before it")
        content = hashed_content(link.record_id, link.type, link.actor, link.role, link.at, link.payload_json)
        if event_hash(link.prev_hash, link.seq, content) != link.hash:
            problems.append(f"event {link.seq} ({link.type}) was changed after it was written")
        prev, expected_seq = link.hash, expected_seq + 1
    return problems
