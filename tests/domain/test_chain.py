"""The per-record hash chain: any change, removal or reordering of an event is found and named."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ethicsdesk.domain.chain import (
    GENESIS,
    ChainLink,
    EventHasher,
    canonical_json,
    chain_breaks,
    event_hash,
    hashed_content,
)


def make_chain(n: int, record_id: str = "r1") -> list[ChainLink]:
    links, prev = [], GENESIS
    for seq in range(1, n + 1):
        payload = canonical_json({"name": "facts", "value": f"version {seq}"})
        at = f"2026-01-01T00:00:{seq:02d}.000000Z"
        digest = event_hash(prev, seq, hashed_content(record_id, "field.set", "Robin", "case manager", at, payload))
        links.append(ChainLink(seq, record_id, "field.set", "Robin", "case manager", at, payload, prev, digest))
        prev = digest
    return links


def rehash(link: ChainLink, prev: str) -> ChainLink:
    """What a careful forger would do: recompute the event's own hash after changing it."""
    content = hashed_content(link.record_id, link.type, link.actor, link.role, link.at, link.payload_json)
    return dataclasses.replace(link, prev_hash=prev, hash=event_hash(prev, link.seq, content))


def spelled_hash(prev: str, seq: int, content: dict[str, Any]) -> str:
    """The hash as the chain defines it, spelled by the JSON encoder itself."""
    return hashlib.sha256(f"{prev}\n{seq}\n{canonical_json(content)}".encode()).hexdigest()


# short texts go through the encoder's escaping, long ones (a payload) through their bytes: both kinds
TEXTS = st.text(alphabet=st.characters(codec="utf-8")) | st.text(
    alphabet=st.characters(codec="utf-8"), min_size=256, max_size=700
) | st.sampled_from(['"\\' * 200, "é\\\n" * 100, "a" * 300 + "\x01", "ab" * 300]) | st.sampled_from(
    ['"', "\\", '\\"', "\n", "\t", "\x00", "\x1f", "\x7f", "\u2028", "é\xa0—’", "😀", '{"a":"b\\"c"}', "\\u0000"]
)


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(TEXTS, min_size=6, max_size=6),
    seq=st.integers(min_value=-1, max_value=10**6),
)
def test_an_events_hash_is_the_encoders_spelling_hashed(parts: list[str], seq: int) -> None:
    """The hash of an event's content, whose texts are escaped in their bytes where they hold no control
    character, is the hash of the JSON encoder's spelling of it, whatever the texts hold."""
    content = hashed_content(*parts)
    assert event_hash(GENESIS, seq, content) == spelled_hash(GENESIS, seq, content)


def test_content_that_is_not_all_texts_is_spelled_by_the_encoder() -> None:
    for content in ({"a": 1, "b": "x"}, {"a": None}, {"a": ["x"]}, {}, {"b": "y", "a": "z"}):
        assert event_hash(GENESIS, 1, content) == spelled_hash(GENESIS, 1, content)
    with pytest.raises(UnicodeEncodeError):  # a lone surrogate cannot be hashed, as before
        event_hash(GENESIS, 1, {"a": "\ud800"})


def test_canonical_json_has_one_spelling() -> None:
    assert canonical_json({"b": 1, "a": [1, "é"], "c": {"z": None, "y": True}}) == (
        '{"a":[1,"é"],"b":1,"c":{"y":true,"z":null}}'
    )
    assert canonical_json({"a": 1, "b": 2}) == canonical_json({"b": 2, "a": 1})
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


def test_the_hash_is_sha256_of_previous_sequence_and_content() -> None:
    content = {"record": "r1", "payload": "{}"}
    expected = hashlib.sha256(f"{GENESIS}\n1\n{json.dumps(content, sort_keys=True, separators=(',', ':'))}".encode())
    assert event_hash(GENESIS, 1, content) == expected.hexdigest()
    assert len(event_hash(GENESIS, 1, content)) == 64


@pytest.mark.parametrize(
    "change",
    [
        lambda h: event_hash("f" * 64, 1, {"record": "r1", "payload": "{}"}),
        lambda h: event_hash(GENESIS, 2, {"record": "r1", "payload": "{}"}),
        lambda h: event_hash(GENESIS, 1, {"record": "r2", "payload": "{}"}),
        lambda h: event_hash(GENESIS, 1, {"record": "r1", "payload": '{"a":1}'}),
    ],
)
def test_every_input_of_the_hash_counts(change: Callable[[str], str]) -> None:
    base = event_hash(GENESIS, 1, {"record": "r1", "payload": "{}"})
    assert change(base) != base


def test_hashed_content_covers_who_when_what_and_where() -> None:
    assert hashed_content("r1", "field.set", "Robin", "case manager", "t", "{}") == {
        "record": "r1",
        "type": "field.set",
        "actor": "Robin",
        "role": "case manager",
        "at": "t",
        "payload": "{}",
    }


