"""PostgreSQL: identity set by the server. Each person has a login of their own, made in
the test (CREATE ROLE … LOGIN, dropped after): a case manager, a supervisor and an administrator.
`db init` sets the roles and grants; the attacks of the issue are each refused or caught."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from ethicsdesk.errors import BadInput, DatabaseProblem, EthicsdeskError
from ethicsdesk.service import Service, open_service, signing
from ethicsdesk.settings import User
from ethicsdesk.store.engine import open_database
from ethicsdesk.store.server_roles import ADMIN, STAFF, secure
from tests.conftest import PG_SERVER

_n = itertools.count()


@dataclass(frozen=True)
class Desk:
    url: str  # as the database owner (postgres)
    cm: str
    sup: str
    admin: str

    def as_login(self, login: str) -> str:
        return self.url.replace("://postgres@", f"://{login}@")


def _admin_sql(*statements: str) -> None:
    import psycopg

    with psycopg.connect(
        PG_SERVER.replace("postgresql+psycopg://", "postgresql://") + "/postgres", autocommit=True
    ) as c:
        for s in statements:
            c.execute(s)


@pytest.fixture
def desk(pg_url: str) -> Iterator[Desk]:
    tag = f"i15_{os.getpid()}_{next(_n)}"
    made = Desk(pg_url, f"{tag}_robin", f"{tag}_dana", f"{tag}_alex")
    db = open_database(pg_url)
    secure(db)  # what `ethicsdesk db init` sets
    db.dispose()
    _admin_sql(
        *(f"CREATE ROLE {login} LOGIN" for login in (made.cm, made.sup, made.admin)),
        f"GRANT {STAFF} TO {made.cm}, {made.sup}",
        f"GRANT {ADMIN} TO {made.admin}",
    )
    owner = Service.open(pg_url, User("postgres", "supervisor"))
    try:
        owner.users.add_user(made.admin, "supervisor")  # while the table is empty anyone adds the first
        owner.user = User(made.admin, "supervisor")
    finally:
        owner.close()
    admin = as_person(made, made.admin)
    try:
        admin.users.add_user(made.cm, "case manager")
        admin.users.add_user(made.sup, "supervisor")
    finally:
        admin.close()
    yield made
    logins = ", ".join(f"'{x}'" for x in (made.cm, made.sup, made.admin))
    _admin_sql(
        f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename IN ({logins})",
        *(f"DROP ROLE IF EXISTS {login}" for login in (made.cm, made.sup, made.admin)),
    )


def as_person(desk: Desk, login: str, claimed: User | None = None) -> Service:
    """A login's service: who it is comes from the server (open_service), unless `claimed` forces a
    name and role on the client side, as a hostile script would."""
    url = desk.as_login(login)
    if claimed is not None:
        service = Service.open(url, claimed)
    else:
        service = open_service(url, User("whoever the config says", "supervisor"))
    return service


def decided(service: Service) -> str:
    rid = service.editing.create_record("Share with the school?")
    keep = service.editing.add_option(rid, "Keep it private")
    service.editing.add_option(rid, "Tell the school")
    service.editing.decide(rid, "chosen", keep)
    service.editing.decide(rid, "rationale", "The client asked us not to.")
    return rid


def test_an_event_is_recorded_as_the_login_and_its_role_whatever_the_config_says(desk: Desk) -> None:
    robin = as_person(desk, desk.cm)
    try:
        assert robin.user == User(desk.cm, "case manager")
        rid = robin.editing.create_record("Mine")
        assert [(e.actor, e.role) for e in robin.history(rid)] == [(desk.cm, "case manager")]
    finally:
        robin.close()


def test_a_script_calling_the_service_with_another_name_cannot_write(desk: Desk) -> None:
    """The ten-line script of the issue: the service told it is the supervisor; the server says no."""
    forged = as_person(desk, desk.cm, claimed=User(desk.sup, "supervisor"))
    try:
        with pytest.raises(DatabaseProblem, match="recorded as the login that writes them"):
            forged.editing.create_record("Signed by someone else")
        robin = as_person(desk, desk.cm)
        rid = decided(robin)
        robin.close()
        with pytest.raises(EthicsdeskError):
            forged.review.sign(rid, signing.create_key(desk.sup, None))
        assert forged.record(rid).signature is None
    finally:
        forged.close()


def test_a_case_manager_cannot_promote_itself_sign_and_demote_itself(desk: Desk) -> None:
    import psycopg

    url = desk.as_login(desk.cm).replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as c:
        for statement in (
            f"UPDATE users SET role = 'supervisor' WHERE name = '{desk.cm}'",
            "INSERT INTO trusted_keys VALUES ('f', 'x', 'y', '', '', '')",
            "DELETE FROM events",
            "INSERT INTO role_changes (name, old_role, new_role, changed_by, changed_at) VALUES ('a','b','c','d','e')",
            "INSERT INTO tombstones VALUES ('r', 'case', 1, 'h', 't', 'x', 'y', 'z', '', '', '')",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                c.execute(statement)
    robin = as_person(desk, desk.cm)
    try:
        with pytest.raises(BadInput, match="Only a supervisor manages users"):
            robin.users.set_role(desk.cm, "supervisor")
        # A role claimed in memory changes nothing: the check reads the login's role from the table in
        # the same transaction (and the grants above refuse the UPDATE itself).
        robin.user = User(desk.cm, "supervisor")
        with pytest.raises(BadInput, match="you are recorded as a case manager"):
            robin.users.set_role(desk.cm, "supervisor")
    finally:
        robin.close()


def test_role_changes_are_recorded_with_who_made_them(desk: Desk) -> None:
    alex = as_person(desk, desk.admin)
    try:
        alex.users.set_role(desk.cm, "supervisor")
        alex.users.set_role(desk.cm, "case manager")
        changes = [(c.name, c.old_role, c.new_role, c.changed_by) for c in alex.users.role_changes()]
    finally:
        alex.close()
    assert changes[-2:] == [
        (desk.cm, "case manager", "supervisor", desk.admin),
        (desk.cm, "supervisor", "case manager", desk.admin),
    ]
    assert (desk.admin, "", "supervisor", "postgres") in changes  # the first user, by the owner


def test_only_the_administrator_adds_trusted_keys_and_verify_uses_them(desk: Desk, isolated_home: object) -> None:
    dana_key = signing.create_key(desk.sup, None)
    robin = as_person(desk, desk.cm)
    dana = as_person(desk, desk.sup)
    alex = as_person(desk, desk.admin)
    try:
        with pytest.raises(DatabaseProblem, match="Only the administrator role may add a trusted key"):
            robin.trust.trust_key(desk.cm, dana_key.public_b64)
        rid = decided(robin)
        dana.review.sign(rid, dana_key)
        assert "which this desk does not trust yet" in robin.trust.audit().problems[0].text
        added = alex.trust.trust_key(desk.sup, dana_key.public_b64)
        audit = robin.trust.audit()
        assert audit.problems == [] and [(s.signer, s.trusted) for s in audit.signers] == [(desk.sup, True)]
        keys = robin.trust.trusted_keys()
        assert keys is not None and keys[0].added_by == desk.admin and keys[0].fingerprint == added.fingerprint
    finally:
        for s in (robin, dana, alex):
            s.close()


def test_purge_is_for_the_administrator_and_its_tombstone_names_the_login(desk: Desk) -> None:
    robin = as_person(desk, desk.cm)
    alex = as_person(desk, desk.admin)
    try:
        rid = robin.editing.create_record("To dispose of")
        checkpoint = robin.checkpoints.make_checkpoint()
        with pytest.raises(BadInput, match="Only the administrator role"):
            robin.purging.purge(rid, "Retention", signing.create_key(desk.cm, None))
        alex_key = signing.create_key(desk.admin, None)
        alex.trust.trust_key(desk.admin, alex_key.public_b64)
        done = alex.purging.purge(rid, "Retention: seven years", alex_key)
        assert done.purged_by == desk.admin
        audit = robin.trust.audit(None, checkpoint, allow_unsigned=True)
        assert audit.problems == [] and [p.purged_by for p in audit.purged] == [desk.admin]
    finally:
        robin.close()
        alex.close()


def test_db_init_sets_the_grants_and_can_run_twice(desk: Desk) -> None:
    env = {**os.environ, "ETHICSDESK_DB": desk.url}
    ethicsdesk = os.path.join(os.path.dirname(sys.executable), "ethicsdesk")
    done = subprocess.run([ethicsdesk, "db", "init"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert f"join {STAFF}" in done.stdout
    as_robin = {**os.environ, "ETHICSDESK_DB": desk.as_login(desk.cm)}
    refused = subprocess.run([ethicsdesk, "db", "init"], env=as_robin, capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1, refused.stderr


WRITER = """
import sys, pathlib
from ethicsdesk.service import open_service
from ethicsdesk.settings import User
service = open_service(sys.argv[1], User("anyone", "case manager"))
stop, n = pathlib.Path(sys.argv[2]), 0
while not stop.exists() or n < 5:
    rid = service.editing.create_record(f"Written alongside {n}")
    service.editing.add_option(rid, "Wait")
    n += 1
    print(rid, flush=True)
