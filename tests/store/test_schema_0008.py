"""Schema 0008 (the indexes behind `insight`): an empty database is made with them, and a populated
0007 one, on each engine, is upgraded to them with its records still verifying and the agency's
counts unchanged; the migration goes down and up again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect

from ethicsdesk.domain.insight import Aggregates
from ethicsdesk.service import Service
from ethicsdesk.service.review import RatingInput
from ethicsdesk.settings import User
from ethicsdesk.store import insight_queries
from ethicsdesk.store.engine import open_database
from ethicsdesk.store.schema import HEAD, current_revision, ensure_schema
from tests.store.test_schema_0005 import migrate

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"
DANA = User("Dana Okafor", "supervisor")
TODAY = date(2027, 6, 1)  # after the samples' follow-ups: some are overdue
NEW = {
    ("records", "ix_records_kind_created"),
    ("obligations", "ix_obligations_obligation"),
    ("decisions", "ix_decisions_follow_up"),
    ("answers", "ix_answers_question"),
}


def indexes(url: str) -> set[tuple[str, str]]:
    db = open_database(url)
    try:
        with db.engine.connect() as conn:
            found = inspect(conn)
            return {(t, str(i["name"])) for t, _ in NEW for i in found.get_indexes(t)} & NEW
    finally:
        db.dispose()


def figures(url: str) -> list[Aggregates]:
    """The counts as the store computes them, for everyone and for one author, read through a plain
    connection so that the schema is read as it is (a service would upgrade an older file first)."""
    db = open_database(url)
    try:
        with db.engine.connect() as conn:
            return [
                insight_queries.aggregates(conn, since=since, today=TODAY.isoformat(), owner=owner)
                for since in ("", "2000-01-01")
                for owner in (None, DANA.name, "Someone Else")
            ]
    finally:
        db.dispose()


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_an_empty_database_is_made_with_the_indexes(engine: str, request: pytest.FixtureRequest) -> None:
    url = str(request.getfixturevalue("sqlite_url" if engine == "sqlite" else "pg_url"))
    Service.open(url, DANA).close()
    assert indexes(url) == NEW


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_a_populated_0007_database_is_upgraded_and_counts_the_same(engine: str, request: pytest.FixtureRequest) -> None:
    url = str(request.getfixturevalue("sqlite_url" if engine == "sqlite" else "pg_url"))
    service = Service.open(url, DANA)
    try:
        ids = service.importing.import_files(sorted(DILEMMAS.glob("*.toml")))
        service.training.start_training("discharge-against-advice")  # a training attempt is not counted
        service.editing.request_consultation(ids[0], DANA.name, "Is this justified?")
        rating = RatingInput(dict.fromkeys(("question", "information", "analysis", "conclusions"), "met"), 3)
        service.review.answer_consultation(ids[0], "concur", "It is.", rating=rating)
    finally:
        service.close()
    before = figures(url)
    everyone = before[0]
    assert everyone.outcomes == {"concur": 1} and everyone.rating_levels == {3: 1} and everyone.overdue > 0
    assert sum(m.opened for m in everyone.months) == len(ids) and everyone.obligations
    migrate(url, "0007", down=True)
    assert indexes(url) == set()
    assert figures(url) == before  # the queries need no index to be right, only to be fast
    db = open_database(url)
    try:
        ensure_schema(db, upgrade_older=True)
        assert current_revision(db) == HEAD == "0008"
    finally:
        db.dispose()
    assert indexes(url) == NEW
    assert figures(url) == before
    service = Service.open(url, DANA)
    try:
        assert service.integrity.verify() == (len(ids) + 1, [])
    finally:
        service.close()
