"""The walk when the database fails under it, at 80x24: one sentence for the user, never a traceback,
what was saved before stays saved, and nothing claims to be saved that was not (read back through
the service, and from SQLite itself where the store refuses)."""

from __future__ import annotations

import sqlite3

import pytest

from ethicsdesk.errors import DatabaseProblem
from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.home import HomeScreen
from ethicsdesk.tui.screens.walk import WalkScreen
from tests.tui.harness import at_home, autosaved, in_walk, make_app, notices, type_text, wait_until

SIZE = (80, 24)


async def test_a_database_error_says_one_sentence_and_what_was_saved_stays_saved(
    service: Service, situated_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(service, Start(record_id=situated_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        await pilot.press("tab")  # assumptions, saved on leaving the field
        await type_text(pilot, "Saved")
        await pilot.press("tab")
        await autosaved(pilot, walk)
        assert service.record(situated_id).text["assumptions"] == "Saved"

        def broken(*_args: object, **_kwargs: object) -> None:
            raise DatabaseProblem("The change could not be saved: disk I/O error.")

        monkeypatch.setattr(service.editing, "set_text", broken)
        await pilot.press("shift+tab")
        await type_text(pilot, " and lost")
        await pilot.press("tab")
        await autosaved(pilot, walk)
        (error,) = notices(app, "error")
        assert error.message == "The change could not be saved: disk I/O error."
        assert error.title == "Not saved"
        monkeypatch.undo()

        state = service.record(situated_id)
        assert state.text["assumptions"] == "Saved"
        assert state.text["facts"] == "Mr K. is 84 and wants to go home."
        assert isinstance(app.screen, WalkScreen)  # the app carries on


async def test_a_database_that_refuses_writes_loses_nothing_already_saved(
    service: Service, situated_id: str, db_url: str
) -> None:
    """The same through the real store: SQLite itself refuses every new event (as a full disk or a
    locked file would), and the sentence the user sees is the service's, not a traceback."""
    app = make_app(service, Start(record_id=situated_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        await pilot.press("tab")
        await type_text(pilot, "Saved")
        await pilot.press("tab")
        await autosaved(pilot, walk)
        assert service.record(situated_id).text["assumptions"] == "Saved"
        events = service.record(situated_id).events

        with sqlite3.connect(db_url.removeprefix("sqlite:///")) as db:
            db.execute("CREATE TRIGGER refuse BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk is full'); END")
        await pilot.press("shift+tab")
        await type_text(pilot, " twice")
        await pilot.press("tab")
        await autosaved(pilot, walk)
        (error,) = notices(app, "error")
        assert error.title == "Not saved"
        assert "disk is full" in error.message
        assert "\n" not in error.message and "Traceback" not in error.message
        state = service.record(situated_id)
        assert state.text["assumptions"] == "Saved"
        assert state.events == events
        assert service.integrity.verify(situated_id) == (1, [])


async def test_ctrl_s_does_not_say_saved_when_the_save_failed(
    service: Service, situated_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(service, Start(record_id=situated_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)

        def broken(*_args: object, **_kwargs: object) -> None:
            raise DatabaseProblem("The change could not be saved: disk I/O error.")

        monkeypatch.setattr(service.editing, "set_text", broken)
        await pilot.press("tab")
        await type_text(pilot, "Lost")
        await pilot.press("ctrl+s")
        await autosaved(pilot, walk)  # the save's answer comes back from the writer's thread
        assert [n.message for n in notices(app, "error")] == ["The change could not be saved: disk I/O error."]
        assert "Saved." not in [n.message for n in notices(app)]


async def test_opening_a_record_the_database_cannot_read_stays_home_with_the_reason(
    service: Service, situated_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        home = await at_home(pilot)

        def broken(*_args: object, **_kwargs: object) -> None:
            raise DatabaseProblem("The database cannot be read: database disk image is malformed.")

        monkeypatch.setattr(service, "record", broken)
        await pilot.press("enter")
        await wait_until(pilot, lambda: notices(app, "error"), "the reason the record could not be read")
        assert app.screen is home
        (error,) = notices(app, "error")
        assert error.message == "The database cannot be read: database disk image is malformed."
        monkeypatch.undo()
        assert service.record(situated_id).text["facts"] == "Mr K. is 84 and wants to go home."
        assert isinstance(app.screen, HomeScreen)
