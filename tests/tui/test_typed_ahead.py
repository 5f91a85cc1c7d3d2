"""Keys typed before a screen is ready reach it (tui/typed_ahead.py, and the review form's focus).

In `ethicsdesk review`, home showed its records while the database opened; an Enter there was
answered "still opening" and dropped, and the queue then came up as if nothing had been typed. On the
review form nothing had the focus, so a Space pressed as it appeared reached no verdict. Now keys
typed while the screen on top is not ready (not mounted, or home before the database is open) are
held and sent on, in order, once it is; the review form opens with the verdict focused.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, RadioSet

from ethicsdesk.service import Service
from ethicsdesk.settings import User
from ethicsdesk.tui.app import EthicsdeskApp, Start, build_app
from ethicsdesk.tui.screens.home import HomeScreen
from ethicsdesk.tui.screens.new_record import NewRecordScreen
from ethicsdesk.tui.screens.review import ReviewScreen
from ethicsdesk.tui.screens.review_queue import ReviewQueueScreen
from ethicsdesk.tui.screens.walk import WalkScreen
from ethicsdesk.tui.widgets.marked_toggles import pressed_name
from tests.tui.harness import in_walk, make_app, send_keys, wait_until

SIZE = (80, 24)
DANA = User("Dana Okafor", "supervisor")


@pytest.fixture
def as_dana(db_url: str) -> Iterator[Service]:
    svc = Service.open(db_url, DANA)
    yield svc
    svc.close()


def slow_to_open(service: Service, user: User, start: Start) -> tuple[EthicsdeskApp, threading.Event]:
    """The app on `service`, whose database opens only when the test sets the event it returns (a
    loaded machine opening the store), so keys can be typed before it is open."""
    opened = threading.Event()

    def factory() -> Service:
        opened.wait(timeout=30)
        return service

    return build_app(factory, user, start), opened


async def home_shown(pilot: Pilot[Any]) -> None:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen) and pilot.app.screen.is_mounted, "home")


async def test_enter_typed_while_review_starts_opens_the_first_request(
    service: Service, as_dana: Service, open_id: str, sample_id: str
) -> None:
    service.editing.request_consultation(open_id, DANA.name, "Is warning him defensible?")
    app, opened = slow_to_open(as_dana, DANA, Start(review=""))
    async with app.run_test(size=SIZE) as pilot:
        await home_shown(pilot)
        await send_keys(pilot, "enter")  # typed before the queue is up
        assert not app.service_ready
        opened.set()
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, ReviewScreen) and isinstance(app.focused, RadioSet),
            "the request opened by the early Enter, its verdict focused",
        )
        assert isinstance(app.screen, ReviewScreen) and app.screen.record_id == open_id


async def test_keys_typed_on_home_while_the_database_opens_reach_the_new_record_window_in_order(
    service: Service,
) -> None:
    app, opened = slow_to_open(service, DANA, Start())
    async with app.run_test(size=SIZE) as pilot:
        await home_shown(pilot)
        await send_keys(pilot, "n", *"Gift card", "tab", *"C-9")
        opened.set()
        await wait_until(pilot, lambda: isinstance(app.screen, NewRecordScreen), "the new record window")
        window = app.screen
        await wait_until(pilot, lambda: window.query_one("#case-code", Input).value == "C-9", "every key typed")
        assert window.query_one("#title", Input).value == "Gift card"


async def test_space_as_the_review_form_appears_reaches_the_verdict_twice(
    service: Service, as_dana: Service, open_id: str, weighed_id: str
) -> None:
    for rid in (open_id, weighed_id):
        service.editing.request_consultation(rid, DANA.name, "Can we go ahead?")
    app = build_app(lambda: as_dana, DANA, Start(review=""))
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(2):  # the second form too
            await wait_until(pilot, lambda: isinstance(app.screen, ReviewQueueScreen) and app.focused, "the queue")
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen), "the review form")
            await pilot.press("space")  # as soon as it is there (pushed; maybe not yet mounted)
            form = app.screen

            def concurred(f: Screen[object] = form) -> bool:
                return pressed_name(f.query_one("#outcome", RadioSet), "") == "concur"

            await wait_until(pilot, concurred, "the verdict")
            await pilot.press("escape")


def _ends_with(field: Input, tail: str) -> bool:
    return field.value.endswith(tail)


async def test_keys_typed_as_a_record_opens_from_home_act_in_order_on_its_step(
    service: Service, weighed_id: str
) -> None:
    """Enter on home, then keys at once, for a record left on its options: the keys wait for the step,
    then act as if typed slowly. `e` among them opens the option's window and the keys after it are
    typed there: when held keys were sent on, `e` was not yet a key of the list (the list had no focus
    yet), and the keys behind it went to the list with it and were lost. Twice: the second opening too."""
    service.editing.save_cursor(weighed_id, "options", "option-list")
    label = service.record(weighed_id).options[0].label
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        for typed in ("me-now", "me-again"):
            await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.service_ready, "home")
            await send_keys(pilot, "enter", *typed)
            await wait_until(pilot, lambda: type(app.screen).__name__ == "OptionEditScreen", "the option's window")
            window = app.screen
            field = window.query_one("#label", Input)
            await wait_until(pilot, partial(_ends_with, field, typed[2:]), "the keys after `e` in the label")
            await pilot.press("enter", "enter")
            walk = await in_walk(pilot)
            await walk.settled()
            label += typed[2:]
            assert service.record(weighed_id).options[0].label == label
            await pilot.press("escape")


async def test_the_walk_has_its_field_focused_as_soon_as_it_can_take_a_key(
    service: Service, weighed_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys reach the walk once it is mounted (and its step complete). Its field must have the focus by
    then, opening from home and moving a step on: the focus came a refresh later, and keys typed in
    between went to the step list (the screen's first focusable), lost."""
    service.editing.save_cursor(weighed_id, "options", "option-list")
    focused_after: list[tuple[str, str | None]] = []
    mounted, moved_on = WalkScreen.on_mount, WalkScreen.action_next_step

    def on_mount(walk: WalkScreen) -> None:
        mounted(walk)
        focused_after.append(("mount", walk.focused.id if walk.focused else None))

    async def action_next_step(walk: WalkScreen) -> None:
        await moved_on(walk)
        focused_after.append((walk.current, walk.focused.id if walk.focused else None))

    monkeypatch.setattr(WalkScreen, "on_mount", on_mount)
    monkeypatch.setattr(WalkScreen, "action_next_step", action_next_step)
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.service_ready, "home")
        await pilot.press("enter")
        walk = await in_walk(pilot)
        for _ in range(2):  # to a pane composed now, then past it
            await pilot.press("ctrl+n")
        await walk.settled()
    assert focused_after == [("mount", "option-list"), ("weigh", "matrix"), ("decide", "chosen")]
