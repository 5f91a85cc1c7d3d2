"""Tamper beyond the reach of the hash chain alone: attacks by someone who can write the
SQLite file and recompute every hash, each caught by trusted keys or by a checkpoint kept elsewhere.

Each test copies a database built once per module: a record signed by the supervisor Dana Whitlock,
whose key the auditor's trusted-keys file holds, and an unsigned record with a short history. The
attacker works with the plain sqlite3 module and ethicsdesk's own hashing code, as anyone could.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ethicsdesk.domain import checkpoint as cp
from ethicsdesk.domain.checkpoint import Checkpoint
from ethicsdesk.domain.fold import fold
from ethicsdesk.domain.record import Event
from ethicsdesk.errors import BadInput
from ethicsdesk.service import Service, signing
from ethicsdesk.settings import User
from ethicsdesk.store import eventlog
from ethicsdesk.store.projection import write_projection
from tests.conftest import CASE_MANAGER

DANA = User("Dana Whitlock", "supervisor")


@dataclass(frozen=True)
class Built:
    db: Path
    signed: str
    draft: str
    dana_pem: bytes


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("anchors")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ETHICSDESK_HOME", str(folder / "dana"))
        url = f"sqlite:///{folder / 'built.db'}"
        cm, sup = Service.open(url, CASE_MANAGER), Service.open(url, DANA)
        try:
            signed = cm.editing.create_record("Tell the landlord?", case_code="C-15")
            keep = cm.editing.add_option(signed, "Keep the confidence")
            cm.editing.add_option(signed, "Tell the landlord")
            cm.editing.decide(signed, "chosen", keep)
            cm.editing.decide(signed, "rationale", "The client has capacity and asked us not to.")
            cm.editing.request_consultation(signed, DANA.name, "Is keeping it justified?")
            sup.review.answer_consultation(signed, "concur", "It holds.")
            sup.review.sign(signed, signing.create_key(DANA.name, None))
            cm.review.add_addendum(signed, "outcome", "A month on.", "The tenancy held.")
            draft = cm.editing.create_record("A gift from a family")
            for label in ("Accept", "Decline", "Donate"):
                cm.editing.add_option(draft, label)
        finally:
            cm.close()
            sup.close()
        pem = signing.key_path(DANA.name).read_bytes()
    raw = sqlite3.connect(folder / "built.db", isolation_level=None)
    for name in ("events_no_update", "events_no_delete"):  # as anyone holding the file could
        raw.execute(f"DROP TRIGGER {name}")
    raw.close()
    return Built(folder / "built.db", signed, draft, pem)


@pytest.fixture
def db(built: Built, tmp_path: Path) -> Path:
    copy = tmp_path / "case.db"
    with sqlite3.connect(built.db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    return copy


@pytest.fixture
def auditor(db: Path, built: Built, isolated_home: Path) -> Iterator[Service]:
    """The agency's auditor: trusts Dana's real key (and no other) in the trusted-keys file."""
    dana = _dana_key(built)
    service = Service.open(f"sqlite:///{db}", User("Audit Desk", "case manager"))
    service.trust.trust_key(DANA.name, dana.public_b64)
    yield service
    service.close()


def _dana_key(built: Built) -> signing.SigningKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    private = serialization.load_pem_private_key(built.dana_pem, password=None)
    assert isinstance(private, Ed25519PrivateKey)
    return signing._wrap(DANA.name, private)


def fresh_key(name: str, home: Path, mp: pytest.MonkeyPatch) -> signing.SigningKey:
    """A new key made on the attacker's own desk (their own config directory)."""
    with mp.context() as m:
        m.setenv("ETHICSDESK_HOME", str(home))
        return signing.create_key(name, None)


def events_of(db: Path, rid: str) -> list[dict[str, Any]]:
    raw = sqlite3.connect(db)
    raw.row_factory = sqlite3.Row
    try:
        rows = raw.execute("SELECT * FROM events WHERE record_id = ? ORDER BY seq", (rid,))
        return [dict(r) for r in rows]
    finally:
        raw.close()


