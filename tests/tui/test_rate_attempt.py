"""The trainer rates a training attempt from its debrief (tui/screens/rate_attempt.py), driven with
Pilot at 80x24: `r` opens the form, the four domains and the level are pressed, the rating is saved
as a `training.rated` event and the debrief shows it beside the reference; a rating set only in part
is refused in a sentence and nothing is saved; a case manager is refused before any form opens."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, Input, RadioSet, Static

from ethicsdesk.service import Service
from ethicsdesk.settings import User
from ethicsdesk.tui.screens.debrief import DebriefScreen
from ethicsdesk.tui.screens.rate_attempt import RateAttemptScreen
from ethicsdesk.tui.widgets.marked_toggles import MarkedRadioButton
from tests.tui.harness import at_home, make_app, notices, wait_until

SIZE = (80, 24)
SAMPLE = "discharge-against-advice"
TESS = User("Tess Morrow", "trainer")
MARKS = {"question": "met", "information": "partly", "analysis": "not-met", "conclusions": "met"}


async def press(pilot: Pilot[Any], form: RateAttemptScreen, radios_id: str, name: str) -> None:
    """Press the named button of a radio set as Enter or Space does on it."""
    radios = form.query_one(f"#{radios_id}", RadioSet)
    button = next(b for b in radios.query(MarkedRadioButton) if b.name == name)
    button.action_toggle_button()
    await wait_until(pilot, lambda: radios.pressed_button is button, f"{name!r} pressed in {radios_id}")


async def open_debrief(pilot: Pilot[Any], attempt: str) -> DebriefScreen:
    await at_home(pilot)
    await pilot.app.push_screen(DebriefScreen(attempt))
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, DebriefScreen), "the debrief")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, DebriefScreen)
    return screen


async def test_a_trainer_rates_the_attempt_from_its_debrief(service: Service) -> None:
    attempt = service.training.start_training(SAMPLE)
    app = make_app(service, user=TESS)
    async with app.run_test(size=SIZE) as pilot:
        debrief = await open_debrief(pilot, attempt)
        assert "Trainer's rating: not rated yet." in str(debrief.query_one("#debrief-text", Static).content)
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, RateAttemptScreen), "the rating form")
        form = app.screen
        assert isinstance(form, RateAttemptScreen)
        await press(pilot, form, "rate-question", "met")
        form.query_one("#rating-save", Button).press()  # the window scrolls: the button is below 24 lines

        def refused() -> bool:
            return "Rate case-specific information" in str(form.query_one("#error", Static).content)

        await wait_until(pilot, refused, "the part rating refused")
        assert service.record(attempt).trainer_rating is None  # nothing saved
        for domain, mark in MARKS.items():
            await press(pilot, form, f"rate-{domain}", mark)
        await press(pilot, form, "rate-level", "2")
        form.query_one("#rate-note", Input).value = "Weigh the daughter's view."
        form.query_one("#rating-save", Button).press()
        await wait_until(pilot, lambda: app.screen is debrief, "back on the debrief")
        rating = service.record(attempt).trainer_rating
        assert rating is not None
        assert (rating.marks, rating.level, rating.note, rating.rated_by) == (
            MARKS, 2, "Weigh the daughter's view.", TESS.name
        )
        text = str(debrief.query_one("#debrief-text", Static).content)
        assert "AND THE TRAINER'S RATING" in text and "Trainer's rating: level 2 of 4, below acceptable" in text


async def test_a_case_manager_is_refused_before_any_form(service: Service) -> None:
    attempt = service.training.start_training(SAMPLE)
    app = make_app(service)  # as the case manager who made the attempt
    async with app.run_test(size=SIZE) as pilot:
        debrief = await open_debrief(pilot, attempt)
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is debrief
        assert [n.message for n in notices(app, "error")] == [
            "Only a trainer or a supervisor can rate a training attempt; you are recorded as a case manager."
        ]
        assert service.record(attempt).trainer_rating is None
