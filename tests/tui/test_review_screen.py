"""The supervisor's review screen (tui/screens/review.py) at 80x24: the record as `show` prints it,
with the checks and what is missing, and a question before signing over an incomplete justification."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import Static

from ethicsdesk.domain.checks import JUSTIFICATION_CONDITIONS
from ethicsdesk.service import Service
from ethicsdesk.settings import User
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.confirm import ConfirmScreen
from ethicsdesk.tui.screens.review import ReviewScreen
from tests.tui.harness import make_app, wait_until

DANA = User("Dana Okafor", "supervisor")
SIZE = (80, 24)


@pytest.fixture
def as_dana(db_url: str) -> Iterator[Service]:
    svc = Service.open(db_url, DANA)
    yield svc
    svc.close()


async def test_signing_over_unanswered_justification_asks_first_and_says_what_is_missing(
    service: Service, as_dana: Service, open_id: str
) -> None:
    service.editing.request_consultation(open_id, DANA.name, "Is warning him defensible?")
    as_dana.review.answer_consultation(open_id, "concur", "Agreed.", "")
    app = make_app(as_dana, Start(review=open_id), user=DANA)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.is_mounted, "review")
        review = app.screen
        await pilot.pause()
        body = str(review.query_one("#record-body", Static).render())
        for part in ("CHECKS", "Publicity:", "Sure:", "WHAT IS STILL MISSING", "justification is incomplete"):
            assert part in body, part
        # the record pane has most of the screen (it had 5 rows)
        assert review.query_one("#record-text").region.height >= 12

        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "a question before signing")
        assert isinstance(app.screen, ConfirmScreen)
        question = app.screen.question
        state = service.record(open_id)
        unjustified = [  # the fixture's extra compromise, which has no answers
            service.framework_of(state).name_of(p)
            for p in service.framework_of(state).ids
            if state.scores.get((state.decision["chosen"], p), 0) < 0
            and not any(k.startswith(f"justify:{p}:") and v for k, v in state.answers.items())
        ]
        assert unjustified and all(name in question for name in unjustified)
        assert JUSTIFICATION_CONDITIONS[0].title.lower() in question
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is review, "back in the review")
    assert not service.record(open_id).frozen


async def test_signing_over_a_failed_liking_test_or_decisional_conflict_asks_first(
    service: Service, as_dana: Service
) -> None:
    """The case manager answered "yes" to the liking test and "no" to a decisional-conflict item:
    the supervisor is told both before a signature freezes the record, and "n" signs nothing."""
    from ethicsdesk.domain.checks import ACTION_TESTS, SURE_ITEMS, action_test_key, sure_key

    rid = service.editing.create_record("Liked more than most", case_code="C-8")
    keep = service.editing.add_option(rid, "Keep the confidence")
    service.editing.add_option(rid, "Tell the family")
    service.editing.decide(rid, "chosen", keep)
    service.editing.decide(rid, "rationale", "He has capacity and asked us not to.")
    service.editing.answer(rid, action_test_key("liking"), "yes")
    service.editing.answer(rid, sure_key("supported"), "no")
    liking = next(t for t in ACTION_TESTS if t.id == "liking")
    supported = next(i for i in SURE_ITEMS if i.id == "supported")
    app = make_app(as_dana, Start(review=rid), user=DANA)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.is_mounted, "review")
        review = app.screen
        await pilot.pause()
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "a question before signing")
        assert isinstance(app.screen, ConfirmScreen)
        question = app.screen.question
        assert liking.question in question and "liking test was answered yes" in question
        assert supported.question in question and "Decisional conflict" in question
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is review, "back in the review")
    assert not service.record(rid).frozen


def within(inner: object, outer: object) -> bool:
    from textual.geometry import Region

    assert isinstance(inner, Region) and isinstance(outer, Region)
    return inner.intersection(outer) == inner


async def test_the_question_stays_in_view_while_the_notes_are_written(
    service: Service, as_dana: Service, open_id: str
) -> None:
    """Tab to the notes used to scroll the question out of the form at 80x24; it now sits above the
    form, wrapped, and stays whole in view whichever field has the focus."""
    question = "Is warning him defensible when he has not said when he would act, and who must be told first?"
    service.editing.request_consultation(open_id, DANA.name, question)
    app = make_app(as_dana, Start(review=open_id), user=DANA)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.is_mounted, "review")
        review = app.screen
        asked = review.query_one("#review-state", Static)
        await wait_until(pilot, lambda: "who must be told first?" in str(asked.render()), "the question shown")
        notes = review.query_one("#notes")
        for _ in range(6):
            if app.focused is notes:
                break
            await pilot.press("tab")
        assert app.focused is notes
        await pilot.pause()
        screen_region = review.region
        assert within(notes.region, screen_region)
        assert asked.region.height >= 2  # wrapped, not cut at the edge
        region = asked.content_region
        for y in (region.y, region.bottom - 1):  # its first and last lines are what the screen shows there
            assert review.get_widget_at(region.x, y)[0] is asked
        shown = " ".join(str(asked.render()).split())
        assert question in shown
