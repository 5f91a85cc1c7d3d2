"""Every field and button of every step and window can be reached by keyboard at 80x24 and 60x20.

The widgets to reach are found by walking the screen's widget tree (anything focusable and shown),
never from a list kept by hand: a field added later is covered as soon as it exists. Tab is pressed
round the whole focus chain; each widget must take the focus, and when it has it, it must be on
screen with at least one row of its content showing (a button whole).
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.screen import Screen
from textual.widget import Widget

from ethicsdesk.domain.walk import STEPS
from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.walk import WalkScreen
from tests.tui.harness import in_walk, make_app, wait_until

SIZES = [(80, 24), (60, 20)]
SIZE_IDS = ["80x24", "60x20"]


def shown(widget: Widget) -> bool:
    return widget.display and all(a.display for a in widget.ancestors if isinstance(a, Widget))


def reachable_widgets(screen: Screen[Any]) -> list[Widget]:
    """What a keyboard user should be able to reach: every focusable widget on show, from the tree."""
    return [w for w in screen.walk_children(Widget) if w.focusable and shown(w)]


def on_screen_problem(screen: Screen[Any], widget: Widget) -> str | None:
    """Why `widget`, focused, cannot be used where it is; None when it can."""
    geometry = screen._compositor.find_widget(widget)
    visible = geometry.region.intersection(geometry.clip).intersection(screen.region)
    name = f"{type(widget).__name__}#{widget.id or widget.name or '?'}"
    if widget.content_region.height < 1 or widget.content_region.width < 1:
        return f"{name} has no room for content ({widget.content_region.size})"
    if visible.height < 1 or visible.width < 1:
        return f"{name} is off screen ({geometry.region} clipped to {geometry.clip})"
    if geometry.region.height <= geometry.clip.height and visible.height < geometry.region.height:
        return f"{name} is cut: {visible.height} of {geometry.region.height} rows show"
    return None


async def tab_round(pilot: Any, screen: Screen[Any]) -> tuple[set[Widget], list[str]]:
    """Press tab round the focus chain (and once more); what took the focus, and what went wrong."""
    reached: set[Widget] = set()
    problems: list[str] = []
    for _ in range(len(screen.focus_chain) + 1):
        await pilot.press("tab")
        await pilot.pause()
        widget = pilot.app.focused
        if widget is None:
            continue
        reached.add(widget)
        problem = on_screen_problem(screen, widget)
        if problem:
            problems.append(problem)
    return reached, problems


async def check_screen_reach(pilot: Any, screen: Screen[Any]) -> None:
    expected = reachable_widgets(screen)
    assert expected, "nothing focusable on this screen"
    reached, problems = await tab_round(pilot, screen)
    missed = [f"{type(w).__name__}#{w.id or w.name}" for w in expected if w not in reached and shown(w)]
    assert not missed, f"tab never reached: {missed}"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("step", STEPS)
async def test_every_field_of_every_step_is_reachable(service: Service, open_id: str, step: str, size: Any) -> None:
    service.editing.save_cursor(open_id, step, "")
    app = make_app(service, Start(record_id=open_id))
    async with app.run_test(size=size) as pilot:
        walk = await in_walk(pilot)
        assert walk.current == step
        await check_screen_reach(pilot, walk)


async def open_window(pilot: Any, walk: WalkScreen, keys: list[str]) -> Screen[Any]:
    await pilot.press(*keys)
    await wait_until(pilot, lambda: pilot.app.screen is not walk, "the window open")
    await pilot.pause()
    return pilot.app.screen


WINDOWS = {
    # window: (step it opens from, keys that open it)
    "option-edit": ("options", ["e"]),
    "floor-check": ("options", ["f"]),
    "remove-option": ("options", ["d"]),
    "note": ("weigh", ["enter"]),
    "analysis": ("weigh", ["a"]),
    "export": ("situation", ["ctrl+e"]),
    "help": ("situation", ["f1"]),
}


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("window", list(WINDOWS))
async def test_every_field_of_every_window_is_reachable(
    service: Service, open_id: str, window: str, size: Any
) -> None:
    step, keys = WINDOWS[window]
    target = {"options": "option-list", "weigh": "matrix"}.get(step, "")
    service.editing.save_cursor(open_id, step, target)
    app = make_app(service, Start(record_id=open_id))
    async with app.run_test(size=size) as pilot:
        walk = await in_walk(pilot)
        opened = await open_window(pilot, walk, keys)
        await check_screen_reach(pilot, opened)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_the_addendum_window_is_reachable_on_a_signed_record(service: Service, signed_id: str, size: Any) -> None:
    app = make_app(service, Start(record_id=signed_id))
    async with app.run_test(size=size) as pilot:
        walk = await in_walk(pilot)
        opened = await open_window(pilot, walk, ["ctrl+a"])
        await check_screen_reach(pilot, opened)
