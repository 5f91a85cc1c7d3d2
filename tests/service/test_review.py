"""The supervisor's half of consultation through the service: the queue, the answer, the signature,
the frozen record and its addenda; verify proves the signature and finds every change to it; two
people saving the same record at once never lose a change.

The case manager is the `service` fixture (Robin Ashdown); the supervisor, Dana Okafor, is a second
service on the same database."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ethicsdesk.domain.chain import canonical_json, event_hash, hashed_content
from ethicsdesk.domain.fold import fold
from ethicsdesk.domain.record import RecordState
from ethicsdesk.errors import BadInput, Conflict, EthicsdeskError
from ethicsdesk.service import Service, signing
from ethicsdesk.settings import User
from ethicsdesk.store import eventlog
from ethicsdesk.store.projection import write_projection
from tests.conftest import sqlite_dump

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"
DANA = User("Dana Okafor", "supervisor")
LEE = User("Lee Marsh", "supervisor")
TRAINER = User("Sam Ivers", "trainer")
FROZEN = "This record was signed by Dana Okafor and is frozen; add an addendum instead of editing it."


# --- fixtures and helpers --------------------------------------------------------------------------
def decided(service: Service, title: str = "Discharge or stay", *, floor: bool = False) -> str:
    """A record with two options, a choice and a rationale (a legal floor ticked when `floor`)."""
    rid = service.editing.create_record(title, case_code="C-7")
    keep = service.editing.add_option(rid, "Keep the confidence")
    service.editing.add_option(rid, "Tell the family")
    if floor:
        service.editing.set_obligation(rid, "duty-to-warn", True)
    service.editing.decide(rid, "chosen", keep)
    service.editing.decide(rid, "rationale", "The client has capacity and asked us not to.")
    return rid


def consulted(service: Service, supervisor: Service, rid: str) -> None:
    service.editing.request_consultation(rid, DANA.name, "Is keeping the confidence justified?")
    supervisor.review.answer_consultation(rid, "concur", "The reasoning holds.", "Review in two weeks.")


@dataclass(frozen=True)
class Templates:
    empty: Path
    signed: Path  # one record, decided, consulted and signed by Dana
    signed_id: str
    dana_pem: bytes  # the key that signed it


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    """Databases built once per module and copied for each test: migrating a new database and
    walking a record to its signature take about half a second, and these tests need many."""
    folder = tmp_path_factory.mktemp("templates")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ETHICSDESK_HOME", str(folder / "home"))
        Service.open(f"sqlite:///{folder / 'empty.db'}", User("Template", "case manager")).close()
        url = f"sqlite:///{folder / 'signed.db'}"
        cm, sup = Service.open(url, User("Robin Ashdown", "case manager")), Service.open(url, DANA)
        try:
            rid = decided(cm)
            consulted(cm, sup, rid)
            sup.review.sign(rid, signing.create_key(DANA.name, None))
        finally:
            cm.close()
            sup.close()
        pem = signing.key_path(DANA.name).read_bytes()
    return Templates(folder / "empty.db", folder / "signed.db", rid, pem)


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path, templates: Templates) -> str:
    """A copy of the empty database, or of the signed one for tests that ask for `signed`."""
    path = tmp_path / "test.db"
    source = sqlite3.connect(templates.signed if "signed" in request.fixturenames else templates.empty)
    target = sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    path.chmod(0o600)
    return f"sqlite:///{path}"


@pytest.fixture
def supervisor(service: Service, db_url: str) -> Iterator[Service]:
    svc = Service.open(db_url, DANA)
    yield svc
    svc.close()


@pytest.fixture
def key(request: pytest.FixtureRequest, templates: Templates) -> signing.SigningKey:
    """Dana's key: the one that signed the `signed` record when a test has it, else a new one."""
    if "signed" not in request.fixturenames:
        return signing.create_key(DANA.name, None)
    path = signing.key_path(DANA.name)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.write_bytes(templates.dana_pem)
    path.chmod(0o600)
    return signing.load_key(DANA.name, None)


@pytest.fixture
def signed(service: Service, templates: Templates) -> str:
    """A record decided by Robin, answered and signed by Dana (the database is a copy of a template)."""
    state = service.record(templates.signed_id)
    assert state.frozen and state.signature is not None and state.signature.signer == DANA.name
    return templates.signed_id


def db_path(service: Service) -> Path:
    assert service.db.path is not None
    return service.db.path


def queue_ids(svc: Service, **kw: Any) -> list[str]:
    return [q.record_id for q in svc.review.review_queue(**kw)]


# --- the queue -------------------------------------------------------------------------------------
def test_the_queue_is_urgent_first_then_oldest_and_only_mine(
    service: Service, supervisor: Service, other_service: Callable[[User], Service]
) -> None:
    old = decided(service, "Oldest, ordinary")
    urgent_old = decided(service, "Urgent, older", floor=True)
    new = decided(service, "Newest, ordinary")
    for_lee = decided(service, "For someone else", floor=True)
    urgent_new = decided(service, "Urgent, newer", floor=True)
    # requested in this order; creation order does not matter, the request time does
    service.editing.request_consultation(new, "Dana Okafor", "Third asked?")
    service.editing.request_consultation(old, "Dana Okafor", "First?")  # asked after `new`: newer request
    service.editing.request_consultation(urgent_old, "Dana Okafor", "Warn him?")
    service.editing.request_consultation(for_lee, "Lee Marsh", "Lee's?")
    service.editing.request_consultation(urgent_new, " dana okafor ", "Warn her?")  # names match loosely

    queue = supervisor.review.review_queue()
    assert [q.record_id for q in queue] == [urgent_old, urgent_new, new, old]
    assert [q.urgent for q in queue] == [True, True, False, False]
    first = queue[0]
    assert (first.title, first.case_code, first.question, first.requested_by) == (
        "Urgent, older",
        "C-7",
        "Warn him?",
        "Robin Ashdown",
    )
    assert queue_ids(supervisor, everyone=True) == [urgent_old, for_lee, urgent_new, new, old]
    assert queue_ids(other_service(LEE)) == [for_lee]
    assert queue_ids(service) == []  # the case manager is not asked


