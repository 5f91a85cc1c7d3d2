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
from json.encoder import encode_basestring  # what json.dumps spells a text with, ensure_ascii off
from typing import Any

GENESIS = "0" * 64


# One encoder for every call: json.dumps with these options builds a new one each time.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def canonical_json(value: Any) -> str:
    """One spelling per value: sorted keys, no spaces, UTF-8 kept as is."""
    return _CANONICAL.encode(value)


def event_hash(prev_hash: str, seq: int, content: dict[str, Any]) -> str:
    """sha256 over f"{prev_hash}\n{seq}\n{canonical_json(content)}" in UTF-8."""
    try:
        body = f"{prev_hash}\n{seq}\n".encode() + _canonical_texts(content)
    except _NotPlainText:
        body = f"{prev_hash}\n{seq}\n{canonical_json(content)}".encode()
    return hashlib.sha256(body).hexdigest()


class _NotPlainText(Exception):
    pass


# Bytes below 0x20: in UTF-8 they stand only for those control characters, as the bytes of '"' and
# '\\' stand only for those two (every byte of a longer character is 0x80 or more).
_CONTROL = bytes(range(0x20))


def _canonical_texts(content: dict[str, Any]) -> bytes:
    """canonical_json(content) in UTF-8, for a dictionary of texts without control characters (what
    an event's hashed content is, its payload the longest): each text's quotes and backslashes escaped
    in its bytes, a search much quicker than the JSON encoder's walk over every character (half of the
    time `verify` spent on a chain). _NotPlainText for anything else, which the encoder spells."""
    parts = []
    for key, value in sorted(content.items()):
        if type(key) is not str or type(value) is not str:
            raise _NotPlainText
        parts.append(_json_text(key) + b":" + _json_text(value))
    return b"{" + b",".join(parts) + b"}"


def _json_text(text: str) -> bytes:
    try:
        if len(text) < _SHORT:  # the encoder's own escaping, which costs less than four passes here
            return encode_basestring(text).encode()
        raw = text.encode()
    except UnicodeEncodeError:  # a lone surrogate: the encoder's spelling, which then fails as ever
        raise _NotPlainText from None
    if len(raw.translate(None, _CONTROL)) != len(raw):
        raise _NotPlainText
    return b'"' + raw.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


_SHORT = 256


class EventHasher:
    """`event_hash` of events of one type, by one actor in one role (an import's batch): the canonical
    JSON of what they share is spelled once, their time, payload and record each time, in the order
    of the sorted keys (actor, at, payload, record, role, type). Anything not plain text goes the
    general way, which spells it or fails as ever."""

    def __init__(self, type_: str, actor: str, role: str) -> None:
        self._shared = (type_, actor, role)
        try:
            head = b'{"actor":' + _json_text(actor) + b',"at":'
            tail = b',"role":' + _json_text(role) + b',"type":' + _json_text(type_) + b"}"
            self._spelled: tuple[bytes, bytes] | None = (head, tail)
        except _NotPlainText:
            self._spelled = None

    def hash(self, prev_hash: str, seq: int, record_id: str, at: str, payload_json: str) -> str:
        if self._spelled is not None:
            head, tail = self._spelled
            try:
                at_text, payload, record = _json_text(at), _json_text(payload_json), _json_text(record_id)
            except _NotPlainText:
                pass
            else:
                start = f"{prev_hash}\n{seq}\n".encode()
                body = b"".join((start, head, at_text, b',"payload":', payload, b',"record":', record, tail))
                return hashlib.sha256(body).hexdigest()
        type_, actor, role = self._shared
        return event_hash(prev_hash, seq, hashed_content(record_id, type_, actor, role, at, payload_json))


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
