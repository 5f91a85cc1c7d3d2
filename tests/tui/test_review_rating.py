"""The supervisor rates the rationale in the review screen (tui/screens/review_rating.py), driven
with Pilot at 80x24: two sign-off requests in a row, each rated differently with its answer, each
rating staying with its own request (nothing of the first is left in the form for the second, and
the record after the first answer still holds the first rating); a rating set only in part is
refused in a sentence and nothing is sent; advice asked mid-walk shows no rating."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, RadioSet, Static, TextArea

from ethicsdesk.service import Service
from ethicsdesk.settings import User
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.review import ReviewScreen
from ethicsdesk.tui.screens.review_rating import RatingForm
from ethicsdesk.tui.widgets.marked_toggles import MarkedRadioButton
from tests.tui.harness import make_app, notices, type_into, wait_until

DANA = User("Dana Okafor", "supervisor")
SIZE = (80, 24)
DOMAINS = ("question", "information", "analysis", "conclusions")


@pytest.fixture
def as_dana(db_url: str) -> Iterator[Service]:
    svc = Service.open(db_url, DANA)
    yield svc
    svc.close()


def decided(service: Service) -> str:
    rid = service.editing.create_record("Rated twice", case_code="C-11")
    home = service.editing.add_option(rid, "Home with support")
    service.editing.add_option(rid, "Stay in care")
    service.editing.decide(rid, "chosen", home)
    service.editing.decide(rid, "rationale", "She has capacity and wants to go home.")
    return rid


async def press(pilot: Pilot[Any], review: ReviewScreen, radios_id: str, name: str) -> None:
    """Press the named button of a radio set as Enter or Space does on it."""
    radios = review.query_one(f"#{radios_id}", RadioSet)
    button = next(b for b in radios.query(MarkedRadioButton) if b.name == name)
    button.action_toggle_button()
    await wait_until(pilot, lambda: radios.pressed_button is button, f"{name!r} pressed in {radios_id}")


async def rate_and_answer(
    pilot: Pilot[Any], review: ReviewScreen, marks: dict[str, str], level: int, verdict: str, notes: str
) -> None:
    for domain, mark in marks.items():
        await press(pilot, review, f"rate-{domain}", mark)
    await press(pilot, review, "rate-level", str(level))
    await press(pilot, review, "outcome", verdict)
    await type_into(pilot, review.query_one("#notes", TextArea), notes)
    review.query_one("#send").focus()
    await pilot.press("ctrl+s")


async def test_two_requests_in_a_row_each_keep_their_own_rating(service: Service, as_dana: Service) -> None:
    rid = decided(service)
    service.editing.request_consultation(rid, DANA.name, "Is going home justified?")
    first = {"question": "met", "information": "partly", "analysis": "not-met", "conclusions": "partly"}
    app = make_app(as_dana, Start(review=rid), user=DANA)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.is_mounted, "review")
        review = app.screen
        assert isinstance(review, ReviewScreen)
        form = review.query_one("#rating", RatingForm)
        await wait_until(pilot, lambda: form.display, "the rating shown for the sign-off request")
        assert form.chosen() is None  # nothing rated: nothing sent but the answer

        # set only in part: refused in a sentence, nothing logged
        await press(pilot, review, "rate-analysis", "partly")
        await press(pilot, review, "outcome", "concur")
        await type_into(pilot, review.query_one("#notes", TextArea), "Holds.")
        count = service.record(rid).events
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: any("too, or set the rating back" in n.message for n in notices(app)), "why")
        assert service.record(rid).events == count
        await press(pilot, review, "rate-analysis", "")
        review.query_one("#notes", TextArea).load_text("")

        await rate_and_answer(pilot, review, first, 2, "do-not-concur", "Weigh the daughter's view.")
        await pilot.pause()
        await wait_until(pilot, lambda: _sign_off_state(service, rid) == "answered", "first answered")
        after_first = service.record(rid).events

        # the case manager asks again; the screen shows the new request on an empty form
        service.editing.request_consultation(rid, DANA.name, "Rewritten with the daughter's view: justified now?")
        review.reload()
        await pilot.pause()
        state_line = review.query_one("#review-state", Static)
        await wait_until(pilot, lambda: "Rewritten" in str(state_line.render()), "the second request")
        assert form.display and form.chosen() is None
        assert review.query_one("#rate-note", Input).value == ""
        await rate_and_answer(pilot, review, dict.fromkeys(DOMAINS, "met"), 4, "concur", "Now it holds.")
        await wait_until(pilot, lambda: _sign_off_state(service, rid) == "answered", "second answered")

    rated = [e for e in service.integrity.event_payloads(rid) if e["type"] == "consultation.rated"]
    payloads = [e["payload"] for e in rated]
    assert all(isinstance(p, dict) for p in payloads)
    assert [(p["level"], p["marks"]) for p in payloads if isinstance(p, dict)] == [
        (2, first),
        (4, dict.fromkeys(DOMAINS, "met")),
    ]
    now = service.record(rid)
    assert now.rating is not None and now.rating.level == 4 and now.consultation is not None
    assert now.consultation.outcome == "concur"
    then = service.integrity.replay(rid, after_first)
    assert then.rating is not None and then.rating.level == 2
    assert then.consultation is not None and then.consultation.outcome == "do-not-concur"


async def test_advice_asked_mid_walk_shows_no_rating(service: Service, as_dana: Service) -> None:
    rid = decided(service)
    service.editing.request_consultation(rid, DANA.name, "Is this a duty to warn?", step="obligations")
    app = make_app(as_dana, Start(review=rid), user=DANA)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.is_mounted, "review")
        review = app.screen
        assert isinstance(review, ReviewScreen)
        await wait_until(pilot, lambda: "a verdict is optional" in str(review.query_one("#review-state").render()),
                         "the mid-walk request")
        assert not review.query_one("#rating", RatingForm).display


def _sign_off_state(service: Service, rid: str) -> str | None:
    """The sign-off request's state, or None before one is asked."""
    c = service.record(rid).consultation
    return None if c is None else c.state