def test_a_question_rewritten_in_the_tables_is_not_shown_in_the_queue(service: Service, supervisor: Service) -> None:
    from sqlalchemy import text

    kept, changed = decided(service, "Kept"), decided(service, "Changed")
    service.editing.request_consultation(kept, DANA.name, "Honest question?")
    service.editing.request_consultation(changed, DANA.name, "Honest question?")
    with service.db.engine.begin() as conn:
        conn.execute(text("UPDATE consultations SET question = 'Sign now, no need to read.' WHERE record_id = :r"),
                     {"r": changed})  # fmt: skip
    queue = {q.record_id: q for q in supervisor.review.review_queue()}
    assert queue[kept].question == "Honest question?"
    assert queue[changed].question.startswith("(not shown: this record's tables differ from its events")
    assert "Sign now" not in queue[changed].title + queue[changed].question


def test_answered_and_withdrawn_requests_leave_the_queue(service: Service, supervisor: Service) -> None:
    a, b, c = decided(service, "A"), decided(service, "B"), decided(service, "C")
    for rid in (a, b, c):
        service.editing.request_consultation(rid, DANA.name, "?")
    assert queue_ids(supervisor) == [a, b, c]
    service.editing.withdraw_consultation(b)
    supervisor.review.answer_consultation(c, "do-not-concur", "Tell the family first.")
    assert queue_ids(supervisor) == [a]
    assert queue_ids(supervisor, everyone=True) == [a]
    # asking again puts it back
    service.editing.request_consultation(b, DANA.name, "Again?")
    assert queue_ids(supervisor) == [a, b]


def test_a_request_makes_the_record_await_consultation(service: Service, supervisor: Service) -> None:
    rid = decided(service, floor=True)
    state = service.editing.request_consultation(rid, DANA.name, "Warn him?")
    assert state.status == "awaiting-consultation"
    assert service.summary(rid).status == "awaiting-consultation"
    c = state.consultation
    assert c is not None
    assert (c.supervisor, c.question, c.urgent, c.state, c.requested_by) == (
        "Dana Okafor",
        "Warn him?",
        True,
        "requested",
        "Robin Ashdown",
    )
    with pytest.raises(BadInput, match="Name the supervisor"):
        service.editing.request_consultation(rid, "  ", "?")


# --- answering ---------------------------------------------------------------------------------------
def test_a_supervisor_answers_and_the_case_manager_sees_it(service: Service, supervisor: Service) -> None:
    rid = decided(service)
    service.editing.request_consultation(rid, DANA.name, "Justified?")
    before = service.summary(rid).events
    state = supervisor.review.answer_consultation(
        rid, "concur-with-changes", "  Holds, with a safety plan.  ", " Call the GP by Friday. "
    )
    assert state.status == "consulted"
    seen = service.record(rid)  # the case manager's own service reads the answer
    c = seen.consultation
    assert c is not None
    assert (c.state, c.outcome, c.notes, c.conditions, c.answered_by) == (
        "answered",
        "concur-with-changes",
        "Holds, with a safety plan.",
        "Call the GP by Friday.",
        "Dana Okafor",
    )
    assert c.answered_at
    assert service.summary(rid).status == "consulted"
    assert service.summary(rid).events == before + 1
    assert service.integrity.event_payloads(rid)[-1]["type"] == "consultation.answered"
    assert service.integrity.event_payloads(rid)[-1]["actor"] == "Dana Okafor"


@pytest.mark.parametrize("role_user", [User("Robin Ashdown", "case manager"), TRAINER])
def test_only_a_supervisor_answers(service: Service, other_service: Callable[[User], Service], role_user: User) -> None:
    rid = decided(service)
    service.editing.request_consultation(rid, DANA.name, "?")
    before = sqlite_dump(db_path(service))
    with pytest.raises(BadInput) as exc:
        other_service(role_user).review.answer_consultation(rid, "concur", "Fine by me.")
    assert exc.value.message == (
        f"Only a supervisor can answer a consultation; you are recorded as a {role_user.role}."
    )
    assert sqlite_dump(db_path(service)) == before


def test_a_withdrawn_request_cannot_be_answered(service: Service, supervisor: Service) -> None:
    rid = decided(service)
    service.editing.request_consultation(rid, DANA.name, "?")
    service.editing.withdraw_consultation(rid)
    before = sqlite_dump(db_path(service))
    with pytest.raises(BadInput) as exc:
        supervisor.review.answer_consultation(rid, "concur", "Fine.")
    assert exc.value.message == "This consultation request is withdrawn; there is nothing to answer."
    assert sqlite_dump(db_path(service)) == before


@pytest.mark.parametrize(
    ("prepare", "words"),
    [
        pytest.param(
            lambda svc, sup, rid: None,
            "This consultation request is not open; there is nothing to answer.",
            id="never requested",
        ),
        pytest.param(
            lambda svc, sup, rid: consulted(svc, sup, rid),
            "This consultation request is not open; there is nothing to answer.",
            id="already answered",
        ),
    ],
)
def test_nothing_to_answer(
    service: Service, supervisor: Service, prepare: Callable[[Service, Service, str], None], words: str
) -> None:
    rid = decided(service)
    prepare(service, supervisor, rid)
    before = sqlite_dump(db_path(service))
    with pytest.raises(BadInput) as exc:
        supervisor.review.answer_consultation(rid, "do-not-concur", "Second thoughts.")
    assert exc.value.message == words
    assert sqlite_dump(db_path(service)) == before


