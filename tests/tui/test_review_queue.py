"""The supervisor's queue (tui/screens/review_queue.py) and what each row opens, driven with Pilot at
80x24: a record asked mid-walk (from Obligations) and then for its sign-off is two rows, each opening
its own question on an empty form; the two answers are sent one after the other, each with its own
verdict, notes and conditions, and nothing of the first carries over to the second. The answers are
then read back through the service, `show`'s text, the JSON export and the Markdown report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, RadioSet, Static, TextArea

from ethicsdesk.reporting.plain_text import record_summary
from ethicsdesk.service import Service
from ethicsdesk.service.exporting import export_record
from ethicsdesk.settings import User
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.review import ReviewScreen
from ethicsdesk.tui.screens.review_queue import ReviewQueueScreen
from ethicsdesk.tui.widgets.marked_toggles import MarkedRadioButton, pressed_name
from tests.tui.harness import make_app, type_into, wait_until

DANA = User("Dana Okafor", "supervisor")
SIZE = (80, 24)
MID_WALK_Q = "Does his threat make this a duty to warn here?"
SIGN_OFF_Q = "Is keeping the confidence defensible?"


@pytest.fixture
def as_dana(db_url: str) -> Iterator[Service]:
    svc = Service.open(db_url, DANA)
    yield svc
    svc.close()


@pytest.fixture
def asked_twice(service: Service) -> str:
    """A decided record asked of Dana from Obligations, then for its sign-off from Consult."""
    rid = service.editing.create_record("Asked twice", case_code="C-9")
    keep = service.editing.add_option(rid, "Keep the confidence")
    service.editing.add_option(rid, "Tell the family")
    service.editing.decide(rid, "chosen", keep)
    service.editing.decide(rid, "rationale", "He has capacity and asked us not to.")
    service.editing.request_consultation(rid, DANA.name, MID_WALK_Q, step="obligations")
    service.editing.request_consultation(rid, DANA.name, SIGN_OFF_Q)
    return rid


def form_of(review: ReviewScreen) -> tuple[str, str, str]:
    """(verdict, notes, conditions) as the form holds them; the verdict "" when none is chosen."""
    return (
        pressed_name(review.query_one("#outcome", RadioSet), ""),
        review.query_one("#notes", TextArea).text,
        review.query_one("#conditions", Input).value,
    )


async def choose(pilot: Pilot[Any], review: ReviewScreen, verdict: str) -> None:
    """Press the verdict's radio button ("" is "No verdict") as Enter or Space does on it (a click
    missed it on a loaded machine, while the form was still settling)."""
    button = next(r for r in review.query(MarkedRadioButton) if r.name == verdict)
    button.action_toggle_button()
    outcome = review.query_one("#outcome", RadioSet)
    await wait_until(pilot, lambda: outcome.pressed_button is button, f"the verdict {verdict!r} chosen")


async def test_each_open_request_is_a_row_and_each_answer_starts_from_an_empty_form(
    service: Service, as_dana: Service, asked_twice: str, tmp_path: Path
) -> None:
    rid = asked_twice
    app = make_app(as_dana, Start(review=""), user=DANA)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewQueueScreen), "the queue")
        table = app.screen.query_one(DataTable)
        await wait_until(pilot, lambda: table.row_count == 2, "one row per open request")
        rows = [table.get_row_at(i) for i in range(2)]
        assert [(str(r[4]), str(r[5])) for r in rows] == [
            ("Obligations: input", "Asked twice"),
            ("Consult: sign-off", "Asked twice"),
        ]
        table.move_cursor(row=1)  # the sign-off row opens the sign-off question, whatever else is open
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.is_mounted, "review")
        review = app.screen
        assert isinstance(review, ReviewScreen)
        await pilot.pause()
        state_line = review.query_one("#review-state", Static)
        await wait_until(pilot, lambda: SIGN_OFF_Q in str(state_line.render()), "the sign-off question")
        assert "a verdict is optional" not in str(state_line.render())
        assert form_of(review) == ("", "", "")

        # the sign-off answer: a verdict, notes and conditions
        await choose(pilot, review, "concur-with-changes")
        await type_into(pilot, review.query_one("#notes", TextArea), "Sound, if the family hears it from him.")
        await type_into(pilot, review.query_one("#conditions", Input), "Offer a joint call.")

        def answered() -> bool:
            consultation = service.record(rid).consultation
            return consultation is not None and consultation.state == "answered"

        await pilot.press("ctrl+s")
        await wait_until(pilot, answered, "sign-off answered")
        await pilot.pause()

        # the mid-walk question follows, on an empty form
        await wait_until(pilot, lambda: MID_WALK_Q in str(state_line.render()), "the mid-walk question")
        assert "from Obligations; a verdict is optional" in str(state_line.render())
        assert form_of(review) == ("", "", "")
        # a verdict chosen, then taken back before sending
        await choose(pilot, review, "do-not-concur")
        assert form_of(review)[0] == "do-not-concur"
        await choose(pilot, review, "")
        assert form_of(review)[0] == ""
        await type_into(pilot, review.query_one("#notes", TextArea), "Not yet: no one is at risk today.")
        await type_into(pilot, review.query_one("#conditions", Input), "Ask again if he names her.")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: service.record(rid).step_consultations[0].state == "answered", "answered")
        await pilot.pause()
        assert form_of(review) == ("", "", "")

        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ReviewQueueScreen), "back on the queue")
        await wait_until(pilot, lambda: app.screen.query_one(DataTable).row_count == 0, "nothing left open")

    state = service.record(rid)
    mid, sign_off = state.step_consultations[0], state.consultation
    assert sign_off is not None
    assert (mid.step, mid.outcome, mid.notes, mid.conditions) == (
        "obligations",
        "",
        "Not yet: no one is at risk today.",
        "Ask again if he names her.",
    )
    assert (sign_off.outcome, sign_off.notes, sign_off.conditions) == (
        "concur-with-changes",
        "Sound, if the family hears it from him.",
        "Offer a joint call.",
    )

    # show's text, the JSON export and the report hold each answer with its own verdict and conditions
    shown = " ".join(
        record_summary(state, service.framework_of(state), service.catalogue(), service.head(rid), 200).split()
    )
    assert "Answer (Dana Okafor): Not yet: no one is at risk today. Conditions: Ask again if he names her." in shown
    assert "CONCUR WITH CHANGES" in shown and "Offer a joint call." in shown
    assert "Not requested." not in shown
    export_record(service, rid, "json", tmp_path / "r.json")
    exported = {c["step"]: c for c in json.loads((tmp_path / "r.json").read_text())["consultations"]}
    assert set(exported) == {"obligations", "consult"}
    answers = {step: (c["outcome"], c["notes"], c["conditions"]) for step, c in exported.items()}
    assert answers == {
        "obligations": ("", "Not yet: no one is at risk today.", "Ask again if he names her."),
        "consult": ("concur-with-changes", "Sound, if the family hears it from him.", "Offer a joint call."),
    }
    export_record(service, rid, "md", tmp_path / "r.md")
    report = " ".join((tmp_path / "r.md").read_text().split())
    for text in ("Not yet: no one is at risk today.", "Ask again if he names her.", "Offer a joint call."):
        assert text in report, text
