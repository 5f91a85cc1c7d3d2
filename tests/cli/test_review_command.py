"""`ethicsdesk review [ID]`: the queue, or one record's review, in the TUI; an unknown id is one
sentence and exit 1, before any screen opens.

The TUI itself is replaced by a recorder: `records.py` imports `open_tui` from `ethicsdesk.cli.context` by
name, so the recorder goes on both modules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ethicsdesk.cli import app as cli
from ethicsdesk.cli import context, records
from ethicsdesk.service import Service
from ethicsdesk.settings import User
from tests.cli.conftest import Run
from tests.conftest import sqlite_dump

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"


@pytest.fixture
def record_id(db_path: Path) -> str:
    svc = Service.open(f"sqlite:///{db_path}", User("Robin Ashdown", "case manager"))
    try:
        rid = svc.importing.import_files([DILEMMAS / "threat-to-third-party.toml"])[0]
        svc.editing.request_consultation(rid, "Dana Okafor", "Warn him now?")
        return rid
    finally:
        svc.close()


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str | None, dict[str, Any]]]:
    """Each call the command makes to open the TUI, instead of a real terminal UI."""
    calls: list[tuple[str | None, dict[str, Any]]] = []

    def record(db: str | None, **start: Any) -> None:
        calls.append((db, start))

    monkeypatch.setattr(context, "open_tui", record)
    monkeypatch.setattr(records, "open_tui", record)
    return calls


def test_review_without_an_id_opens_the_queue(
    db_path: Path, record_id: str, opened: list[tuple[str | None, dict[str, Any]]]
) -> None:
    result = CliRunner().invoke(cli.app, ["review"])
    assert result.exit_code == 0, result.output
    assert len(opened) == 1
    db, start = opened[0]
    assert start == {"review": ""}
    assert db in (None, f"sqlite:///{db_path}")  # typer may pass the env var through


@pytest.mark.parametrize("length", [4, 6, 10])
def test_review_resolves_an_id_prefix_to_the_full_id(
    record_id: str, opened: list[tuple[str | None, dict[str, Any]]], length: int
) -> None:
    result = CliRunner().invoke(cli.app, ["review", record_id[:length]])
    assert result.exit_code == 0, result.output
    assert [start for _, start in opened] == [{"review": record_id}]


def test_review_with_uppercase_or_spaces_resolves_too(
    record_id: str, opened: list[tuple[str | None, dict[str, Any]]]
) -> None:
    result = CliRunner().invoke(cli.app, ["review", f" {record_id[:6].upper()} "])
    assert result.exit_code == 0, result.output
    assert [start for _, start in opened] == [{"review": record_id}]


def test_review_passes_the_db_option_on(
    tmp_path: Path, record_id: str, db_path: Path, opened: list[tuple[str | None, dict[str, Any]]]
) -> None:
    url = f"sqlite:///{db_path}"
    result = CliRunner().invoke(cli.app, ["review", "--db", url, record_id])
    assert result.exit_code == 0, result.output
    assert opened == [(url, {"review": record_id})]


@pytest.mark.parametrize("ref", ["nope", "zzzzzzzzzz", "abc"])
def test_review_of_an_unknown_record_is_one_sentence_and_exit_1(
    ref: str,
    record_id: str,
    db_path: Path,
    opened: list[tuple[str | None, dict[str, Any]]],
    run: Run,
) -> None:
    before = sqlite_dump(db_path)
    code, out, err = run("review", ref)
    assert code == 1
    assert out == ""
    assert err == f"ethicsdesk: There is no record '{ref}' (see 'ethicsdesk list').\n"
    assert opened == []  # no screen opened
    assert sqlite_dump(db_path) == before


def test_review_of_an_unknown_record_through_typer_runner(
    record_id: str, opened: list[tuple[str | None, dict[str, Any]]]
) -> None:
    from ethicsdesk.errors import NotFound

    result = CliRunner().invoke(cli.app, ["review", "nope"])
    assert result.exit_code == 1
    assert isinstance(result.exception, NotFound)
    assert opened == []


def test_review_of_an_ambiguous_prefix_is_bad_input(
    db_path: Path,
    opened: list[tuple[str | None, dict[str, Any]]],
    monkeypatch: pytest.MonkeyPatch,
    run: Run,
) -> None:
    svc = Service.open(f"sqlite:///{db_path}", User("Robin Ashdown", "case manager"))
    ids = iter(["abcd234567", "abcd234568"])
    monkeypatch.setattr(svc.clock, "new_id", lambda: next(ids))  # two ids that share a prefix
    try:
        svc.editing.create_record("One")
        svc.editing.create_record("Two")
    finally:
        svc.close()
    code, out, err = run("review", "abcd")
    assert code == 2
    assert out == ""
    assert err == "ethicsdesk: 'abcd' matches more than one record; type more of the id.\n"
    assert opened == []


def test_review_help_names_the_queue(opened: list[tuple[str | None, dict[str, Any]]]) -> None:
    result = CliRunner().invoke(cli.app, ["review", "--help"])
    assert result.exit_code == 0
    assert "queue" in result.output
    assert opened == []