@pytest.mark.parametrize(
    ("outcome", "notes", "words"),
    [
        ("concur", "", "Write your consultation notes"),
        ("concur", "   \n ", "Write your consultation notes"),
        ("maybe", "Notes.", "The outcome is one of: concur, concur-with-changes, do-not-concur."),
        ("", "Notes.", "The outcome is one of"),
    ],
)
def test_bad_answers_are_refused_and_change_nothing(
    service: Service, supervisor: Service, outcome: str, notes: str, words: str
) -> None:
    rid = decided(service)
    service.editing.request_consultation(rid, DANA.name, "?")
    before = sqlite_dump(db_path(service))
    with pytest.raises(BadInput, match=words):
        supervisor.review.answer_consultation(rid, outcome, notes)
    assert sqlite_dump(db_path(service)) == before
    assert service.record(rid).status == "awaiting-consultation"


# --- signing -----------------------------------------------------------------------------------------
def test_signing_freezes_the_record(service: Service, supervisor: Service, key: signing.SigningKey) -> None:
    rid = decided(service)
    consulted(service, supervisor, rid)
    head = service.head(rid)
    state = supervisor.review.sign(rid, key)
    assert state.status == "signed"
    assert state.frozen
    sig = state.signature
    assert sig is not None
    assert (sig.signer, sig.role, sig.signed_head, sig.public_key, sig.fingerprint) == (
        "Dana Okafor",
        "supervisor",
        head,
        key.public_b64,
        key.fingerprint,
    )
    assert signing.signature_holds(sig.public_key, sig.signature, signing.signed_message(rid, head))
    assert service.record(rid).signature == sig
    assert service.summary(rid).status == "signed"
    assert supervisor.review.registered_key_owner(key.fingerprint) == "Dana Okafor"
    assert service.integrity.verify(rid) == (1, [])


def test_a_record_without_a_consultation_can_be_signed(
    service: Service, supervisor: Service, key: signing.SigningKey
) -> None:
    rid = decided(service)
    assert supervisor.review.sign(rid, key).status == "signed"


@pytest.mark.parametrize(
    ("prepare", "words"),
    [
        pytest.param(
            lambda svc, rid: svc.editing.decide(rid, "chosen", ""),
            "Only a decided record can be signed: it needs a chosen option and a rationale.",
            id="no choice",
        ),
        pytest.param(
            lambda svc, rid: svc.editing.decide(rid, "rationale", "  "),
            "Only a decided record can be signed: it needs a chosen option and a rationale.",
            id="no rationale",
        ),
        pytest.param(
            lambda svc, rid: svc.editing.request_consultation(rid, DANA.name, "?"),
            "Answer the open consultation request before signing.",
            id="open request",
        ),
    ],
)
def test_signing_an_undecided_or_unanswered_record_is_refused(
    service: Service,
    supervisor: Service,
    key: signing.SigningKey,
    prepare: Callable[[Service, str], object],
    words: str,
) -> None:
    rid = decided(service)
    prepare(service, rid)
    before = sqlite_dump(db_path(service))
    with pytest.raises(BadInput) as exc:
        supervisor.review.sign(rid, key)
    assert exc.value.message == words
    assert sqlite_dump(db_path(service)) == before  # not even the key is registered
    assert supervisor.review.registered_key_owner(key.fingerprint) is None


@pytest.mark.parametrize("signer", [User("Dana Okafor", "case manager"), User("Dana Okafor", "trainer")])
def test_only_a_supervisor_signs(
    service: Service, other_service: Callable[[User], Service], key: signing.SigningKey, signer: User
) -> None:
    rid = decided(service)
    before = sqlite_dump(db_path(service))
    with pytest.raises(BadInput) as exc:
        other_service(signer).review.sign(rid, key)
    assert exc.value.message == f"Only a supervisor can sign a record; you are recorded as a {signer.role}."
    assert sqlite_dump(db_path(service)) == before


def test_someone_elses_key_is_refused(service: Service, supervisor: Service) -> None:
    rid = decided(service)
    lees = signing.create_key(LEE.name, None)
    before = sqlite_dump(db_path(service))
    with pytest.raises(BadInput) as exc:
        supervisor.review.sign(rid, lees)
    assert exc.value.message == "That signing key belongs to someone else."
    assert sqlite_dump(db_path(service)) == before


def test_a_key_registered_to_another_user_is_refused(
    service: Service, supervisor: Service, other_service: Callable[[User], Service]
) -> None:
    lees = signing.create_key(LEE.name, None)
    other_service(LEE).review.sign(decided(service, "Lee signs this"), lees)
    # Lee's private key, presented under Dana's name (a copied key file)
    borrowed = signing.SigningKey(DANA.name, lees.public_b64, lees._private)
    rid = decided(service)
    before = sqlite_dump(db_path(service))
    with pytest.raises(BadInput) as exc:
        supervisor.review.sign(rid, borrowed)
    assert exc.value.message == "That signing key is registered to another user."
    assert sqlite_dump(db_path(service)) == before
    assert supervisor.review.registered_key_owner(lees.fingerprint) == "Lee Marsh"


def test_a_record_is_signed_once(supervisor: Service, key: signing.SigningKey, signed: str) -> None:
    before = sqlite_dump(db_path(supervisor))
    with pytest.raises(BadInput, match="already signed by Dana Okafor"):
        supervisor.review.sign(signed, key)
    assert sqlite_dump(db_path(supervisor)) == before


