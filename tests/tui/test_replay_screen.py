"""Replay in the app: the timeline, the record as it stood, and the walk's screens at an event."""

from __future__ import annotations

from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start, build_app
from ethicsdesk.tui.screens.replay import ReplayScreen
from ethicsdesk.tui.screens.walk import WalkScreen
from ethicsdesk.tui.widgets.fields import FieldText
from tests.conftest import CASE_MANAGER
from tests.tui.harness import wait_until


async def test_the_walk_at_an_event_shows_the_record_as_it_stood_then(service: Service) -> None:
    rid = service.editing.create_record("Replayed record")
    service.editing.set_text(rid, "facts", "First version of the facts.")
    service.editing.set_text(rid, "facts", "Second version of the facts.")
    app = build_app(lambda: service, CASE_MANAGER, Start(replay=rid))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen), "the replay")
        state_text = app.screen.query_one("#state-text")
        await wait_until(pilot, lambda: "Second version" in str(state_text.render()), "the record as it stands")
        await pilot.press("up")  # event 2 of 3
        await wait_until(pilot, lambda: "First version" in str(state_text.render()), "the record at event 2")
        await pilot.press("w")
        await wait_until(pilot, lambda: isinstance(app.screen, WalkScreen) and app.screen.view is not None, "the walk")
        walk = app.screen
        assert isinstance(walk, WalkScreen) and walk.read_only and walk.at_event == 2
        assert walk.query_one("#f-text-facts", FieldText).text == "First version of the facts."
        assert "as it stood after event 2" in str(walk.query_one("#step-head").render())
        await pilot.press("ctrl+a")  # no addendum from a replay: the key is handled, and nothing opens
        await pilot.pause()
        assert app.screen is walk
    assert service.record(rid).text["facts"] == "Second version of the facts."  # nothing written
    assert service.summary(rid).events == 3


async def test_the_timeline_names_options_by_label_and_wraps_under_itself_at_80x24(service: Service) -> None:
    from textual.widgets import OptionList

    from tests.tui.harness import wait_until

    rid = service.editing.create_record("Replayed record")
    key = service.editing.add_option(rid, "Decline to confirm or deny that he is a client here")
    service.editing.decide(rid, "chosen", key)
    app = build_app(lambda: service, CASE_MANAGER, Start(replay=rid))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen), "the replay")
        await pilot.pause()
        timeline = app.screen.query_one("#timeline", OptionList)
        last = str(timeline.get_option_at_index(timeline.option_count - 1).prompt).splitlines()
        assert "chose option 'Decline to confirm" in " ".join(last) and key not in " ".join(last)
        assert len(last) > 2 and all(line.startswith("    ") for line in last[1:]), last


async def test_a_long_history_is_in_the_timeline_a_window_at_a_time(service: Service) -> None:
    """The timeline holds the events around the highlighted one, and moves on as it is walked:
    every event can be reached, and the record shown is the one as it stood after it."""
    from textual.widgets import OptionList

    from tests.tui.harness import wait_until

    rid = service.editing.create_record("Replayed record")
    for n in range(ReplayScreen.WINDOW + 60):
        service.editing.set_text(rid, "facts", f"Version {n} of the facts.")
    total = service.summary(rid).events
    app = build_app(lambda: service, CASE_MANAGER, Start(replay=rid))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReplayScreen), "the replay")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReplayScreen)
        timeline = screen.query_one("#timeline", OptionList)
        assert timeline.option_count == ReplayScreen.WINDOW
        assert f"AFTER EVENT {total} OF {total}" in str(screen.query_one("#state-text").render())
        await pilot.press("home")
        await pilot.pause()
        assert screen.start == 0 and "AFTER EVENT 1 OF" in str(screen.query_one("#state-text").render())
        for _ in range(ReplayScreen.WINDOW):
            await pilot.press("down")
        await pilot.pause()
        seq = ReplayScreen.WINDOW + 1
        assert screen.start > 0 and screen.start + (timeline.highlighted or 0) + 1 == seq
        assert f"AFTER EVENT {seq} OF" in str(screen.query_one("#state-text").render())
        assert f"Version {seq - 2} of the facts." in str(screen.query_one("#state-text").render())
