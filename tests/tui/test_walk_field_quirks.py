"""Fields of the walk at 80x24 that misbehaved (issue 12): the consultation question box has room
and typing goes after its pre-filled text; the follow-up date is read as a date or refused aloud."""

from __future__ import annotations

from textual.widgets import TextArea

from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start
from tests.tui.harness import focused_id, in_walk, make_app, notices, type_text, wait_until

SIZE = (80, 24)


async def test_the_consult_question_has_room_and_typing_follows_the_prefilled_question(
    service: Service, weighed_id: str
) -> None:
    question = service.record(weighed_id).text["question"]
    service.save_cursor(weighed_id, "consult", "consult-question")
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        box = walk.query_one("#consult-question", TextArea)
        assert focused_id(pilot) == "consult-question"
        assert box.content_region.height >= 3  # it was 0 rows tall
        await type_text(pilot, " And is a week of respite enough?")
        assert box.text == question + " And is a week of respite enough?"


async def test_a_follow_up_date_is_read_or_refused_with_a_sentence(service: Service, weighed_id: str) -> None:
    service.save_cursor(weighed_id, "decide", "f-follow_up")
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
    rid = service.create_record("Keeps a fall from her daughter")
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        service.set_text(rid, "question", "Given her capacity, is it justifiable to keep it from her?")
        walk.refresh_view()
        walk.go_to("consult", focus="consult-question")
        await wait_until(pilot, lambda: focused_id(pilot) == "consult-question", "the question box focused")
        await type_text(pilot, " Her GP too?")
        box = walk.query_one("#consult-question", TextArea)
        assert box.text == "Given her capacity, is it justifiable to keep it from her? Her GP too?"
