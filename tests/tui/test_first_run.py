"""The first run (ethicsdesk/tui/screens/first_run.py): asked once for a name and a role, written to
the config file, and used for every change after."""

from __future__ import annotations

from textual.widgets import RadioSet, Static

from ethicsdesk.service import Service
from ethicsdesk.settings import User, config_path, current_user
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.first_run import FirstRunScreen
from ethicsdesk.tui.screens.home import HomeScreen
from tests.tui.harness import at_home, focused_id, in_walk, make_app, type_text, wait_until


def error_text(screen: FirstRunScreen) -> str:
    return str(screen.query_one("#error", Static).render())


async def test_first_run_asks_for_name_and_role_and_writes_the_config(service: Service) -> None:
    assert current_user() is None
    app = make_app(service, user=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, FirstRunScreen), "the first-run screen")
        screen = app.screen
        assert focused_id(pilot) == "name"
        await type_text(pilot, "Sam Okafor")
        await pilot.press("tab")  # the roles; down moves to the next, enter chooses it
        assert focused_id(pilot) == "role"
        await pilot.press("down", "enter", "tab", "enter")  # supervisor; then Save and continue
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "home after the first run")
        assert not screen.is_attached
        assert app.user == User("Sam Okafor", "supervisor")

    assert current_user() == User("Sam Okafor", "supervisor")
    text = config_path().read_text(encoding="utf-8")
    assert '[user]\nname = "Sam Okafor"\nrole = "supervisor"' in text
    assert config_path().stat().st_mode & 0o777 == 0o600


async def test_enter_in_the_name_saves_with_the_first_role(service: Service) -> None:
    app = make_app(service, Start(new=True), user=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, FirstRunScreen), "the first-run screen")
        await type_text(pilot, "  Robin Ashdown ")
        await pilot.press("enter")
        # the start asked for (a new record) follows, and the record is attributed to the new user
        await wait_until(pilot, lambda: type(app.screen).__name__ == "NewRecordScreen", "the new-record dialog")
        await type_text(pilot, "Gift")
        await pilot.press("enter", "enter")
        walk = await in_walk(pilot)
        state = service.record(walk.record_id)
        assert state.created_by == "Robin Ashdown"
    assert current_user() == User("Robin Ashdown", "case manager")


async def test_an_empty_name_is_refused_and_nothing_is_written(service: Service) -> None:
    app = make_app(service, user=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, FirstRunScreen), "the first-run screen")
        screen = app.screen
        assert isinstance(screen, FirstRunScreen)
        await pilot.press("enter")
        assert error_text(screen) == "Please type your name: records need an author."
        await type_text(pilot, "   ")
        await pilot.press("tab", "tab", "enter")  # past the roles to the button
        assert error_text(screen) == "Please type your name: records need an author."
        assert app.screen is screen
        assert focused_id(pilot) == "name"  # sent back to the field that needs it
        assert app.user is None
    assert not config_path().exists()
    assert current_user() is None


async def test_the_role_mark_is_a_character_on_the_chosen_role_only(service: Service) -> None:
    app = make_app(service, user=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, FirstRunScreen), "the first-run screen")
        roles = app.screen.query_one("#role", RadioSet)
        await pilot.press("tab", "down", "down", "enter")  # trainer
        marks = [str(button.render()) for button in roles.query("MarkedRadioButton")]
        assert [("●" in m) for m in marks] == [False, False, True]


async def test_a_known_user_is_not_asked(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await at_home(pilot)
        assert not any(isinstance(s, FirstRunScreen) for s in app.screen_stack)
    assert not config_path().exists()
