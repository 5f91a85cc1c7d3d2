"""The step list (ethicsdesk/tui/widgets/step_list.py): where you are and which steps lack something,
in characters: '>' here, '✓' complete, '•' still lacks something."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App, ComposeResult
from textual.geometry import Region

from ethicsdesk.domain.walk import STEPS
from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.walk import WalkScreen
from ethicsdesk.tui.widgets.step_list import StepList
from tests.tui.harness import focused_id, in_walk, make_app, wait_until


class StepsApp(App[None]):
    def compose(self) -> ComposeResult:
        yield StepList()


def labels(steps: StepList) -> list[str]:
    """The seven lines as drawn."""
    return [str(steps.get_option_at_index(n).prompt) for n in range(len(STEPS))]


async def test_marks_say_where_you_are_and_what_is_missing() -> None:
    app = StepsApp()
    async with app.run_test(size=(40, 12)) as pilot:
        steps = app.query_one(StepList)
        lacks: dict[str, list[str]] = {s: [] for s in STEPS}
        lacks |= {"options": ["1 more option(s)"], "consult": ["a consultation request"]}
        steps.show("weigh", lacks)
        await pilot.pause()
        assert labels(steps) == [
            "✓ 1 Situation",
            "✓ 2 Obligations",
            "• 3 Options",
            "> 4 Weigh",
            "✓ 5 Decide",
            "• 6 Consult",
            "✓ 7 Outcome",
        ]
        assert steps.highlighted == 3
        # and so they are drawn, each line redrawn with its new mark
        drawn = steps.render_lines(Region(0, 0, steps.size.width, len(STEPS)))
        assert [strip.text.strip() for strip in drawn] == labels(steps)


async def test_the_current_step_shows_here_even_when_it_lacks_something() -> None:
    app = StepsApp()
    async with app.run_test(size=(40, 12)) as pilot:
        steps = app.query_one(StepList)
        steps.show("situation", {"situation": ["the facts"]})
        await pilot.pause()
        assert labels(steps)[0] == "> 1 Situation"
        assert labels(steps)[1:] == [
            f"✓ {n} {t}" for n, t in enumerate(["Obligations", "Options", "Weigh", "Decide", "Consult", "Outcome"], 2)
        ]
        assert steps.highlighted == 0
        steps.show("outcome", {"situation": ["the facts"]})
        await pilot.pause()
        assert labels(steps)[0] == "• 1 Situation"
        assert labels(steps)[-1] == "> 7 Outcome"
        assert steps.highlighted == 6


async def test_the_walk_marks_its_steps_from_the_record(service: Service, situated_id: str) -> None:
    service.editing.add_option(situated_id, "Status quo")
    app = make_app(service, Start(record_id=situated_id))
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await in_walk(pilot)
        steps = walk.query_one(StepList)
        assert labels(steps) == [
            "> 1 Situation",
            "• 2 Obligations",  # no duty ticked yet: a ✓ here said a step not done was complete
            "• 3 Options",
            "• 4 Weigh",
            "• 5 Decide",
            "• 6 Consult",
            "• 7 Outcome",
        ]
        service.editing.add_option(situated_id, "Return home")  # the second option, from elsewhere
        await pilot.press("ctrl+n")  # a move rereads the record
        # the situation still lacks the client's wishes (asked for, never blocking); options are complete
        assert labels(steps)[:4] == ["• 1 Situation", "> 2 Obligations", "✓ 3 Options", "• 4 Weigh"]


def showing(walk: WalkScreen, step: str) -> Callable[[], bool]:
    return lambda: walk.current == step


async def test_a_step_chosen_in_the_list_opens_each_time(service: Service, situated_id: str) -> None:
    """Enter on a line of the list, then on another, then a click on a third: each moves the walk
    there (the second and third choices are answered like the first)."""
    app = make_app(service, Start(record_id=situated_id))
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await in_walk(pilot)
        steps = walk.query_one(StepList)
        for keys, step in ((("down", "down"), "options"), (("up",), "obligations")):
            # the step shown takes the focus once laid out: the list is focused after that
            await wait_until(pilot, lambda: focused_id(pilot) not in (None, "steps"), "a field of the step focused")
            steps.focus()
            await pilot.press(*keys, "enter")
            await wait_until(pilot, showing(walk, step), f"{step} opened from the list")
            assert labels(steps)[STEPS.index(step)].startswith("> ")
        await pilot.click(StepList, offset=(3, STEPS.index("situation")))
        await wait_until(pilot, lambda: walk.current == "situation", "the situation opened by a click")
        assert labels(steps)[0] == "> 1 Situation"
