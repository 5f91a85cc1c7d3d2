"""The Consult step (tui/steps/consult.py), driven with Pilot at 80x24: whom the case manager asks and
what, kept as typed like every other field (across a restart of the app); and "What you are asking",
which follows the ethics question until the user types in it."""

from __future__ import annotations

from textual.widgets import Input, RadioSet, TextArea

from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.walk import WalkScreen
from ethicsdesk.tui.widgets.marked_toggles import MarkedRadioButton, pressed_name
from tests.tui.harness import focused_id, in_walk, make_app, type_into, wait_until

SIZE = (80, 24)


def form(walk: WalkScreen) -> tuple[str, str, str]:
    """(kind, name, question) as the Consult step shows them."""
    pane = walk.query_one("#pane-consult")
    return (
        pressed_name(pane.query_one("#consult-kind", RadioSet), ""),
        pane.query_one("#consult-supervisor", Input).value,
        pane.query_one("#consult-question", TextArea).text,
    )


async def test_whom_and_what_are_kept_across_a_restart(service: Service, weighed_id: str) -> None:
    rid = weighed_id
    question = service.record(rid).text["question"]
    service.editing.save_cursor(rid, "consult", "")
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        assert walk.current == "consult" and focused_id(pilot) == "consult-supervisor"
        assert form(walk) == ("supervisor", "", question)
        pane = walk.query_one("#pane-consult")
        committee = next(b for b in pane.query(MarkedRadioButton) if b.name == "committee")
        committee.action_toggle_button()  # as Enter or Space on it
        await wait_until(pilot, lambda: form(walk)[0] == "committee", "the committee chosen")
        await type_into(pilot, pane.query_one("#consult-supervisor", Input), "Northside ethics committee")
        # after the question it was given
        await type_into(pilot, pane.query_one("#consult-question", TextArea), " Before Friday?")
        await pilot.press("ctrl+q")
    text = service.record(rid).text
    assert (text["request_kind"], text["request_name"], text["request_question"]) == (
        "committee",
        "Northside ethics committee",
        question + " Before Friday?",
    )
    assert service.record(rid).consultation is None  # kept as typed, not asked

    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        assert walk.current == "consult"
        assert form(walk) == ("committee", "Northside ethics committee", question + " Before Friday?")
    assert service.integrity.verify(rid) == (1, [])


async def test_what_you_are_asking_follows_the_ethics_question_until_typed_in(
    service: Service, weighed_id: str
) -> None:
    rid = weighed_id
    first = service.record(rid).text["question"]
    second = "Given his capacity and his daughter's worry, is it justifiable to support the return home?"
    third = "Given all that, is it justifiable to arrange the care home against his wish?"
    service.editing.save_cursor(rid, "consult", "")
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        box = walk.query_one("#consult-question", TextArea)
        assert box.text == first

        async def rewrite_the_ethics_question(text: str) -> None:
            await walk.go_to("situation", focus="f-question")
            await pilot.pause()
            walk.query_one("#f-question", TextArea).load_text(text)
            await walk.go_to("consult")  # saves what was typed; the Consult step is drawn again
            await walk.settled()
            await wait_until(pilot, lambda: service.record(rid).text["question"] == text, "the question saved")
            await pilot.pause()

        await rewrite_the_ethics_question(second)
        await wait_until(pilot, lambda: box.text == second, "the box following the ethics question")
        assert "request_question" not in service.record(rid).text  # shown, not typed: nothing kept

        await type_into(pilot, box, " Soon?")
        await rewrite_the_ethics_question(third)
        assert box.text == second + " Soon?"  # typed in: the box is the user's now
    assert service.record(rid).text["request_question"] == second + " Soon?"
