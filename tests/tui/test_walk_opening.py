"""Opening a record from home does its work once: one read of the record, the footer's keys composed
once, and nothing of a closed walk kept by the app (each cost the opening time: bench/walk_parts.py).
Counts only; no test here asserts how long anything takes."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from textual.pilot import Pilot

from ethicsdesk.service import Service
from ethicsdesk.tui.screens.walk import WalkScreen
from ethicsdesk.tui.widgets.keys_footer import KeysFooter
from tests.tui.harness import at_home, in_walk, make_app, wait_until

SIZE = (80, 24)


async def open_from_home(pilot: Pilot[Any]) -> WalkScreen:
    await at_home(pilot)
    await pilot.press("enter")
    walk = await in_walk(pilot)
    await walk.settled()  # a reread asked for on opening has landed by now
    await pilot.pause()
    return walk


async def test_enter_from_home_reads_the_record_once(service: Service, sample_id: str, monkeypatch: Any) -> None:
    reads: list[str] = []
    record = service.record

    def counted(record_id: str) -> Any:
        reads.append(record_id)
        return record(record_id)

    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await at_home(pilot)
        monkeypatch.setattr(service, "record", counted)
        walk = await open_from_home(pilot)
        # home read it to open it (refused there if missing or altered); the walk is drawn from that read
        assert reads == [sample_id]
        assert walk.view is not None and walk.view.state.id == sample_id
        assert walk.head == service.head(sample_id)


async def test_the_walk_composes_its_keys_only_when_they_change(
    service: Service, sample_id: str, monkeypatch: Any
) -> None:
    """Textual's footer composed its keys again at every focus change: five times on opening the walk,
    each a removal, a mount and a layout, for the same keys."""
    composed: list[tuple[KeysFooter, tuple[object, ...]]] = []
    compose = KeysFooter.compose

    def counted(self: KeysFooter) -> Any:
        composed.append((self, self.shown()))
        return compose(self)

    monkeypatch.setattr(KeysFooter, "compose", counted)
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        walk = await open_from_home(pilot)
        footer = walk.query_one(KeysFooter)
        shown = [keys for widget, keys in composed if widget is footer]
        assert shown and all(a != b for a, b in pairwise(shown))  # never the same keys again
        assert any(getattr(key, "action", "") == "help" for key in footer.children)  # f1 Help on show
        focused = app.focused
        await pilot.press("tab")  # another text box: the same keys on show
        await wait_until(pilot, lambda: app.focused is not focused, "the focus moved on")
        await pilot.pause()
        assert [keys for widget, keys in composed if widget is footer] == shown


@pytest.mark.parametrize("rounds", [3])
async def test_a_closed_walk_is_not_kept_by_the_app(service: Service, sample_id: str, rounds: int) -> None:
    """Its text boxes watch the app's theme; the app dropped such watchers only when the theme next
    changed, so it kept every walk's text boxes and all they had drawn."""
    app = make_app(service)
    kept: list[int] = []
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(rounds):
            await open_from_home(pilot)
            await pilot.press("escape")
            await at_home(pilot)
            await pilot.pause()
            watchers: dict[str, list[Any]] = getattr(app, "__watchers", {})
            kept.append(len(watchers.get("theme", [])))
    assert kept[-1] <= kept[0], kept  # no more after three walks than after one