def test_the_key_is_registered_once_for_many_signatures(
    service: Service, supervisor: Service, key: signing.SigningKey
) -> None:
    a, b = decided(service, "A"), decided(service, "B")
    supervisor.review.sign(a, key)
    supervisor.review.sign(b, key)
    conn = sqlite3.connect(db_path(service))
    try:
        rows = conn.execute("SELECT fingerprint, user, public_key FROM signing_keys").fetchall()
    finally:
        conn.close()
    assert rows == [(key.fingerprint, "Dana Okafor", key.public_b64)]
    assert service.integrity.verify() == (2, [])


# --- a frozen record ---------------------------------------------------------------------------------
EDITS: dict[str, Callable[[Service, str], object]] = {
    "set_text": lambda s, r: s.editing.set_text(r, "facts", "Something new."),
    "set_title": lambda s, r: s.editing.set_text(r, "title", "Renamed"),
    "set_outcome": lambda s, r: s.editing.set_text(r, "outcome", "He went home."),
    "set_list": lambda s, r: s.editing.set_list(r, "tags", ["x"]),
    "set_stakeholders": lambda s, r: s.editing.set_stakeholders(r, [("Son", "worried")]),
    "set_obligation": lambda s, r: s.editing.set_obligation(r, "confidentiality", True),
    "check_floor": lambda s, r: s.editing.check_floor(r, "duty-to-warn", "keep-the-confidence", True),
    "add_option": lambda s, r: s.editing.add_option(r, "A third way"),
    "change_option": lambda s, r: s.editing.change_option(r, "keep-the-confidence", label="Keep it"),
    "remove_option": lambda s, r: s.editing.remove_option(r, "tell-the-family"),
    "move_option": lambda s, r: s.editing.move_option(r, "tell-the-family", 0),
    "score": lambda s, r: s.editing.score(r, "keep-the-confidence", "autonomy", 2),
    "note": lambda s, r: s.editing.note(r, "keep-the-confidence", "autonomy", "His choice."),
    "set_weight": lambda s, r: s.editing.set_weight(r, "autonomy", 3),
    "set_priority": lambda s, r: s.editing.set_priority(r, sorted(s.framework().ids)),
    "decide_chosen": lambda s, r: s.editing.decide(r, "chosen", "tell-the-family"),
    "decide_rationale": lambda s, r: s.editing.decide(r, "rationale", "Changed my mind."),
    "decide_same_value": lambda s, r: s.editing.decide(r, "chosen", "keep-the-confidence"),
    "answer": lambda s, r: s.editing.answer(r, "test:publicity", "Yes."),
    "request_consultation": lambda s, r: s.editing.request_consultation(r, DANA.name, "Again?"),
    "withdraw_consultation": lambda s, r: s.editing.withdraw_consultation(r),
}


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
def test_every_edit_of_a_signed_record_is_refused(service: Service, signed: str, edit: str) -> None:
    snapshot = service.record(signed).snapshot()
    head = service.head(signed)
    before = sqlite_dump(db_path(service))
    with pytest.raises(BadInput) as exc:
        EDITS[edit](service, signed)
    assert exc.value.message == FROZEN
    assert service.record(signed).snapshot() == snapshot
    assert service.head(signed) == head
    assert sqlite_dump(db_path(service)) == before


def test_the_supervisor_cannot_answer_again_once_signed(service: Service, supervisor: Service, signed: str) -> None:
    before = sqlite_dump(db_path(service))
    with pytest.raises(BadInput) as exc:
        supervisor.review.answer_consultation(signed, "do-not-concur", "On reflection, no.")
    assert exc.value.message == FROZEN
    assert sqlite_dump(db_path(service)) == before


def test_an_addendum_is_added_to_a_signed_record(service: Service, signed: str) -> None:
    snapshot = service.record(signed).snapshot()
    events = service.summary(signed).events
    state = service.review.add_addendum(signed, "outcome", "  Follow-up visit.  ", "  He is home and safe.  ")
    assert state.status == "signed"
    assert len(state.addenda) == 1
    a = state.addenda[0]
    assert (a.topic, a.reason, a.text, a.author) == (
        "outcome",
        "Follow-up visit.",
        "He is home and safe.",
        "Robin Ashdown",
    )
    after = service.record(signed).snapshot()
    # the signed content is as it was; only the addenda and the bookkeeping moved
    changed = {k for k in after if after[k] != snapshot[k]}
    assert changed == {"addenda", "events", "updated_at", "updated_by"}
    assert service.summary(signed).events == events + 1
    service.review.add_addendum(signed, "correction", "A date was wrong.", "The visit was on the 3rd.")
    assert [x.topic for x in service.record(signed).addenda] == ["outcome", "correction"]


def test_an_addendum_to_an_unsigned_record_is_refused(service: Service, supervisor: Service) -> None:
    rid = decided(service)
    consulted(service, supervisor, rid)
    before = sqlite_dump(db_path(service))
    with pytest.raises(BadInput) as exc:
        service.review.add_addendum(rid, "outcome", "Visit.", "He is home.")
    assert exc.value.message == "Addenda are for signed records; this one can still be edited directly."
    assert sqlite_dump(db_path(service)) == before


@pytest.mark.parametrize(
    ("topic", "reason", "text", "words"),
    [
        ("gossip", "Why.", "What.", "An addendum is one of: outcome, new-information, correction, follow-up."),
        ("outcome", "Why.", "   ", "An addendum needs its text."),
        ("outcome", "", "What.", "Say why the addendum is added"),
    ],
)
def test_bad_addenda_are_refused(service: Service, signed: str, topic: str, reason: str, text: str, words: str) -> None:
    before = sqlite_dump(db_path(service))
    with pytest.raises(BadInput, match=words):
        service.review.add_addendum(signed, topic, reason, text)
    assert sqlite_dump(db_path(service)) == before


