"""The app (ethicsdesk/tui/app.py): where it starts, what it does with an id it cannot open, a
database it cannot open, and quitting."""

from __future__ import annotations

import threading

import pytest
from textual.widgets import Static

from ethicsdesk.errors import DatabaseProblem
from ethicsdesk.service import Service
from ethicsdesk.service.light_records import LightService
from ethicsdesk.tui.app import Start, build_app
from ethicsdesk.tui.screens.home import HomeScreen
from ethicsdesk.tui.screens.problem import ProblemScreen
from ethicsdesk.tui.screens.walk import WalkScreen
from ethicsdesk.tui.widgets.fields import FieldInput, FieldText, stored_value
from tests.conftest import CASE_MANAGER
from tests.tui.harness import at_home, autosaved, in_walk, make_app, notices, type_text, wait_until


async def test_it_opens_on_home_and_the_service_arrives_after_the_first_screen(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await at_home(pilot)
        assert app.screen_stack[-1] is home
        assert service.user == CASE_MANAGER


async def test_an_unknown_record_id_at_start_returns_home_with_a_notice(service: Service, sample_id: str) -> None:
    app = make_app(service, Start(record_id="nope"))
    async with app.run_test(size=(80, 24)) as pilot:
        await at_home(pilot)
        await wait_until(pilot, lambda: notices(app, "error"), "a notice")
        (notice,) = notices(app, "error")
        assert notice.message.startswith("There is no record 'nope'")
        assert notice.title == "Not opened"
        assert isinstance(app.screen, HomeScreen)
        assert not any(isinstance(s, WalkScreen) for s in app.screen_stack)
        # home still works: the record that exists opens
        await pilot.press("enter")
        walk = await in_walk(pilot)
        assert walk.record_id == sample_id


async def test_open_record_with_an_unknown_id_stays_home(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await at_home(pilot)
        app.open_record("nope")
        await pilot.pause()
        assert app.screen is home
        assert [n.message for n in notices(app, "error")] == ["There is no record 'nope' (see 'ethicsdesk list')."]


async def test_an_unknown_id_to_replay_stays_home(service: Service) -> None:
    app = make_app(service, Start(replay="nope"))
    async with app.run_test(size=(80, 24)) as pilot:
        home = await at_home(pilot)
        await wait_until(pilot, lambda: notices(app, "error"), "a notice")
        assert app.screen is home
        assert "nope" in notices(app, "error")[0].message


async def test_a_database_that_cannot_be_opened_says_why_in_one_sentence_and_q_quits() -> None:
    def failing() -> Service:
        raise DatabaseProblem("The database was made by a newer ethicsdesk (schema 9); upgrade ethicsdesk to open it.")

    app = build_app(failing, CASE_MANAGER, Start())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ProblemScreen), "the problem screen")
        text = str(app.screen.query_one("#problem-text", Static).render())
        assert text == "The database was made by a newer ethicsdesk (schema 9); upgrade ethicsdesk to open it."
        assert not app.service_ready
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running, "the app to quit")
    assert app.return_code == 2  # not opened: non-zero, as `list` exits (run() then prints the sentence)
    assert app.problem is not None and app.problem.message.startswith("The database was made by a newer")


async def test_ctrl_q_on_the_problem_screen_still_reports_the_problem() -> None:
    def failing() -> Service:
        raise DatabaseProblem("The database file /nowhere/desk.db does not exist.")

    app = build_app(failing, CASE_MANAGER, Start())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ProblemScreen), "the problem screen")
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: not app.is_running, "the app to quit")
    assert app.problem is not None and app.problem.exit_code == 2


async def test_ctrl_q_quits_from_the_walk(service: Service, sample_id: str) -> None:
    app = make_app(service, Start(record_id=sample_id))
    async with app.run_test(size=(80, 24)) as pilot:
        await in_walk(pilot)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: not app.is_running, "the app to quit")
    assert app.return_code == 0


async def test_f1_shows_the_help_and_escape_returns(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await at_home(pilot)
        await pilot.press("f1")
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        assert app.screen is home


async def test_a_record_whose_tables_were_rewritten_is_not_opened_and_says_why(
    service: Service, sample_id: str
) -> None:
    """Text written straight into the tables (a staff login on a server, anyone holding the file) is
    never shown as the record: the app names the mismatch instead of opening it."""
    import sqlite3

    service.editing.decide(sample_id, "rationale", "The client chose this with capacity.")
    raw = sqlite3.connect(service.db.url.removeprefix("sqlite:///"), isolation_level=None)
    raw.execute("UPDATE decisions SET rationale = 'Written outside the app.' WHERE record_id = ?", (sample_id,))
    raw.close()
    app = make_app(service, Start(record_id=sample_id))
    async with app.run_test(size=(80, 24)) as pilot:
        await at_home(pilot)
        await wait_until(pilot, lambda: notices(app, "error"), "a notice")
        (notice,) = notices(app, "error")
        assert notice.title == "Not opened"
        assert notice.message.startswith(f"{sample_id} is not shown: its current-state tables differ")
        assert not any(isinstance(s, WalkScreen) for s in app.screen_stack)


@pytest.mark.sqlite_only
async def test_open_id_draws_the_walk_before_the_service_opens_and_saves_once_it_has(
    service: Service, sample_id: str
) -> None:
    """`open ID` on a SQLite file: the walk is drawn from the light service while the service is still
    opening; what is typed meanwhile waits for it and is saved once it is open."""
    release = threading.Event()

    def opening_slowly() -> Service:
        release.wait(30)
        return service

    def light() -> LightService | None:
        return LightService.open(service.db.url, CASE_MANAGER)

    app = build_app(opening_slowly, CASE_MANAGER, Start(record_id=sample_id), light=light)
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await in_walk(pilot)
        assert not app.service_ready and walk.record_id == sample_id
        field = app.focused
        assert isinstance(field, FieldInput | FieldText)
        await type_text(pilot, " zq")
        await wait_until(pilot, lambda: walk.autosave.flushing or walk.writer.busy, "a save asked for")
        release.set()
        await wait_until(pilot, lambda: app.service_ready, "the service open")
        await autosaved(pilot, walk)
        assert stored_value(service.record(sample_id), field.save_key).endswith(" zq")
