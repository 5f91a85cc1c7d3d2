"""What the tests of the supervisor's half of consultation (ethicsdesk/service/review.py) share: the
people, a decided record, what verify finds in one, and the databases the tests run on.

The case manager is the `service` fixture (Robin Ashdown); the supervisor, Dana Okafor, is a second
service on the same database (`supervisor`). Each test runs on SQLite and on PostgreSQL (tests/conftest.py)
and its database is made for it (`db_url`): an empty one, or one holding a record Dana has signed for tests
that ask for `signed`, built once as a SQLite template and copied."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ethicsdesk.service import Service, signing
from ethicsdesk.service.copying import copy_database
from ethicsdesk.settings import User
from tests.databases import engine_name

DANA = User("Dana Okafor", "supervisor")
LEE = User("Lee Marsh", "supervisor")
FROZEN = "This record was signed by Dana Okafor and is frozen; add an addendum instead of editing it."
NOT_REGISTERED = "the signing key is not registered to Dana Okafor in this database"
TEMPLATE_MAKER = User("Template", "case manager")


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
        Service.open(f"sqlite:///{folder / 'empty.db'}", TEMPLATE_MAKER).close()
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
    """The test's database on the engine it is run on (tests/conftest.py's `pytest_generate_tests`):
    for tests that ask for `signed` one holding the signed record, else an empty one. On SQLite a copy
    of a template file; on PostgreSQL a fresh migrated database, into which the signed record is put
    by the product's own copy (service/copying.py), events, keys and users exactly as in the SQLite
    template, so that `templates.signed_id` and Dana's key hold on both."""
    wants_signed = "signed" in request.fixturenames
    if getattr(request, "param", "sqlite") == "sqlite":
        path = tmp_path / "test.db"
        copy_sqlite_file(templates.signed if wants_signed else templates.empty, path)
        return f"sqlite:///{path}"
    url = str(request.getfixturevalue("pg_url"))
    if wants_signed:
        copy_signed_record(templates.signed, tmp_path / "signed.db", url)
    return url


def copy_signed_record(template: Path, scratch: Path, url: str) -> None:
    """Copy the template's signed record into the database at `url` with ethicsdesk's own copy, from a
    scratch copy of the template (opening a SQLite file writes to it, and the template is shared)."""
    copy_sqlite_file(template, scratch)
    source, target = Service.open(f"sqlite:///{scratch}", TEMPLATE_MAKER), Service.open(url, TEMPLATE_MAKER)
    try:
        report = copy_database(source, target)
    finally:
        source.close()
        target.close()
    assert (report.records, report.skipped) == (1, [])


def copy_sqlite_file(template: Path, path: Path) -> None:
    """A copy of a closed SQLite template, made through SQLite's backup API, private to the test."""
    source, target = sqlite3.connect(template), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()
    path.chmod(0o600)


@pytest.fixture(autouse=True)
def engine_as_asked(request: pytest.FixtureRequest, service: Service) -> None:
    """Each test's service talks to the engine the test is named for; the engine is kept as a property
    of the test (in the JUnit XML report), so a run can count the tests each engine really ran."""
    callspec = getattr(request.node, "callspec", None)
    asked = callspec.params.get("db_url", "sqlite") if callspec is not None else "sqlite"
    assert engine_name(service) == asked
    request.node.user_properties.append(("engine", engine_name(service)))


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
    """A record decided by Robin, answered and signed by Dana (copied from a template: see `db_url`)."""
    state = service.record(templates.signed_id)
    assert state.frozen and state.signature is not None and state.signature.signer == DANA.name
    return templates.signed_id