def test_a_signed_record_can_still_be_exported(service: Service, signed: str) -> None:
    state = service.record_export(signed, "md", True, "report.md")
    assert state.status == "signed"
    assert service.integrity.verify(signed) == (1, [])


# --- verify ------------------------------------------------------------------------------------------
def test_verify_holds_after_sign_and_addendum(service: Service, supervisor: Service, signed: str) -> None:
    service.review.add_addendum(signed, "new-information", "New facts.", "His brother moved in.")
    unsigned = decided(service, "Not signed")
    assert service.integrity.verify() == (2, [])
    assert supervisor.integrity.verify(signed) == (1, [])
    assert service.integrity.verify(unsigned) == (1, [])


def raw_sql(service: Service, *statements: str, drop_triggers: bool = False) -> None:
    """Change the database behind ethicsdesk's back, as someone with the file could."""
    conn = sqlite3.connect(db_path(service), isolation_level=None)
    try:
        if drop_triggers:
            conn.execute("DROP TRIGGER IF EXISTS events_no_update")
            conn.execute("DROP TRIGGER IF EXISTS events_no_delete")
        for statement in statements:
            assert conn.execute(statement).rowcount >= 1, statement
    finally:
        conn.close()


def problems(service: Service, rid: str) -> list[str]:
    checked, found = service.integrity.verify(rid)
    assert checked == 1
    assert all(p.record_id == rid for p in found)
    return [p.text for p in found]


NOT_REGISTERED = "the signing key is not registered to Dana Okafor in this database"


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        pytest.param(
            "UPDATE signatures SET signature = 'AAAA' || substr(signature, 5) WHERE record_id = '{rid}'",
            "the current-state tables differ from the event log in: signature",
            id="signature",
        ),
        pytest.param(
            "UPDATE signatures SET public_key = '{other_public}' WHERE record_id = '{rid}'",
            "the current-state tables differ from the event log in: signature",
            id="public key",
        ),
        pytest.param(
            "UPDATE signatures SET fingerprint = '{other_fp}' WHERE record_id = '{rid}'",
            "the current-state tables differ from the event log in: signature",
            id="fingerprint",
        ),
        pytest.param(
            "UPDATE signatures SET signer = 'Mallory' WHERE record_id = '{rid}'",
            "the current-state tables differ from the event log in: signature",
            id="signer",
        ),
        pytest.param(
            "UPDATE signatures SET signed_head = '{zero}' WHERE record_id = '{rid}'",
            "the current-state tables differ from the event log in: signature",
            id="signed head",
        ),
        pytest.param("DELETE FROM signing_keys WHERE user = 'Dana Okafor'", NOT_REGISTERED, id="key deleted"),
        pytest.param("UPDATE signing_keys SET user = 'Mallory'", NOT_REGISTERED, id="key re-owned"),
        pytest.param("UPDATE signing_keys SET public_key = '{other_public}'", NOT_REGISTERED, id="key replaced"),
    ],
)
def test_tampering_with_the_signature_tables_is_found(
    service: Service, signed: str, statement: str, expected: str
) -> None:
    assert problems(service, signed) == []
    mallory = signing.create_key("Mallory", None)
    raw_sql(
        service,
        statement.format(rid=signed, other_public=mallory.public_b64, other_fp=mallory.fingerprint, zero="0" * 64),
    )
    assert expected in problems(service, signed)


def test_deleting_the_signature_row_is_found(service: Service, signed: str) -> None:
    raw_sql(service, f"DELETE FROM signatures WHERE record_id = '{signed}'")
    found = problems(service, signed)
    assert any("differ from the event log" in p and "signature" in p for p in found), found


def test_editing_the_signed_event_is_found(service: Service, signed: str) -> None:
    """A changed record.signed payload breaks the chain (the append-only trigger must be dropped first)."""
    seq = next(e["seq"] for e in service.integrity.event_payloads(signed) if e["type"] == "record.signed")
    genuine = service.record(signed).signature
    assert genuine is not None
    mallory = signing.create_key("Mallory", None)
    raw_sql(
        service,
        f"UPDATE events SET payload = replace(payload, '{genuine.fingerprint}', '{mallory.fingerprint}') "
        f"WHERE record_id = '{signed}' AND seq = {seq}",
        drop_triggers=True,
    )
    found = problems(service, signed)
    assert f"event {seq} (record.signed) was changed after it was written" in found
    assert len(found) >= 2  # and the tables no longer match the fold, nor the key its fingerprint


def test_the_log_cannot_be_edited_while_the_trigger_stands(service: Service, signed: str) -> None:
    conn = sqlite3.connect(db_path(service), isolation_level=None)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(f"UPDATE events SET payload = '{{}}' WHERE record_id = '{signed}'")
    finally:
        conn.close()
    assert problems(service, signed) == []