service.close()
"""


def test_a_purge_while_another_login_writes(desk: Desk, tmp_path: object) -> None:
    from pathlib import Path

    stop = Path(str(tmp_path)) / "stop"
    robin = as_person(desk, desk.cm)
    alex = as_person(desk, desk.admin)
    try:
        targets = [robin.editing.create_record(f"Old {n}") for n in range(3)]
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, desk.as_login(desk.cm), str(stop)], stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout is not None
        first = writer.stdout.readline().split()
        alex_key = signing.create_key(desk.admin, None)
        for rid in targets:
            alex.purging.purge(rid, "Retention", alex_key)
        stop.touch()
        out, _ = writer.communicate(timeout=120)
        assert writer.returncode == 0
        written = first + out.split()
        checked, problems = robin.integrity.verify()
        assert problems == [] and checked == len(written)
        assert sorted(p.record_id for p in robin.trust.audit().purged) == sorted(targets)
    finally:
        robin.close()
        alex.close()


def test_users_history_prints_who_changed_which_role(desk: Desk) -> None:
    alex = as_person(desk, desk.admin)
    try:
        alex.users.set_role(desk.sup, "trainer")
    finally:
        alex.close()
    ethicsdesk = os.path.join(os.path.dirname(sys.executable), "ethicsdesk")
    env = {**os.environ, "ETHICSDESK_DB": desk.as_login(desk.cm)}
    done = subprocess.run([ethicsdesk, "users", "history"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    last = done.stdout.splitlines()[-1]
    assert desk.sup in last and "supervisor -> trainer" in last and last.endswith(f"by {desk.admin}")