def test_an_intact_chain_has_no_breaks() -> None:
    assert chain_breaks(make_chain(5)) == []
    assert chain_breaks([]) == []


@pytest.mark.parametrize(
    "field, value",
    [
        ("payload_json", '{"name":"facts","value":"forged"}'),
        ("actor", "Mallory"),
        ("role", "supervisor"),
        ("at", "2020-01-01T00:00:00.000000Z"),
        ("type", "field.cleared"),
        ("record_id", "r2"),
    ],
)
def test_an_edited_event_is_named(field: str, value: str) -> None:
    links = make_chain(4)
    changed: dict[str, Any] = {field: value}
    links[1] = dataclasses.replace(links[1], **changed)
    shown_type = value if field == "type" else "field.set"
    assert chain_breaks(links) == [f"event 2 ({shown_type}) was changed after it was written"]


def test_an_edited_event_with_its_hash_recomputed_breaks_the_next_link() -> None:
    links = make_chain(4)
    forged = dataclasses.replace(links[1], payload_json='{"name":"facts","value":"forged"}')
    links[1] = rehash(forged, links[0].hash)
    assert chain_breaks(links) == ["event 3 does not follow the event before it"]


def test_a_forger_must_rehash_to_the_head_and_the_head_then_differs() -> None:
    links = make_chain(4)
    old_head = links[-1].hash
    links[1] = dataclasses.replace(links[1], payload_json='{"name":"facts","value":"forged"}')
    for i in range(1, 4):
        links[i] = rehash(links[i], links[i - 1].hash)
    assert chain_breaks(links) == []  # the chain alone cannot tell...
    assert links[-1].hash != old_head  # ...but the head printed on every report can


def test_a_deleted_event_is_named() -> None:
    links = make_chain(4)
    del links[1]
    assert chain_breaks(links) == [
        "event 2 is missing (found 3)",
        "event 3 does not follow the event before it",
    ]


def test_reordered_events_are_found() -> None:
    links = make_chain(4)
    links[1], links[2] = links[2], links[1]
    problems = chain_breaks(links)
    assert "event 2 is missing (found 3)" in problems
    assert "event 3 does not follow the event before it" in problems
    assert "event 2 does not follow the event before it" in problems


def test_an_edited_hash_is_named_and_breaks_the_next_link() -> None:
    links = make_chain(3)
    links[1] = dataclasses.replace(links[1], hash="a" * 64)
    assert chain_breaks(links) == [
        "event 2 (field.set) was changed after it was written",
        "event 3 does not follow the event before it",
    ]


def test_a_chain_must_start_at_the_genesis() -> None:
    links = make_chain(2)
    links[0] = rehash(links[0], "1" * 64)
    links[1] = rehash(links[1], links[0].hash)
    assert chain_breaks(links) == ["event 1 does not follow the event before it"]


def test_links_of_another_records_chain_do_not_fit() -> None:
    ours, theirs = make_chain(3, "r1"), make_chain(3, "r2")
    assert chain_breaks([ours[0], theirs[1], ours[2]]) != []


def _either(make: Callable[[], str]) -> str:
    """The hash, or the kind of error that stopped it (a lone surrogate cannot be UTF-8)."""
    try:
        return make()
    except (UnicodeEncodeError, ValueError) as exc:
        return type(exc).__name__


# Texts the JSON encoder spells in its own way: quotes, backslashes, control characters, non-ASCII,
# long runs (the short and the long spelling differ), a lone surrogate.
_AWKWARD = st.text(alphabet=st.sampled_from('ab "\\\n\t\x00\x1f\x7fé中\U0001f600\ud800'), max_size=300) | st.just(
    "x" * 400
)


@settings(max_examples=400)
@given(_AWKWARD, _AWKWARD, _AWKWARD, _AWKWARD, _AWKWARD, _AWKWARD, st.integers(1, 10**6))
def test_a_batch_hasher_hashes_as_event_hash_does(
    type_: str, actor: str, role: str, record_id: str, at: str, payload: str, seq: int
) -> None:
    hasher = EventHasher(type_, actor, role)
    content = hashed_content(record_id, type_, actor, role, at, payload)
    assert _either(lambda: hasher.hash(GENESIS, seq, record_id, at, payload)) == _either(
        lambda: event_hash(GENESIS, seq, content)
    )


def test_a_batch_hasher_hashes_an_import_as_event_hash_does() -> None:
    payload = canonical_json({"dilemma": {"title": 'A "quoted" title', "facts": "x" * 500}, "source": "a.toml"})
    content = hashed_content("rec1", "record.imported", "Robin", "case manager", "2026-01-01T00:00:00.000000Z", payload)
    hasher = EventHasher("record.imported", "Robin", "case manager")
    assert hasher.hash(GENESIS, 1, "rec1", "2026-01-01T00:00:00.000000Z", payload) == event_hash(GENESIS, 1, content)