def forge(service: Service, rid: str, change: Callable[[list[dict[str, Any]]], None]) -> None:
    """Rewrite a record's log as a forger with the file would: change events, then recompute every
    hash of the chain and rebuild the current-state tables from the changed log, so that nothing but
    the signature can give the change away."""
    conn = sqlite3.connect(db_path(service), isolation_level=None)
    try:
        conn.execute("DROP TRIGGER IF EXISTS events_no_update")
        conn.execute("DROP TRIGGER IF EXISTS events_no_delete")
        cols = ("id", "seq", "type", "actor", "actor_role", "at", "payload")
        rows = [
            dict(zip(cols, r, strict=True))
            for r in conn.execute(
                f"SELECT {', '.join(cols)} FROM events WHERE record_id = ? ORDER BY seq", (rid,)
            ).fetchall()
        ]
        for r in rows:
            r["payload"] = json.loads(r["payload"])
        change(rows)
        prev = "0" * 64
        conn.execute("BEGIN")
        for r in rows:
            payload_json = canonical_json(r["payload"])
            content = hashed_content(rid, r["type"], r["actor"], r["actor_role"], r["at"], payload_json)
            digest = event_hash(prev, r["seq"], content)
            conn.execute(
                "UPDATE events SET type = ?, actor = ?, actor_role = ?, at = ?, payload = ?, prev_hash = ?, hash = ? "
                "WHERE id = ?",
                (r["type"], r["actor"], r["actor_role"], r["at"], payload_json, prev, digest, r["id"]),
            )
            prev = digest
        conn.execute("COMMIT")
    finally:
        conn.close()
    with service.db.writing() as s:
        log = eventlog.read(s, rid)
        state = fold(rid, [eventlog.to_event(r) for r in log])
        write_projection(s, state, log[-1].hash, service._step(state))


