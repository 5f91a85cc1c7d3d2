"""Fields of the walk at 80x24 that misbehaved: the consultation question box has room
and typing goes after its pre-filled text; the follow-up date is read as a date or refused aloud."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from ethicsdesk.service import Service
from ethicsdesk.tui import autosave
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.walk import WalkScreen
from ethicsdesk.tui.widgets.fields import FieldNote
from ethicsdesk.tui.widgets.step_head import StepHead
from tests.tui.harness import focused_id, in_walk, make_app, notices, send_keys, type_text, wait_until

SIZE = (80, 24)


async def test_the_consult_question_has_room_and_typing_follows_the_prefilled_question(
    service: Service, weighed_id: str
) -> None:
    question = service.record(weighed_id).text["question"]
    service.editing.save_cursor(weighed_id, "consult", "consult-question")
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        box = walk.query_one("#consult-question", TextArea)
        assert focused_id(pilot) == "consult-question"
        assert box.content_region.height >= 3  # it was 0 rows tall
        await type_text(pilot, " And is a week of respite enough?")
        assert box.text == question + " And is a week of respite enough?"


async def test_a_follow_up_date_is_read_or_refused_with_a_sentence(service: Service, weighed_id: str) -> None:
    service.editing.save_cursor(weighed_id, "decide", "f-follow_up")
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=SIZE) as pilot:
        await in_walk(pilot)
        assert focused_id(pilot) == "f-follow_up"
        await type_text(pilot, "12/15/2026")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: service.record(weighed_id).decision.get("follow_up"), "the date saved")
        assert service.record(weighed_id).decision["follow_up"] == "2026-12-15"
        await pilot.press(*["backspace"] * 10)
        await type_text(pilot, "03/04/2026")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: notices(app, "warning"), "a sentence on how to write it")
        assert "could be 4 March or 3 April; write it as YYYY-MM-DD." in notices(app, "warning")[-1].message
        assert service.record(weighed_id).decision["follow_up"] == "2026-12-15"


async def test_a_question_written_after_opening_is_offered_on_consult(service: Service) -> None:
    rid = service.editing.create_record("Keeps a fall from her daughter")
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        service.editing.set_text(rid, "question", "Given her capacity, is it justifiable to keep it from her?")
        walk.refresh_view()
        await walk.settled()  # the reread has landed, as a move to another step waits for it (_move)
        await walk.go_to("consult", focus="consult-question")
        await wait_until(pilot, lambda: focused_id(pilot) == "consult-question", "the question box focused")
        await type_text(pilot, " Her GP too?")
        box = walk.query_one("#consult-question", TextArea)
        assert box.text == "Given her capacity, is it justifiable to keep it from her? Her GP too?"


def follow_up_note(walk: WalkScreen) -> str:
    """The line under the follow-up date ('' when there is none)."""
    field = walk.query_one("#f-follow_up", Input)
    siblings = list(field.parent.children) if field.parent is not None else []
    after = siblings[siblings.index(field) + 1] if siblings.index(field) + 1 < len(siblings) else None
    return str(after.render()) if isinstance(after, FieldNote) else ""


async def retype(pilot: Pilot[Any], walk: WalkScreen, text: str) -> None:
    """Rub out the follow-up date as typed, type `text`, and save with ctrl+s."""
    field = walk.query_one("#f-follow_up", Input)
    await send_keys(pilot, *["backspace"] * len(field.value))
    await type_text(pilot, text)
    await pilot.press("ctrl+s")
    await walk.settled()
    await pilot.pause()


async def test_a_refused_date_is_marked_in_its_field_until_a_date_is_saved(
    service: Service, weighed_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # each date is saved by ctrl+s once typed whole (retype): on a loaded machine the end of the burst
    # of backspaces could save the empty field first, and the record would hold no date to keep
    monkeypatch.setattr(autosave, "DELAY", 60.0)
    monkeypatch.setattr(autosave, "BURST_END", 60.0)
    service.editing.decide(weighed_id, "follow_up", "2027-01-15")
    service.editing.save_cursor(weighed_id, "decide", "f-follow_up")
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        field = walk.query_one("#f-follow_up", Input)
        assert field.value == "2027-01-15" and follow_up_note(walk) == ""
        await retype(pilot, walk, "2027-02-30")
        await wait_until(pilot, lambda: field.has_class("unsaved"), "the field marked as not saved")
        note = follow_up_note(walk)
        assert "Not saved: '2027-02-30' is not a date on the calendar" in note
        assert "the record keeps 2027-01-15" in note
        assert service.record(weighed_id).decision["follow_up"] == "2027-01-15"
        await pilot.press("tab", "shift+tab")  # leaving the field and coming back does not clear the mark
        assert field.has_class("unsaved") and field.value == "2027-02-30"

        await retype(pilot, walk, "in 14 days")  # a period, as dilemma files take it
        later = (service.today() + timedelta(days=14)).isoformat()
        await wait_until(pilot, lambda: service.record(weighed_id).decision["follow_up"] == later, "the period saved")
        await wait_until(pilot, lambda: not field.has_class("unsaved"), "the mark gone")
        assert follow_up_note(walk) == f"Saved as {later}."

        await retype(pilot, walk, "2020-03-01")  # a day, but past: saved, warned about and listed as missing
        await wait_until(pilot, lambda: field.has_class("warned"), "the past date warned about")
        assert service.record(weighed_id).decision["follow_up"] == "2020-03-01"
        assert "2020-03-01 is in the past" in follow_up_note(walk)
        assert walk.view is not None
        assert any("2020-03-01" in lack for lack in walk.view.lacks["decide"])
        assert "2020-03-01" in walk.query_one("#step-head", StepHead).whole_text  # f2 reads it whole

        await retype(pilot, walk, later)
        await wait_until(pilot, lambda: not field.has_class("warned") and follow_up_note(walk) == "", "all clear")
        assert walk.view is not None and not any("past" in lack for lack in walk.view.lacks["decide"])
