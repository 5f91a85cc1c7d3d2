"""Users of a shared database (service/users.py), and the first user is decided in
one transaction, so two people setting up an empty database at once cannot both become its first
supervisor (the check and the insert were separate transactions)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from ethicsdesk.errors import BadInput
from ethicsdesk.service import Service
from tests.conftest import CASE_MANAGER

TRIALS = 6


def test_the_first_user_may_be_added_by_anyone_and_then_only_by_a_supervisor(db_url: str) -> None:
    with Service.open(db_url, CASE_MANAGER) as service:
        assert service.users.add_user("dana.okafor", "supervisor").role == "supervisor"
        with pytest.raises(BadInput, match="Only a supervisor manages users"):
            service.users.add_user("robin.ashdown", "case manager")
        assert [u.name for u in service.users.list_users()] == ["dana.okafor"]


def _add_at_once(service: Service, name: str, start: threading.Barrier, outcomes: list[str]) -> None:
    start.wait()
    try:
        service.users.add_user(name, "supervisor")
        outcomes.append("added")
    except BadInput as exc:
        outcomes.append(exc.message)


def test_two_first_users_at_once_make_exactly_one(db_url: str) -> None:
    """Two connections, each told the table is empty, race to add a supervisor; several trials."""
    services = [Service.open(db_url, CASE_MANAGER) for _ in range(2)]
    try:
        for trial in range(TRIALS):
            with services[0].db.writing() as s:
                s.execute(text("DELETE FROM users"))
            start = threading.Barrier(2)
            outcomes: list[str] = []
            threads = [
                threading.Thread(target=_add_at_once, args=(svc, f"first-{trial}-{n}", start, outcomes))
                for n, svc in enumerate(services)
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=120)
            assert len(outcomes) == 2
            assert outcomes.count("added") == 1, f"trial {trial}: {outcomes}"
            assert len(services[0].users.list_users()) == 1
    finally:
        for svc in services:
            svc.close()