def signed_event(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return next(r for r in rows if r["type"] == "record.signed")


def test_a_forged_rewrite_without_touching_the_signature_verifies(service: Service, signed: str) -> None:
    """The forge helper itself leaves an intact log intact (so the failures below are the forgeries')."""
    service.review.add_addendum(signed, "outcome", "Visit.", "He is home.")
    forge(service, signed, lambda rows: None)
    assert problems(service, signed) == []


def test_changing_the_signed_reasoning_is_found(service: Service, supervisor: Service, signed: str) -> None:
    service.review.add_addendum(signed, "outcome", "Visit.", "He is home.")

    def rewrite(rows: list[dict[str, Any]]) -> None:
        for r in rows:
            if r["type"] == "decision.set" and r["payload"]["field"] == "rationale":
                r["payload"]["value"] = "We were told to."

    forge(service, signed, rewrite)
    assert service.record(signed).decision["rationale"] == "We were told to."
    assert problems(service, signed) == ["the signature does not cover the record as it stood when it was signed"]


def test_changing_the_signed_reasoning_and_the_signed_head_is_found(service: Service, signed: str) -> None:
    def rewrite(rows: list[dict[str, Any]]) -> None:
        for r in rows:
            if r["type"] == "decision.set" and r["payload"]["field"] == "rationale":
                r["payload"]["value"] = "We were told to."
        # point the signature at the rewritten head (the hash before the signed event, recomputed)
        prev = "0" * 64
        for r in rows:
            if r["type"] == "record.signed":
                r["payload"]["signed_head"] = prev
                break
            content = hashed_content(
                signed, r["type"], r["actor"], r["actor_role"], r["at"], canonical_json(r["payload"])
            )
            prev = event_hash(prev, r["seq"], content)

    forge(service, signed, rewrite)
    assert problems(service, signed) == ["the signature by Dana Okafor does not verify"]


def test_a_damaged_signature_is_found(service: Service, signed: str) -> None:
    def rewrite(rows: list[dict[str, Any]]) -> None:
        p = signed_event(rows)["payload"]
        p["signature"] = signing.create_key("Mallory", None).sign(b"something else")

    forge(service, signed, rewrite)
    assert problems(service, signed) == ["the signature by Dana Okafor does not verify"]


def test_a_forged_re_sign_with_another_unregistered_key_is_found(service: Service, signed: str) -> None:
    mallory = signing.create_key("Mallory", None)

    def rewrite(rows: list[dict[str, Any]]) -> None:
        p = signed_event(rows)["payload"]
        p["public_key"], p["fingerprint"] = mallory.public_b64, mallory.fingerprint
        p["signature"] = mallory.sign(signing.signed_message(signed, p["signed_head"]))

    forge(service, signed, rewrite)
    assert problems(service, signed) == [NOT_REGISTERED]


def test_a_forged_re_sign_with_a_key_registered_to_someone_else_is_found(
    service: Service, supervisor: Service, other_service: Callable[[User], Service], signed: str
) -> None:
    lees = signing.create_key(LEE.name, None)
    other_service(LEE).review.sign(decided(service, "Lee signs this"), lees)  # Lee's key is in the database

    def rewrite(rows: list[dict[str, Any]]) -> None:
        p = signed_event(rows)["payload"]
        p["public_key"], p["fingerprint"] = lees.public_b64, lees.fingerprint
        p["signature"] = lees.sign(signing.signed_message(signed, p["signed_head"]))

    forge(service, signed, rewrite)
    assert problems(service, signed) == [NOT_REGISTERED]


def test_a_fingerprint_that_does_not_match_its_key_is_found(service: Service, signed: str) -> None:
    def rewrite(rows: list[dict[str, Any]]) -> None:
        signed_event(rows)["payload"]["fingerprint"] = "f" * 64

    forge(service, signed, rewrite)
    found = problems(service, signed)
    assert "the signing key's fingerprint does not match the key" in found
    assert NOT_REGISTERED in found


def test_a_signature_moved_to_another_signer_is_found(service: Service, signed: str) -> None:
    def rewrite(rows: list[dict[str, Any]]) -> None:
        signed_event(rows)["actor"] = "Mallory"

    forge(service, signed, rewrite)
    assert problems(service, signed) == ["the signing key is not registered to Mallory in this database"]


def test_a_signature_copied_from_another_record_is_found(
    service: Service, supervisor: Service, key: signing.SigningKey, signed: str
) -> None:
    """Dana's genuine signature of one record, pasted into another record's log, does not hold there."""
    target = decided(service, "Never signed")
    donor = signed_event(
        [{"type": e["type"], "payload": e["payload"]} for e in service.integrity.event_payloads(signed)]
    )

    def rewrite(rows: list[dict[str, Any]]) -> None:
        last = rows[-1]
        # the forger replaces the last event with a record.signed carrying the donor's payload
        payload = dict(donor["payload"])
        before = rows[-2]
        prev = "0" * 64
        for r in rows[:-1]:
            content = hashed_content(
                target, r["type"], r["actor"], r["actor_role"], r["at"], canonical_json(r["payload"])
            )
            prev = event_hash(prev, r["seq"], content)
        assert before["seq"] == last["seq"] - 1
        payload["signed_head"] = prev
        last.update(type="record.signed", actor="Dana Okafor", actor_role="supervisor", payload=payload)

    forge(service, target, rewrite)
    assert service.record(target).frozen
    assert problems(service, target) == ["the signature by Dana Okafor does not verify"]


# --- history and replay -------------------------------------------------------------------------------
def test_history_and_replay_cover_consultation_and_signing(
    service: Service, supervisor: Service, key: signing.SigningKey
) -> None:
    rid = decided(service, floor=True)
    service.editing.request_consultation(rid, "Lee Marsh", "First ask")
    service.editing.withdraw_consultation(rid)
    service.editing.request_consultation(rid, DANA.name, "Warn him?")
    supervisor.review.answer_consultation(rid, "concur", "Warn and involve him.")
    supervisor.review.sign(rid, key)
    service.review.add_addendum(rid, "follow-up", "Called back.", "The police visited.")
    history = service.history(rid)
    types = [h.type for h in history]
    assert types[-6:] == [
        "consultation.requested",
        "consultation.withdrawn",
        "consultation.requested",
        "consultation.answered",
        "record.signed",
        "addendum.added",
    ]
    by_type = {h.type: h for h in history}
    assert (by_type["consultation.answered"].actor, by_type["consultation.answered"].role) == (
        "Dana Okafor",
        "supervisor",
    )
    assert by_type["record.signed"].role == "supervisor"
    assert history[-6].text == "requested urgent consultation from Lee Marsh"
    n = len(history)
    # replay folds every prefix: before the answer, before the signature, all of it
    assert service.integrity.replay(rid, n - 3).status == "awaiting-consultation"
    assert service.integrity.replay(rid, n - 2).status == "consulted"
    before_sign = service.integrity.replay(rid, n - 2)
    assert not before_sign.frozen
    signed_state = service.integrity.replay(rid, n - 1)
    assert signed_state.frozen
    assert signed_state.addenda == []
    whole = service.integrity.replay(rid)
    assert whole.snapshot() == service.record(rid).snapshot()
    assert service.integrity.verify(rid) == (1, [])


def test_history_describes_the_answer_the_signature_and_the_addendum_in_words(
    service: Service, supervisor: Service, key: signing.SigningKey
) -> None:
    """The replay timeline reads events in words; the new events should not show as bare type names."""
    rid = decided(service)
    consulted(service, supervisor, rid)
    supervisor.review.sign(rid, key)
    service.review.add_addendum(rid, "follow-up", "Called back.", "The police visited.")
    texts = {h.type: h.text for h in service.history(rid)}
    for t in ("consultation.answered", "record.signed", "addendum.added"):
        assert texts[t] != t, f"{t} has no description in domain/history.py"
    assert "concur" in texts["consultation.answered"]


# --- two people at once ------------------------------------------------------------------------------
def test_a_save_against_a_stale_head_is_refused_and_the_other_change_kept(
    service: Service, other_service: Callable[[User], Service]
) -> None:
    rid = decided(service)
    colleague = other_service(User("Kim Doyle", "case manager"))
    opened_at = service.head(rid)  # Robin's screen read the record here
    colleague.editing.set_text(rid, "facts", "Kim's facts.")
    theirs = service.head(rid)
    before = sqlite_dump(db_path(service))
    with service.expecting(opened_at), pytest.raises(Conflict) as exc:
        service.editing.set_text(rid, "facts", "Robin's facts.")
    assert "Someone else changed this record after you opened it" in exc.value.message
    assert exc.value.message.endswith(".")
    assert sqlite_dump(db_path(service)) == before
    assert service.record(rid).text["facts"] == "Kim's facts."
    assert service.head(rid) == theirs
    # every kind of change is held to the head, not only text
    with service.expecting(opened_at):
        for change in (
            lambda: service.editing.score(rid, "keep-the-confidence", "autonomy", 1),
            lambda: service.editing.request_consultation(rid, DANA.name, "?"),
            lambda: service.editing.add_option(rid, "Third"),
        ):
            with pytest.raises(Conflict):
                change()
    assert sqlite_dump(db_path(service)) == before
    # reopened (the current head), the save goes through; outside `expecting` nothing is held
    with service.expecting(service.head(rid)):
        service.editing.set_text(rid, "facts", "Robin's facts, after reading Kim's.")
    service.editing.set_text(rid, "assumptions", "None.")
    assert service.record(rid).text["facts"] == "Robin's facts, after reading Kim's."
    assert service.integrity.verify(rid) == (1, [])


def test_expecting_restores_the_previous_expectation(service: Service) -> None:
    rid = decided(service)
    head = service.head(rid)
    with service.expecting(head):
        with service.expecting(None):
            service.editing.set_text(rid, "facts", "One.")  # not held
        with pytest.raises(Conflict):
            service.editing.set_text(rid, "facts", "Two.")  # held to `head` again
    service.editing.set_text(rid, "facts", "Three.")
    assert service.record(rid).text["facts"] == "Three."


def test_a_frozen_record_is_refused_as_frozen_even_with_a_stale_head(
    service: Service, supervisor: Service, key: signing.SigningKey
) -> None:
    rid = decided(service)
    opened_at = service.head(rid)
    supervisor.review.sign(rid, key)
    with service.expecting(opened_at), pytest.raises(BadInput) as exc:
        service.editing.set_text(rid, "facts", "Late edit.")
    assert exc.value.message == FROZEN


def test_a_change_while_signing_refuses_the_signature(
    service: Service, supervisor: Service, key: signing.SigningKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The supervisor signs the head they reviewed: an edit landing in between is kept, the signature refused."""
    rid = decided(service)
    register = supervisor.review._register_key

    def edit_then_register(k: object) -> None:
        service.editing.decide(rid, "rationale", "Edited while the supervisor signed.")
        register(k)

    monkeypatch.setattr(supervisor.review, "_register_key", edit_then_register)
    with pytest.raises(Conflict) as exc:
        supervisor.review.sign(rid, key)
    assert exc.value.message == "The record changed while you were signing; review it again and sign then."
    state = service.record(rid)
    assert not state.frozen
    assert state.decision["rationale"] == "Edited while the supervisor signed."
    assert service.integrity.verify(rid) == (1, [])


def test_a_change_while_answering_is_kept_and_the_answer_applies_to_the_current_request(
    service: Service, supervisor: Service
) -> None:
    rid = decided(service)
    service.editing.request_consultation(rid, DANA.name, "?")
    reviewed = supervisor.head(rid)
    service.editing.withdraw_consultation(rid)
    with supervisor.expecting(reviewed), pytest.raises(EthicsdeskError):
        supervisor.review.answer_consultation(rid, "concur", "Fine.")
    assert service.record(rid).consultation.state == "withdrawn"  # type: ignore[union-attr]


def test_a_withdrawal_landing_while_answering_still_refuses_the_answer(
    service: Service, supervisor: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    rid = decided(service)
    service.editing.request_consultation(rid, DANA.name, "?")
    stale = supervisor.record(rid)  # what the supervisor's screen read
    service.editing.withdraw_consultation(rid)
    monkeypatch.setattr(supervisor, "record", lambda _rid: stale)
    before = sqlite_dump(db_path(service))
    with pytest.raises(BadInput) as exc:
        supervisor.review.answer_consultation(rid, "concur", "Fine.")
    assert exc.value.message == "There is no open consultation request to answer."
    assert sqlite_dump(db_path(service)) == before


def test_a_change_between_the_checks_and_the_signature_is_not_signed_unchecked(
    service: Service, supervisor: Service, key: signing.SigningKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    """sign() checks the record, then signs its head: an edit landing in between (here the rationale
    cleared) must not be signed on the strength of checks made on the state before it."""
    rid = decided(service)
    read = supervisor.record

    def read_then_edit(record_id: str) -> RecordState:
        state = read(record_id)
        service.editing.decide(rid, "rationale", "")
        return state

    monkeypatch.setattr(supervisor, "record", read_then_edit)
    with pytest.raises(EthicsdeskError):
        supervisor.review.sign(rid, key)
    state = service.record(rid)
    assert not state.frozen, "an undecided record was signed"
    assert service.integrity.verify(rid) == (1, [])


def test_signing_is_held_to_the_head_the_supervisor_reviewed(
    service: Service, supervisor: Service, key: signing.SigningKey
) -> None:
    """The review screen signs under `expecting(head it showed)`: a change made since is not signed."""
    rid = decided(service)
    reviewed = supervisor.head(rid)
    service.editing.decide(rid, "rationale", "Changed after the supervisor read it.")
    before = sqlite_dump(db_path(service))
    with supervisor.expecting(reviewed), pytest.raises(Conflict) as exc:
        supervisor.review.sign(rid, key)
    assert exc.value.message.endswith("review it again and sign then.")
    assert sqlite_dump(db_path(service)) == before  # not signed, and the key not even registered
    current = supervisor.head(rid)  # reviewed again
    with supervisor.expecting(current):
        assert supervisor.review.sign(rid, key).signature.signed_head == current  # type: ignore[union-attr]
    assert service.record(rid).frozen
    assert service.integrity.verify(rid) == (1, [])


def test_a_record_asked_mid_walk_and_for_its_sign_off_is_two_items_in_the_queue(
    service: Service, supervisor: Service
) -> None:
    rid = decided(service, "Asked twice")
    service.editing.request_consultation(rid, DANA.name, "A duty to warn?", step="obligations")
    service.editing.request_consultation(rid, DANA.name, "Sign it off?")
    queue = supervisor.review.review_queue()
    assert [(q.record_id, q.step, q.number, q.sign_off, q.question) for q in queue] == [
        (rid, "obligations", 1, False, "A duty to warn?"),
        (rid, "consult", 0, True, "Sign it off?"),
    ]
    supervisor.review.answer_consultation(rid, "concur", "Yes.")
    assert [q.number for q in supervisor.review.review_queue()] == [1]


def test_sign_warnings_name_a_failed_liking_test_and_decisional_conflict(service: Service, supervisor: Service) -> None:
    rid = decided(service)
    assert supervisor.review.sign_warnings(service.record(rid)) == []  # unanswered checks are not warned of here
    service.editing.answer(rid, "test:liking", "yes")
    service.editing.answer(rid, "sure:sure", "no")
    service.editing.answer(rid, "test:publicity", "yes")  # passed: not warned of
    warnings = supervisor.review.sign_warnings(service.record(rid))
    assert len(warnings) == 2
    assert warnings[0].startswith("The liking test was answered yes")
    assert warnings[1].startswith("Decisional conflict")