def rechain(db: Path, rid: str, change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]) -> None:
    """Rewrite a record's history with `change`, then recompute every hash and the tables, so the
    database is consistent in itself: what someone with the file and this code can do."""
    events = change(events_of(db, rid))
    raw = sqlite3.connect(db, isolation_level=None)
    raw.execute("DELETE FROM events WHERE record_id = ?", (rid,))
    after: tuple[int, str] = (0, "0" * 64)
    for e in events:
        event = Event(rid, after[0] + 1, e["type"], e["actor"], e["at"], json.loads(e["payload"]))
        row = eventlog.event_row(event, e["actor_role"], after[1])
        cols = ", ".join(row)
        raw.execute(f"INSERT INTO events ({cols}) VALUES ({', '.join('?' * len(row))})", tuple(row.values()))
        after = (row["seq"], row["hash"])
    raw.close()
    service = Service.open(f"sqlite:///{db}", CASE_MANAGER)
    try:
        state = fold(
            rid,
            [Event(rid, i + 1, e["type"], e["actor"], e["at"], json.loads(e["payload"])) for i, e in enumerate(events)],
        )
        with service.db.writing() as s:
            write_projection(s, state, after[1], service._step(state))
    finally:
        service.close()


def resign(events: list[dict[str, Any]], rid: str, key: signing.SigningKey, head: str) -> dict[str, Any]:
    """The signed event of `events`, signed again over `head` with `key`."""
    signed = next(e for e in events if e["type"] == "record.signed")
    payload = json.loads(signed["payload"])
    payload.update(
        signed_head=head,
        public_key=key.public_b64,
        fingerprint=key.fingerprint,
        signature=key.sign(signing.signed_message(rid, head)),
    )
    return {**signed, "payload": json.dumps(payload)}


def head_after(rid: str, events: list[dict[str, Any]]) -> str:
    after: tuple[int, str] = (0, "0" * 64)
    for e in events:
        event = Event(rid, after[0] + 1, e["type"], e["actor"], e["at"], json.loads(e["payload"]))
        row = eventlog.event_row(event, e["actor_role"], after[1])
        after = (row["seq"], row["hash"])
    return after[1]


def register(db: Path, key: signing.SigningKey, name: str) -> None:
    raw = sqlite3.connect(db, isolation_level=None)
    raw.execute(
        "INSERT INTO signing_keys (fingerprint, user, public_key, created_at) VALUES (?, ?, ?, ?)",
        (key.fingerprint, name, key.public_b64, "2026-11-29T00:00:00.000000Z"),
    )
    raw.close()


def texts(service: Service, checkpoint: Checkpoint | None = None) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for p in service.trust.audit(None, checkpoint).problems:
        out.setdefault(p.record_id, []).append(p.text)
    return out


def take_checkpoint(service: Service, built: Built) -> cp.Checkpoint:
    """A checkpoint signed by Dana, whose key the auditor trusts (an unsigned one counts for nothing)."""
    return cp.parse(cp.to_json(service.checkpoints.make_checkpoint(_dana_key(built))))


# --- the intact database passes ------------------------------------------------------------------
def test_the_intact_database_passes_with_the_trusted_key(auditor: Service, built: Built) -> None:
    audit = auditor.trust.audit()
    assert audit.problems == []
    assert [(s.signer, s.fingerprint, s.trusted) for s in audit.signers] == [
        (DANA.name, _dana_key(built).fingerprint, True)
    ]


