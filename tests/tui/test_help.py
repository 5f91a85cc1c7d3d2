"""F1 shows the keys of the screen it is opened from (tui/screens/help.py).

The help was one hand-kept page, the same on every screen, and it left out the review screen's
ctrl+s and ctrl+g. Now it is read from the bindings: these tests walk every screen and every dialog
a person can reach, open F1 there, and check that each key the footer shows is listed with what it
does, and that the keys of other screens are not.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from textual.keys import format_key
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from ethicsdesk.domain.walk import STEPS
from ethicsdesk.service import Service
from ethicsdesk.settings import User
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.help import HelpScreen
from ethicsdesk.tui.screens.review import ReviewScreen
from ethicsdesk.tui.screens.review_queue import ReviewQueueScreen
from tests.tui.harness import at_home, in_walk, make_app, wait_until

SIZE = (80, 24)
DANA = User("Dana Okafor", "supervisor")


def typed(key: str) -> str:
    """A bound key as the help writes it: 'ctrl+e', '[', 'f1'."""
    *modifiers, name = key.split("+")
    return "+".join([*modifiers, format_key(name)])


def footer_keys(screen: Screen[Any]) -> list[tuple[str, str]]:
    """(key, description) of every binding the footer shows on `screen` as it stands."""
    return [
        (typed(key), active.binding.description)
        for key, active in screen.active_bindings.items()
        if active.binding.show and active.binding.description
    ]


def listed(help_text: str, key: str, description: str) -> bool:
    return any(description in line and key in line.split() for line in help_text.splitlines())


async def help_on(pilot: Pilot[Any], *, expect: Iterable[tuple[str, str]] = ()) -> str:
    """Open F1 on the screen on top, check that it lists every key the footer shows there (and
    `expect`), close it, and return its text."""
    app = pilot.app
    screen = app.screen
    shown = footer_keys(screen)
    await pilot.press("f1")
    await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), f"F1 on {type(screen).__name__}")
    text = str(app.screen.query_one("#help-text", Static).render())
    for key, description in [*shown, *expect]:
        assert listed(text, key, description), f"{type(screen).__name__}: {key} {description!r} not in\n{text}"
    assert listed(text, "ctrl+q", "Quit") and listed(text, "f1", "Help") and listed(text, "ctrl+p", "Command palette")
    await pilot.press("escape")
    await wait_until(pilot, lambda: app.screen is screen, f"back on {type(screen).__name__}")
    return text


async def opened(pilot: Pilot[Any], key: str, kind: str) -> Screen[Any]:
    app = pilot.app
    before = app.screen
    await pilot.press(key)
    await wait_until(pilot, lambda: app.screen is not before and type(app.screen).__name__ == kind, kind)
    await pilot.pause()
    return app.screen


async def closed(pilot: Pilot[Any], screen: Screen[Any], key: str = "escape") -> None:
    await pilot.press(key)
    await wait_until(pilot, lambda: pilot.app.screen is not screen, f"{type(screen).__name__} closed")


async def test_home_and_its_dialogs_each_list_their_own_keys(service: Service, weighed_id: str) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await at_home(pilot)
        home = await help_on(pilot, expect=[("n", "New"), ("/", "Search"), ("r", "Replay"), ("c", "Cohort")])
        assert "Keys here: Home" in home
        assert not listed(home, "ctrl+s", "Send answer")  # the review screen's, not home's
        dialog = await opened(pilot, "n", "NewRecordScreen")
        text = await help_on(pilot, expect=[("esc", "Cancel")])
        assert not listed(text, "n", "New")  # home's keys do not work under the dialog
        await closed(pilot, dialog)
        picker = await opened(pilot, "t", "SamplePickerScreen")
        await help_on(pilot, expect=[("esc", "Cancel")])
        await closed(pilot, picker)


async def test_every_step_of_the_walk_lists_its_keys_and_its_dialogs_theirs(service: Service, open_id: str) -> None:
    app = make_app(service, Start(record_id=open_id))  # a legal floor ticked: the floor check opens
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        texts = {}
        for step in STEPS:
            await walk.go_to(step)

            def arrived(s: str = step) -> bool:
                return walk.current == s and app.focused is not None

            await wait_until(pilot, arrived, step)
            await pilot.pause()
            texts[step] = await help_on(pilot, expect=[("ctrl+n", "Next step"), ("ctrl+e", "Export")])
            assert f"Keys here: Walk, step {walk.query_one(f'#pane-{step}').title}" in texts[step]  # type: ignore[attr-defined]
        assert listed(texts["options"], "[", "Up") and listed(texts["options"], "f", "Floor check")
        assert not listed(texts["situation"], "f", "Floor check")  # a hidden step's keys are not offered
        assert listed(texts["weigh"], "a", "Analysis") and listed(texts["weigh"], "⏎", "Note")
        assert "strongly compromises" in texts["weigh"] and "strongly compromises" not in texts["options"]
        assert not listed(texts["weigh"], "ctrl+d", "Debrief")  # training only

        await walk.go_to("weigh")
        await wait_until(pilot, lambda: walk.current == "weigh", "weigh")
        analysis = await opened(pilot, "a", "AnalysisScreen")
        await help_on(pilot, expect=[("esc", "Close")])
        await closed(pilot, analysis)
        await walk.go_to("options")
        await wait_until(pilot, lambda: walk.current == "options", "options")
        for key, kind in (("a", "OptionEditScreen"), ("f", "FloorCheckScreen")):
            dialog = await opened(pilot, key, kind)
            await help_on(pilot)
            await closed(pilot, dialog)
        for key, kind in (("ctrl+e", "ExportScreen"), ("ctrl+o", "ConsultRequestScreen")):
            dialog = await opened(pilot, key, kind)
            await help_on(pilot)
            await closed(pilot, dialog)


async def test_a_signed_record_offers_the_addendum_and_its_dialog_lists_its_keys(
    service: Service, signed_id: str
) -> None:
    app = make_app(service, Start(record_id=signed_id))
    async with app.run_test(size=SIZE) as pilot:
        await in_walk(pilot)
        await help_on(pilot, expect=[("ctrl+a", "Addendum")])
        dialog = await opened(pilot, "ctrl+a", "AddendumScreen")
        await help_on(pilot)
        await closed(pilot, dialog)


@pytest.fixture
def as_dana(db_url: str) -> Iterator[Service]:
    svc = Service.open(db_url, DANA)
    yield svc
    svc.close()


async def test_the_review_queue_and_the_review_form_list_send_and_sign(
    service: Service, as_dana: Service, open_id: str
) -> None:
    service.editing.request_consultation(open_id, DANA.name, "Is warning him defensible?")
    app = make_app(as_dana, Start(review=""), user=DANA)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewQueueScreen), "the queue")
        queue = await help_on(pilot, expect=[("a", "Mine / all"), ("esc", "Back")])
        assert not listed(queue, "ctrl+g", "Sign")
        as_dana.review.answer_consultation(open_id, "concur", "Agreed.", "")  # answered: ctrl+g asks before signing
        app.open_review(open_id)
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review form")
        await pilot.pause()
        form = await help_on(pilot, expect=[("ctrl+s", "Send answer"), ("ctrl+g", "Sign")])
        assert "Keys here: Review" in form and not listed(form, "a", "Mine / all")
        confirm = await opened(pilot, "ctrl+g", "ConfirmScreen")  # the justification is incomplete
        await help_on(pilot, expect=[("y", "Yes"), ("n", "No")])
        await closed(pilot, confirm)


async def test_the_debrief_cohort_and_replay_screens_list_their_keys(service: Service) -> None:
    from ethicsdesk.tui.screens.cohort import CohortScreen
    from ethicsdesk.tui.screens.debrief import DebriefScreen
    from ethicsdesk.tui.screens.replay import ReplayScreen

    attempt = service.training.start_training("discharge-against-advice")
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await at_home(pilot)
        for screen, expect in (
            (DebriefScreen(attempt), [("e", "Export"), ("r", "Rate"), ("esc", "Back")]),
            (CohortScreen("discharge-against-advice"), [("e", "Export")]),
            (ReplayScreen(attempt), [("w", "Walk at this event"), ("home", "First event")]),
        ):
            await app.push_screen(screen)

            def on_top(s: Screen[Any] = screen) -> bool:
                return app.screen is s and s.is_mounted

            await wait_until(pilot, on_top, type(screen).__name__)
            await pilot.pause()
            await help_on(pilot, expect=expect)
            if not isinstance(screen, ReplayScreen):  # e asks for the folder first
                folder = await opened(pilot, "e", "ExportFolderScreen")
                await help_on(pilot, expect=[("esc", "Cancel")])
                await closed(pilot, folder)
            app.pop_screen()

            def popped(s: Screen[Any] = screen) -> bool:
                return app.screen is not s

            await wait_until(pilot, popped, "popped")


async def test_the_insight_screen_lists_back(service: Service) -> None:
    from ethicsdesk.tui.screens.insight import InsightScreen

    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await at_home(pilot)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, InsightScreen) and app.screen.is_mounted, "insight")
        await pilot.pause()
        await help_on(pilot, expect=[("esc", "Back")])


def test_every_screen_module_is_walked() -> None:
    """A new screen with keys of its own must be added to the walks above."""
    import pkgutil

    import ethicsdesk.tui.screens as screens_package

    names = {m.name for m in pkgutil.iter_modules(screens_package.__path__)}
    walked_or_keyless = {
        "home", "new_record", "sample_picker", "walk", "analysis", "option_edit", "floor_check", "export",
        "export_folder",
        "consult_request", "addendum", "review_queue", "review", "review_rating", "confirm", "debrief",
        "cohort", "replay",
        "insight",
        # no keys of their own beyond a dialog's escape, or shown before the app has a screen to help with:
        "dialog", "help", "training_text_view", "first_run", "problem", "passphrase", "database_passphrase",
        "lock", "note", "conflict", "consult_answer", "rate_attempt",
    }  # fmt: skip
    assert names <= walked_or_keyless, names - walked_or_keyless
