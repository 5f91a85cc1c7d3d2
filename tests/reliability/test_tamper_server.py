"""Tamper on a shared PostgreSQL database by its own people: a staff login writing the
current-state tables or the signing keys directly, and the database's owner forging a tombstone.
Each login is made in the test (tests/service/test_server_identity.py's `desk`); what `db init` sets
is what they may do. Each attack is refused by the server or named by every read and by `verify`."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from ethicsdesk.domain import checkpoint as cp
from ethicsdesk.errors import CheckFailed
from ethicsdesk.service import signing
from ethicsdesk.store.engine import open_database
from ethicsdesk.store.schema import HEAD, current_revision
from tests.cli.conftest import run_main
from tests.service import test_server_identity
from tests.service.test_server_identity import Desk, as_person, decided
from tests.store.test_schema_0005 import migrate

desk = test_server_identity.desk  # the fixture: a login each for a case manager, a supervisor, an administrator

FORGED = "The client asked us to tell everyone."


def _plain(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def signed_record(desk: Desk) -> str:
    """A record decided by the case manager and signed by the supervisor, whose key the
    administrator trusts in the server's table."""
    robin, dana, alex = (as_person(desk, login) for login in (desk.cm, desk.sup, desk.admin))
    try:
        rid = decided(robin)
        robin.editing.request_consultation(rid, desk.sup, "May I keep it private?")
        dana.review.answer_consultation(rid, "concur", "Yes.")
        key = signing.create_key(desk.sup, None)
        alex.trust.trust_key(desk.sup, key.public_b64)
        dana.review.sign(rid, key)
        return rid
    finally:
        for s in (robin, dana, alex):
            s.close()