# --- the attacks beyond the chain on SQLite, each caught -------------------------------------------
def test_a_self_declared_supervisor_signing_is_caught(
    db: Path, auditor: Service, built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Robin sets their own config to Dana's name and the supervisor role, and signs the draft."""
    impostor = Service.open(f"sqlite:///{db}", DANA)  # what a config.toml saying so gives
    try:
        key = fresh_key(DANA.name, tmp_path / "robin", monkeypatch)
        impostor.editing.decide(built.draft, "chosen", impostor.record(built.draft).options[0].key)
        impostor.editing.decide(built.draft, "rationale", "Looks fine.")
        impostor.review.sign(built.draft, key)
    finally:
        impostor.close()
    assert auditor.integrity.verify()[1] == []  # the chains alone hold
    found = texts(auditor)
    assert any("which this desk does not trust yet" in t for t in found[built.draft]), found
    assert any("has 2 signing keys" in t for t in found["trusted keys"]), found


def test_a_rechained_rewrite_resigned_with_a_fresh_key_under_the_supervisors_name_is_caught(
    db: Path, auditor: Service, built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = fresh_key(DANA.name, tmp_path / "mallory", monkeypatch)

    def rewrite(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        at = next(i for i, e in enumerate(events) if e["type"] == "decision.set" and "rationale" in e["payload"])
        payload = json.loads(events[at]["payload"])
        payload["value"] = "The family asked us to tell the landlord."
        events[at] = {**events[at], "payload": json.dumps(payload)}
        sign_at = next(i for i, e in enumerate(events) if e["type"] == "record.signed")
        events[sign_at] = resign(events, built.signed, key, head_after(built.signed, events[:sign_at]))
        return events

    rechain(db, built.signed, rewrite)
    register(db, key, DANA.name)
    assert auditor.integrity.verify()[1] == []  # consistent in itself: the chain alone cannot tell
    found = texts(auditor)
    assert any("which this desk does not trust yet" in t for t in found[built.signed]), found
    assert any(f"{DANA.name} has 2 signing keys" in t for t in found["trusted keys"]), found


def test_a_supervisor_with_two_keys_is_flagged_and_a_recorded_rotation_is_accepted(
    db: Path, auditor: Service, built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    second = fresh_key(DANA.name, tmp_path / "dana-new-laptop", monkeypatch)
    register(db, second, DANA.name)
    assert any("has 2 signing keys" in t for t in texts(auditor)["trusted keys"])
    with pytest.raises(BadInput, match="--replaces"):
        auditor.trust.trust_key(DANA.name, second.public_b64)  # a second key only as a rotation
    rotated = auditor.trust.trust_key(DANA.name, second.public_b64, replaces=_dana_key(built).fingerprint[:12])
    assert rotated.replaces == _dana_key(built).fingerprint
    assert auditor.trust.audit().problems == []  # the old signature still counts: it predates the rotation


def test_two_trusted_keys_for_one_person_without_a_rotation_are_flagged(
    auditor: Service, built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ethicsdesk.service.trusted_keys import read_trust_file, render, trust_file

    other = fresh_key(DANA.name, tmp_path / "x", monkeypatch)
    path = trust_file()
    keys = read_trust_file(path)
    from ethicsdesk.domain.trust import TrustedKey

    path.write_text(render([*keys, TrustedKey(DANA.name, other.public_b64, other.fingerprint)]))  # edited by hand
    found = texts(auditor)
    assert any("2 trusted keys" in t and "no recorded rotation" in t for t in found["trusted keys"]), found


def test_a_deleted_record_is_caught_with_a_checkpoint(db: Path, auditor: Service, built: Built) -> None:
    before = take_checkpoint(auditor, built)
    raw = sqlite3.connect(db, isolation_level=None)
    raw.execute("PRAGMA foreign_keys = ON")
    raw.execute("DELETE FROM events WHERE record_id = ?", (built.draft,))
    raw.execute("DELETE FROM record_search WHERE rowid = (SELECT rowid FROM records WHERE id = ?)", (built.draft,))
    raw.execute("DELETE FROM records WHERE id = ?", (built.draft,))
    raw.close()
    assert auditor.trust.audit().problems == []  # without a checkpoint nothing says it was there
    found = texts(auditor, before)
    assert found == {built.draft: ["was deleted since the checkpoint (4 events then) without a tombstone"]}


def test_unsigning_is_caught_with_a_checkpoint(db: Path, auditor: Service, built: Built) -> None:
    before = take_checkpoint(auditor, built)
    rechain(
        db, built.signed, lambda events: [e for e in events if e["type"] not in ("record.signed", "addendum.added")]
    )
    assert auditor.trust.audit().problems == []
    assert auditor.record(built.signed).signature is None
    found = texts(auditor, before)
    assert list(found) == [built.signed]
    assert found[built.signed][0].startswith("was cut short since the checkpoint")


def test_truncating_an_unsigned_history_is_caught_with_a_checkpoint(db: Path, auditor: Service, built: Built) -> None:
    before = take_checkpoint(auditor, built)
    rechain(db, built.draft, lambda events: events[:2])
    assert auditor.trust.audit().problems == []
    assert texts(auditor, before) == {built.draft: ["was cut short since the checkpoint: 4 events then, 2 now"]}


def test_a_rehashed_rewrite_is_caught_with_a_checkpoint(db: Path, auditor: Service, built: Built) -> None:
    before = take_checkpoint(auditor, built)

    def rename(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        payload = json.loads(events[1]["payload"])
        payload["label"] = "Accept the gift card"
        events[1] = {**events[1], "payload": json.dumps(payload)}
        return events

    rechain(db, built.draft, rename)
    assert auditor.trust.audit().problems == []
    assert texts(auditor, before) == {
        built.draft: ["was rewritten since the checkpoint: event 4 is not the one it held"]
    }


def test_a_rewrite_padded_back_to_the_old_length_is_caught(db: Path, auditor: Service, built: Built) -> None:
    before = take_checkpoint(auditor, built)
    rechain(db, built.draft, lambda events: [*events[:2], events[3], events[2]])  # same count, other order
    assert texts(auditor, before)[built.draft][0].startswith("was rewritten since the checkpoint")


def test_a_forged_tombstone_to_cover_a_deletion_is_caught(db: Path, auditor: Service, built: Built) -> None:
    before = take_checkpoint(auditor, built)
    head = before.records[[h.record_id for h in before.records].index(built.draft)]
    raw = sqlite3.connect(db, isolation_level=None)
    raw.execute(
        "INSERT INTO tombstones VALUES "
        "(?, 'case', ?, ?, '2026-11-29T00:00:00Z', ?, 'supervisor', 'retention', '', '', '', '')",
        (built.draft, head.events, head.head_hash, DANA.name),
    )
    raw.execute("DELETE FROM events WHERE record_id = ?", (built.draft,))
    raw.execute("PRAGMA foreign_keys = ON")
    raw.execute("DELETE FROM records WHERE id = ?", (built.draft,))
    raw.close()
    found = texts(auditor, before)
    assert found[built.draft] == [
        f"was purged (the tombstone names {DANA.name}) without a signature: anyone able to write the database "
        "could have made it"
    ]


def test_new_records_and_grown_chains_since_a_checkpoint_are_fine(auditor: Service, built: Built) -> None:
    before = take_checkpoint(auditor, built)
    writer = Service.open(str(auditor.db.url), CASE_MANAGER)
    try:
        writer.editing.add_option(built.draft, "Ask the team")
        writer.editing.create_record("Made after the checkpoint")
    finally:
        writer.close()
    audit = auditor.trust.audit(None, before)
    assert audit.problems == []
    assert audit.checkpoint is not None and (audit.checkpoint.grown, audit.checkpoint.new) == (1, 1)


def signed_as(found: cp.Checkpoint, key: signing.SigningKey | None) -> cp.Checkpoint:
    """`found` made again (digest recomputed), signed with `key` or left unsigned."""
    made = cp.make(found.database, found.made_at, found.made_by, list(found.records), list(found.purged))
    if key is None:
        return made
    signature = {
        "signer": key.user,
        "public_key": key.public_b64,
        "fingerprint": key.fingerprint,
        "signature": key.sign(signing.checkpoint_message(made.digest)),
    }
    resigned = cp.Checkpoint(
        made.database, made.made_at, made.made_by, made.records, made.purged, made.digest, signature
    )
    return cp.parse(cp.to_json(resigned))


@pytest.mark.parametrize("resign", ["untrusted key", "no signature"])
def test_a_checkpoint_trimmed_and_resigned_or_unsigned_fails(
    db: Path, auditor: Service, built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, resign: str
) -> None:
    """The draft is deleted and dropped from the checkpoint, whose digest is recomputed and which is
    signed again under Dana's name with a key of the attacker's own (or not signed at all)."""
    before = take_checkpoint(auditor, built)
    raw = sqlite3.connect(db, isolation_level=None)
    raw.execute("PRAGMA foreign_keys = ON")
    raw.execute("DELETE FROM events WHERE record_id = ?", (built.draft,))
    raw.execute("DELETE FROM record_search WHERE rowid = (SELECT rowid FROM records WHERE id = ?)", (built.draft,))
    raw.execute("DELETE FROM records WHERE id = ?", (built.draft,))
    raw.close()
    trimmed = cp.Checkpoint(
        before.database, before.made_at, before.made_by,
        tuple(h for h in before.records if h.record_id != built.draft), before.purged, "",
    )  # fmt: skip
    key = fresh_key(DANA.name, tmp_path / "mallory", monkeypatch) if resign == "untrusted key" else None
    forged = signed_as(trimmed, key)
    found = texts(auditor, forged)
    assert list(found) == ["checkpoint"]
    if key is None:
        assert found["checkpoint"][0].startswith("the checkpoint is unsigned")
    else:
        assert found["checkpoint"][0].startswith(f"the checkpoint is signed by {DANA.name} with key")
        assert "which this desk does not trust" in found["checkpoint"][0]
    assert auditor.trust.audit(None, forged, allow_unsigned=True).problems == []  # what --allow-unsigned gives up


def test_a_tombstone_claiming_more_events_and_a_made_up_head_is_caught(
    db: Path, auditor: Service, built: Built
) -> None:
    """Signed with the supervisor's trusted key (stolen, or the supervisor themselves): the count and
    head it claims do not lead back to the checkpoint's head, so the deletion it covers is named."""
    before = take_checkpoint(auditor, built)
    made_up, at = "ab" * 32, "2026-11-29T00:00:00.000000Z"
    message = signing.tombstone_message(built.draft, 99, made_up, at, DANA.name, "retention")
    dana = _dana_key(built)
    raw = sqlite3.connect(db, isolation_level=None)
    raw.execute(
        "INSERT INTO tombstones (record_id, kind, event_count, head_hash, purged_at, purged_by, purged_role, reason, "
        "public_key, fingerprint, signature) VALUES (?, 'case', 99, ?, ?, ?, 'supervisor', 'retention', ?, ?, ?)",
        (built.draft, made_up, at, DANA.name, dana.public_b64, dana.fingerprint, dana.sign(message)),
    )
    raw.execute("DELETE FROM events WHERE record_id = ?", (built.draft,))
    raw.execute("PRAGMA foreign_keys = ON")
    raw.execute("DELETE FROM record_search WHERE rowid = (SELECT rowid FROM records WHERE id = ?)", (built.draft,))
    raw.execute("DELETE FROM records WHERE id = ?", (built.draft,))
    raw.close()
    assert texts(auditor) == {}  # a signed, trusted tombstone: without the checkpoint nothing is wrong
    assert texts(auditor, before) == {
        built.draft: [
            f"was purged, but its tombstone (99 events, head {made_up[:16]}) does not show the head the checkpoint "
            "holds at event 4"
        ]
    }


def test_a_record_grown_after_the_checkpoint_and_then_purged_matches_it(auditor: Service, built: Built) -> None:
    before = take_checkpoint(auditor, built)
    writer = Service.open(str(auditor.db.url), CASE_MANAGER)
    purger = Service.open(str(auditor.db.url), DANA)
    try:
        writer.editing.add_option(built.draft, "Ask the team")
        purger.purging.purge(built.draft, "Retention: seven years", _dana_key(built))
    finally:
        writer.close()
        purger.close()
    audit = auditor.trust.audit(None, before)
    assert audit.problems == [] and [p.record_id for p in audit.purged] == [built.draft]
