"""Fixtures every test shares. Tests never touch real data: ETHICSDESK_HOME points at a temporary
directory for every test (autouse), and ETHICSDESK_DB is cleared."""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from ethicsdesk.service import Service
from ethicsdesk.service.records import Clock
from ethicsdesk.settings import User

REPO = Path(__file__).resolve().parent.parent
DILEMMAS = REPO / "dilemmas"
CASE_MANAGER = User("Robin Ashdown", "case manager")
# The codes of ethics the knowledge base paraphrases live beside the repository, as on the project
# machines; they are not part of it, so a test that reads them is skipped where they are absent.
SEEDS = REPO.parent / "shared" / "seeds"


def seed_dir() -> Path:
    """The seed documents' folder, or skip the calling test where this machine has none."""
    if not SEEDS.is_dir():
        pytest.skip(f"the seed documents are not beside this repository ({SEEDS})")
    return SEEDS


# The hypothesis profile of CI and `make test`: the same examples each run (derandomize, no example
# database), so a red run is a defect that the next run shows again, never a draw the next run does
# not make. No deadline and no too-slow check: on a loaded machine an example's time says nothing of
# the code. A property test sets only how many examples it needs (the heavy run, `make test-heavy`,
# raises them: tests/reliability/conftest.py). ETHICSDESK_HYPOTHESIS=explore draws new examples each run, to look
# for new failures by hand.
for _name, _fixed in (("ci", True), ("explore", False)):
    hypothesis_settings.register_profile(
        _name,
        derandomize=_fixed,
        database=None,
        print_blob=True,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
hypothesis_settings.load_profile(os.environ.get("ETHICSDESK_HYPOTHESIS", "ci"))

# Under pytest-xdist each worker is its own process with its own id ("gw0", "gw1"); run serially it is
# "main". Names that live outside the test's temporary folder (PostgreSQL databases) carry it and the
# process id, so that two workers, or two suites run side by side, never reach for the same one.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ETHICSDESK_HOME", str(home))
    monkeypatch.delenv("ETHICSDESK_DB", raising=False)
    monkeypatch.delenv("ETHICSDESK_DEBUG", raising=False)
    return home


@pytest.fixture(autouse=True)
def fresh_process_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts as a new process would, and leaves nothing behind for the next: no passphrase
    remembered (nor one from this machine's keyring, a terminal or the environment), nobody told of
    new database files, and no engine of an earlier test still open."""
    from ethicsdesk.store import encryption
    from ethicsdesk.store.engine import dispose_all
    from ethicsdesk.store.new_files import announce_new_files

    monkeypatch.setattr(encryption, "keyring_passphrase", lambda path: None)
    monkeypatch.delenv(encryption.PASSPHRASE_ENV, raising=False)
    encryption.allow_terminal_prompt(None)
    encryption.forget_all()
    announce_new_files(None)
    yield
    encryption.forget_all()
    encryption.allow_terminal_prompt(None)
    announce_new_files(None)
    dispose_all()


PG_SERVER = os.environ.get("ETHICSDESK_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")
PG_ADMIN = PG_SERVER.replace("postgresql+psycopg://", "postgresql://") + "/postgres"


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite file, for tests of what only SQLite has (file modes, WAL, triggers via sqlite3)."""
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A PostgreSQL database migrated once per session; each test gets a copy of it (fast)."""
    pytest.importorskip("psycopg")
    import psycopg

    try:
        conn = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI (.ci/run starts it): {exc}")
        pytest.skip(f"PostgreSQL is not running on {PG_SERVER}")
    name = f"ethicsdesk_tpl_{WORKER}_{os.getpid()}"
    conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
    conn.execute(f'CREATE DATABASE "{name}"')
    from ethicsdesk.store.engine import open_database
    from ethicsdesk.store.schema import ensure_schema

    database = open_database(f"{PG_SERVER}/{name}")
    ensure_schema(database)
    database.dispose()
    yield name
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


# Finished test databases are dropped this many at a time, all at once: each DROP DATABASE waits for a
# checkpoint of the whole server (about 2 s on this machine under load), and drops made together share
# one, so 20 together took 0.8 s where one after another took 40 s. At most this many copies (8 MB
# each) wait on disk per worker.
PG_DROP_BATCH = 16


class PgCopies:
    """Fresh copies of the migrated template, one for each test, made one test ahead in a background
    thread (`CREATE DATABASE ... TEMPLATE` writes and syncs the whole catalogue: mostly waiting on the
    disk, done while the test before runs). Each test gets a database no other test has touched; none
    is ever reused."""

    def __init__(self, template: str) -> None:
        from concurrent.futures import Future, ThreadPoolExecutor

        self.template = template
        self._counter = itertools.count()
        self._maker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pg-create")
        self._dropper = ThreadPoolExecutor(max_workers=PG_DROP_BATCH, thread_name_prefix="pg-drop")
        self._ahead: list[Future[str]] = []
        self._finished: list[str] = []
        self._drops: list[Future[None]] = []

    @staticmethod
    def _admin(sql: str) -> None:
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(sql)

    def _create(self, name: str) -> str:
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return name

    def _make_one(self) -> None:
        # the name is chosen here, in the test's thread: unique per worker, process and copy
        name = f"ethicsdesk_t_{WORKER}_{os.getpid()}_{next(self._counter)}"
        self._ahead.append(self._maker.submit(self._create, name))

    def take(self) -> str:
        """A fresh database's name; the next one starts being made at once."""
        if not self._ahead:
            self._make_one()
        name = self._ahead.pop(0).result()
        self._make_one()
        return name

    def drop(self, name: str) -> None:
        """Drop a finished test's database, with the others of its batch (FORCE ends any connection a
        test left open)."""
        self._finished.append(name)
        if len(self._finished) >= PG_DROP_BATCH:
            self._drop_finished()

    def _drop_finished(self) -> None:
        for name in self._finished:
            self._drops.append(self._dropper.submit(self._admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self._finished.clear()

    def close(self) -> None:
        self._finished.extend(made.result() for made in self._ahead)
        self._drop_finished()
        for dropped in self._drops:
            dropped.result()
        self._maker.shutdown()
        self._dropper.shutdown()


@pytest.fixture(scope="session")
def pg_copies(pg_template: str) -> Iterator[PgCopies]:
    copies = PgCopies(pg_template)
    yield copies
    copies.close()  # before the template is dropped: a copy being made still reads it


@pytest.fixture
def pg_url(pg_copies: PgCopies) -> Iterator[str]:
    name = pg_copies.take()
    yield f"{PG_SERVER}/{name}"
    pg_copies.drop(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_url(request: pytest.FixtureRequest) -> str:
    """The same test on the embedded SQLite file and on the PostgreSQL server."""
    return str(request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url"))


# The storage and service suites run on both engines; elsewhere SQLite is enough.
BOTH_ENGINES = ("tests/service/", "tests/store/")


@pytest.fixture
def db_url(request: pytest.FixtureRequest) -> str:
    """The database a test's `service` uses: SQLite, and for the storage and service suites also
    PostgreSQL (see pytest_generate_tests). A test of the SQLite file itself is marked `sqlite_only`."""
    engine = getattr(request, "param", "sqlite")
    return str(request.getfixturevalue("sqlite_url" if engine == "sqlite" else "pg_url"))


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # Only here are tests run per engine, so every other test keeps its id (snapshot names hang on it).
    where = metafunc.definition.nodeid.replace("\\", "/")
    if "db_url" in metafunc.fixturenames and where.startswith(BOTH_ENGINES):
        sqlite_only = metafunc.definition.get_closest_marker("sqlite_only") is not None
        metafunc.parametrize("db_url", ["sqlite"] if sqlite_only else ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def clock() -> Clock:
    """The clock of the test's service: the real one. Tests that must repeat to the byte (reports,
    snapshots) override this fixture with a clock of fixed times and counted ids."""
    return Clock()


# The storage suite opens its databases empty, so that every test there runs the migrations as a new
# user's first start does; elsewhere a SQLite `service` starts from a copy of a file migrated once per
# worker (the migrations cost about 45 ms of CPU and, committing step by step with synchronous=FULL, a
# third of a second of waiting on the disk under load, in every test).
MIGRATED_ON_OPEN = ("tests/store/",)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to the head once per session (per xdist worker), and closed: the whole
    database is then in the one file (its WAL folded in), ready to be copied."""
    from ethicsdesk.store.engine import open_database
    from ethicsdesk.store.schema import ensure_schema

    path = tmp_path_factory.mktemp("template") / "migrated.db"
    database = open_database(f"sqlite:///{path}")
    try:
        ensure_schema(database)
    finally:
        database.dispose()
    assert not path.with_name(path.name + "-wal").exists(), "the template's WAL was not folded into the file"
    return path


def copy_new_sqlite_file(template: Path, url: str) -> None:
    """Make the database file of `url` a copy of `template`, created 0600 as ethicsdesk creates its
    files; a file already there (a test's own) is left alone."""
    path = Path(url.removeprefix("sqlite:///"))
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as out:
        out.write(template.read_bytes())


@pytest.fixture
def service(request: pytest.FixtureRequest, db_url: str, clock: Clock) -> Iterator[Service]:
    if db_url.startswith("sqlite:///") and not request.node.nodeid.startswith(MIGRATED_ON_OPEN):
        copy_new_sqlite_file(request.getfixturevalue("sqlite_template"), db_url)
    svc = Service.open(db_url, CASE_MANAGER, clock)
    assert isinstance(svc, Service)
    yield svc
    svc.close()


@pytest.fixture
def other_service(db_url: str, service: Service) -> Iterator[Callable[[User], Service]]:
    """Another person's service on the same database (made after `service`, which makes it), for what
    happens outside the code under test; each is closed after the test."""
    opened: list[Service] = []

    def make(user: User) -> Service:
        svc = Service.open(db_url, user)
        opened.append(svc)
        return svc

    yield make
    for svc in opened:
        svc.close()


def sqlite_dump(path: Path) -> list[str]:
    """A SQLite database's content, statement by statement (the bytes may move between file and WAL)."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def free_port() -> int:
    """A TCP port on loopback that nothing listens on at the moment of asking."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def sample_id(service: Service) -> str:
    """A record imported from the discharge sample (reference weighing and decision filled in)."""
    return service.importing.import_files([DILEMMAS / "discharge-against-advice.toml"])[0]


def require_tool(name: str) -> str:
    """The path of an external tool; missing, it skips locally but fails in CI, where it must exist."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI (.ci/run installs it)")
        pytest.skip(f"{name} is not installed")
    return path
