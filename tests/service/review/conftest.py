"""What the tests of the supervisor's half of consultation (ethicsdesk/service/review.py) share: the
people, a decided record, what verify finds in one, and the databases the tests run on.

The case manager is the `service` fixture (Robin Ashdown); the supervisor, Dana Okafor, is a second
service on the same database (`supervisor`). Each test's database is a copy of a template built once
(`db_url`): an empty one, or one holding a record Dana has signed for tests that ask for `signed`."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ethicsdesk.service import Service, signing
from ethicsdesk.settings import User

DANA = User("Dana Okafor", "supervisor")
LEE = User("Lee Marsh", "supervisor")
FROZEN = "This record was signed by Dana Okafor and is frozen; add an addendum instead of editing it."
NOT_REGISTERED = "the signing key is not registered to Dana Okafor in this database"


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


def problems(service: Service, rid: str) -> list[str]:
    checked, found = service.integrity.verify(rid)
    assert checked == 1
    assert all(p.record_id == rid for p in found)
    return [p.text for p in found]


@dataclass(frozen=True)
class Templates:
    empty: Path
    signed: Path  # one record, decided, consulted and signed by Dana
    signed_id: str
    dana_pem: bytes  # the key that signed it


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    """Databases built once per session (per xdist worker) and copied for each test: migrating a new
    database and walking a record to its signature take about half a second, and these tests, in
    several modules, need many. No test writes to a template: each gets its own copy."""
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