@pytest.mark.parametrize(
    "statement",
    [
        f"UPDATE decisions SET rationale = '{FORGED}' WHERE record_id = %s",
        "UPDATE records SET title = 'Tell the school' WHERE id = %s",
        "UPDATE consultations SET notes = 'No: tell them.' WHERE record_id = %s",
        "UPDATE records SET head_hash = repeat('a', 64) WHERE id = %s",
    ],
)
def test_a_staff_login_rewriting_a_signed_records_tables_is_refused_by_every_read(
    desk: Desk, statement: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rid = signed_record(desk)
    with psycopg.connect(_plain(desk.as_login(desk.cm)), autocommit=True) as c:
        assert c.execute(statement, (rid,)).rowcount == 1  # staff may still write the tables...
    robin = as_person(desk, desk.cm)
    try:
        with pytest.raises(CheckFailed, match=f"{rid} is not shown: its current-state tables differ"):
            robin.record(rid)  # ...but no face shows what they wrote as the signed record
        assert any(p.record_id == rid for p in robin.integrity.verify()[1])
    finally:
        robin.close()
    for args in (["show", rid], ["export", rid, "--format", "md", "--out", str(tmp_path / "r.md")]):
        code, out, err = run_main(monkeypatch, capsys, *args, "--db", desk.as_login(desk.cm))
        assert code == 1 and FORGED not in out and "is not shown" in err, (args, out, err)
        assert err.count("\n") == 1
    assert not (tmp_path / "r.md").exists()


def test_a_staff_login_cannot_register_a_signing_key_under_another_name(desk: Desk) -> None:
    key = signing.create_key(desk.sup, None)
    with psycopg.connect(_plain(desk.as_login(desk.cm)), autocommit=True) as c:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            c.execute(
                "INSERT INTO signing_keys VALUES (%s, %s, %s, '2026-12-07T00:00:00Z')",
                (key.fingerprint, desk.sup, key.public_b64),
            )
        with pytest.raises(psycopg.errors.RaiseException, match="registered to the login that uses it"):
            c.execute(
                "SELECT ethicsdesk_register_signing_key(%s, %s, %s, 'now')",
                (key.fingerprint, desk.sup, key.public_b64),
            )
    with psycopg.connect(_plain(desk.url), autocommit=True) as c:
        assert c.execute("SELECT count(*) FROM signing_keys").fetchone() == (0,)


def test_an_unsigned_tombstone_the_owner_writes_naming_another_person_is_caught(desk: Desk) -> None:
    """The owner switches off the trigger that holds a tombstone to its login, writes one naming the
    supervisor with no signature, and deletes the record: verify --checkpoint names it."""
    rid = signed_record(desk)
    alex = as_person(desk, desk.admin)
    try:
        alex_key = signing.create_key(desk.admin, None)
        alex.trust.trust_key(desk.admin, alex_key.public_b64)
        before = cp.parse(cp.to_json(alex.checkpoints.make_checkpoint(alex_key)))
    finally:
        alex.close()
    head = next(h for h in before.records if h.record_id == rid)
    with psycopg.connect(_plain(desk.url), autocommit=True) as c:
        c.execute("ALTER TABLE tombstones DISABLE TRIGGER tombstones_identity")
        c.execute(
            "INSERT INTO tombstones (record_id, kind, event_count, head_hash, purged_at, purged_by, purged_role, "
            "reason, public_key, fingerprint, signature) "
            "VALUES (%s, 'case', %s, %s, '2026-12-07T00:00:00Z', %s, 'administrator', 'Retention', '', '', '')",
            (rid, head.events, head.head_hash, desk.sup),
        )
        c.execute("DELETE FROM events WHERE record_id = %s", (rid,))
        c.execute("DELETE FROM records WHERE id = %s", (rid,))
    robin = as_person(desk, desk.cm)
    try:
        audit = robin.trust.audit(None, before)
    finally:
        robin.close()
    assert [(p.record_id, p.untrusted) for p in audit.problems] == [(rid, False)]
    assert audit.problems[0].text.startswith(f"was purged (the tombstone names {desk.sup}) without a signature")


def test_schema_0007_on_an_upgraded_database_takes_back_the_staff_insert_on_signing_keys(desk: Desk) -> None:
    from ethicsdesk.service.databases import upgrade_database
    from ethicsdesk.store.server_roles import STAFF

    def staff_may_insert() -> bool:
        with psycopg.connect(_plain(desk.url), autocommit=True) as c:
            row = c.execute(f"SELECT has_table_privilege('{STAFF}', 'signing_keys', 'INSERT')").fetchone()
            return bool(row and row[0])

    assert not staff_may_insert()
    migrate(desk.url, "0006", down=True)
    with psycopg.connect(_plain(desk.url), autocommit=True) as c:
        c.execute(f"GRANT INSERT ON signing_keys TO {STAFF}")  # what `db init` granted before 0007
    assert staff_may_insert()
    upgrade_database(desk.url)
    db = open_database(desk.url)
    try:
        assert current_revision(db) == HEAD
    finally:
        db.dispose()
    assert not staff_may_insert()
    rid = signed_record(desk)  # and a supervisor still signs through the function
    robin = as_person(desk, desk.cm)
    try:
        assert robin.trust.audit(rid).problems == []
    finally:
        robin.close()


def test_a_title_rewritten_by_a_staff_login_is_refused_by_list(
    desk: Desk, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rid = signed_record(desk)
    with psycopg.connect(_plain(desk.as_login(desk.cm)), autocommit=True) as c:
        c.execute("UPDATE records SET title = 'Tell the school', status = 'draft' WHERE id = %s", (rid,))
    code, out, err = run_main(monkeypatch, capsys, "list", "--db", desk.as_login(desk.cm))
    assert (code, out) == (1, "") and f"({rid}; they were changed outside ethicsdesk)" in err
    assert err.count("\n") == 1


def test_an_auditor_on_postgresql_checks_against_their_own_file_not_the_owners_table(
    desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The owner can write `trusted_keys`; an auditor who names their own file is not bound by it."""
    rid = signed_record(desk)  # Dana's key is trusted in the server's table
    robin = as_person(desk, desk.cm)
    try:
        assert robin.trust.audit().problems == []
        own = tmp_path / "auditor-keys.toml"
        own.write_text('format = "ethicsdesk.trusted-keys/1"\n')  # the auditor has not vouched for Dana yet
        monkeypatch.setenv("ETHICSDESK_TRUSTED_KEYS", str(own))
        audit = robin.trust.audit()
        assert audit.trust == f"the trusted-keys file {own}"
        assert [(p.record_id, p.untrusted) for p in audit.problems] == [(rid, True)]
    finally:
        robin.close()
