"""Fixtures every test shares. Tests never touch real data: ETHICSDESK_HOME points at a temporary
directory for every test (autouse), and ETHICSDESK_DB is cleared."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ethicsdesk.service import Service
from ethicsdesk.settings import User

REPO = Path(__file__).resolve().parent.parent
DILEMMAS = REPO / "dilemmas"
CASE_MANAGER = User("Robin Ashdown", "case manager")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("ETHICSDESK_HOME", str(home))
    monkeypatch.delenv("ETHICSDESK_DB", raising=False)
    monkeypatch.delenv("ETHICSDESK_DEBUG", raising=False)
    return home


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def service(db_url: str) -> Iterator[Service]:
    svc = Service.open(db_url, CASE_MANAGER)
    assert isinstance(svc, Service)
    yield svc
    svc.close()


@pytest.fixture
def sample_id(service: Service) -> str:
    """A record imported from the discharge sample (reference weighing and decision filled in)."""
    return service.import_files([DILEMMAS / "discharge-against-advice.toml"])[0]


def require_tool(name: str) -> str:
    """The path of an external tool; missing, it skips locally but fails in CI, where it must exist."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI (.ci/run installs it)")
        pytest.skip(f"{name} is not installed")
    return path
