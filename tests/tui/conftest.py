"""Fixtures of the TUI tests: records in known states, and a fixed clock and ids for snapshots."""

from __future__ import annotations

import itertools

import pytest

from ethicsdesk.service import Service
from ethicsdesk.service.records import Clock
from tests.conftest import DILEMMAS

FIXED_NOW = "2026-03-14T09:26:53.000000Z"


class FrozenClock(Clock):
    """Every timestamp is FIXED_NOW and record ids count up (rec0000001, ...): what a snapshot shows
    (home's Changed column, a walk's sub-title) no longer depends on when or where it runs. A test
    module hands it to its service by overriding the `clock` fixture (tests/conftest.py)."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)

    def now(self) -> str:
        return FIXED_NOW

    def new_id(self) -> str:
        return f"rec{next(self._ids):07d}"


@pytest.fixture
def situated_id(service: Service) -> str:
    """A record whose situation lets the walk move on (facts and the question), with no options yet."""
    rid = service.editing.create_record("Refuses the care home", case_code="C-7")
    service.editing.set_text(rid, "facts", "Mr K. is 84 and wants to go home.")
    service.editing.set_text(rid, "question", "Given his capacity, is it justifiable to support the return home?")
    return rid


@pytest.fixture
def weighed_id(service: Service, situated_id: str) -> str:
    """A record ready for the Decide step: two options, every cell of the matrix scored."""
    first = service.editing.add_option(situated_id, "Status quo")
    second = service.editing.add_option(situated_id, "Return home with support")
    for principle in service.framework().ids:
        service.editing.score(situated_id, first, principle, 0)
        service.editing.score(situated_id, second, principle, 1)
    return situated_id


@pytest.fixture
def open_id(service: Service) -> str:
    """An unsigned record whose chosen option compromises principles (so every justification field
    shows), with a legal floor ticked (so every banner shows)."""
    (rid,) = service.importing.import_files([DILEMMAS / "threat-to-third-party.toml"])
    state = service.record(rid)
    chosen = state.decision["chosen"]
    # a principle the reference does not already compromise (and justify): its justification is unanswered
    principle = next(p for p in service.framework_of(state).ids if (state.scores.get((chosen, p)) or 0) >= 0)
    service.editing.score(rid, chosen, principle, -1)
    return rid


@pytest.fixture
def signed_id(db_url: str, service: Service, open_id: str) -> str:
    """The same record consulted on and signed by a supervisor."""
    from ethicsdesk.service import signing
    from ethicsdesk.settings import User

    dana = User("Dana Okafor", "supervisor")
    service.editing.request_consultation(open_id, dana.name, "Is warning him defensible?")
    supervisor = Service.open(db_url, dana)
    try:
        supervisor.review.answer_consultation(open_id, "concur", "Agreed.", "")
        supervisor.review.sign(open_id, signing.create_key(dana.name, None))
    finally:
        supervisor.close()
    return open_id
