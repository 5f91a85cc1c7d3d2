"""Snapshots (pytest-textual-snapshot) of the screens whose layout matters most at 80x24 and larger.

The clock and the ids are fixed (`clock` below), so what is on screen depends only on the code.
Baselines live in tests/tui/__snapshots__/; after a deliberate change to the screens, regenerate them
with `pytest tests/tui/test_snapshots.py --snapshot-update` and look at every changed image before
committing it. These tests are synchronous: snap_compare runs the app in its own event loop.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from ethicsdesk.service import Service
from ethicsdesk.service.records import Clock
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.walk import WalkScreen
from tests.conftest import DILEMMAS
from tests.tui.conftest import FrozenClock
from tests.tui.harness import at_home, in_walk, make_app, wait_until

SnapCompare = Callable[..., bool]


@pytest.fixture
def clock() -> Clock:
    return FrozenClock()


def until_walk_at(step: str) -> Callable[[Pilot[Any]], Awaitable[None]]:
    async def run_before(pilot: Pilot[Any]) -> None:
        walk = await in_walk(pilot)
        assert walk.current == step
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, WalkScreen), "the walk on top")
        await settled(pilot)

    return run_before


async def settled(pilot: Pilot[Any], frames: int = 3, most: int = 200) -> None:
    """Until no scrollable widget moved or resized for `frames` pauses in a row. The focused field is
    scrolled into view after a refresh, and text that wraps itself changes height on its first resize,
    so the picture depended on when it was taken (a loaded machine took it earlier in that dance)."""
    last: object = None
    still = 0
    for _ in range(most):
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        now = [(w.scroll_offset, w.region, w.virtual_size) for w in pilot.app.screen.query("*") if w.is_scrollable]
        still = still + 1 if now == last else 0
        if still >= frames:
            return
        last = now
    raise AssertionError(f"the screen kept moving for {most} pauses")


async def home_loaded(pilot: Pilot[Any]) -> None:
    home = await at_home(pilot)
    await wait_until(pilot, lambda: home.query_one(DataTable).row_count == 2, "two records listed")


def test_home_with_two_records(snap_compare: SnapCompare, service: Service) -> None:
    service.importing.import_files([DILEMMAS / "discharge-against-advice.toml"])
    service.editing.create_record("Gift from a client's family", case_code="C-3104")
    assert snap_compare(make_app(service), terminal_size=(80, 24), run_before=home_loaded)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_weighing_matrix(snap_compare: SnapCompare, service: Service, sample_id: str, size: tuple[int, int]) -> None:
    service.editing.save_cursor(sample_id, "weigh", "matrix")
    app = make_app(service, Start(record_id=sample_id))
    assert snap_compare(app, terminal_size=size, run_before=until_walk_at("weigh"))


def test_legal_floor_banner_on_obligations(snap_compare: SnapCompare, service: Service) -> None:
    (rid,) = service.importing.import_files([DILEMMAS / "threat-to-third-party.toml"])
    assert "duty-to-warn" in service.record(rid).obligations
    service.editing.save_cursor(rid, "obligations", "obligation-list")
    app = make_app(service, Start(record_id=rid))
    assert snap_compare(app, terminal_size=(80, 24), run_before=until_walk_at("obligations"))


@pytest.mark.parametrize(("step", "field"), [("options", "option-list")])
def test_steps_at_80x24(snap_compare: SnapCompare, service: Service, sample_id: str, step: str, field: str) -> None:
    """The Options step at 80x24: the marked option row and the footer with help first. (Decide and
    Consult are proven by tests/tui/test_reach.py; their snapshots depended on timing.)"""
    service.editing.save_cursor(sample_id, step, field)
    app = make_app(service, Start(record_id=sample_id))
    assert snap_compare(app, terminal_size=(80, 24), run_before=until_walk_at(step))
