"""The window ctrl+o opens to ask for consultation from any step (tui/screens/consult_request.py),
driven with Pilot at 80x24: what is typed in it is kept like every other field, across a restart of
the app with the window still open; asking sends it and empties the window for the next request."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, Input, RadioSet, TextArea

from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.consult_request import ConsultRequestScreen
from ethicsdesk.tui.screens.walk import WalkScreen
from ethicsdesk.tui.widgets.marked_toggles import MarkedRadioButton, pressed_name
from tests.tui.harness import in_walk, make_app, type_into, wait_until

SIZE = (80, 24)
ASKED = "May we involve his daughter before he is told?"


async def open_window(pilot: Pilot[Any]) -> ConsultRequestScreen:
    await pilot.press("ctrl+o")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ConsultRequestScreen), "the request window")
    await pilot.pause()
    window = pilot.app.screen
    assert isinstance(window, ConsultRequestScreen)
    return window


def window_form(window: ConsultRequestScreen) -> tuple[str, str, str]:
    return (
        pressed_name(window.query_one("#request-kind", RadioSet), ""),
        window.query_one("#request-name", Input).value,
        window.query_one("#request-question", TextArea).text,
    )


async def test_the_window_keeps_what_was_typed_across_a_restart_and_empties_once_asked(
    service: Service, weighed_id: str
) -> None:
    rid = weighed_id
    ethics_question = service.record(rid).text["question"]
    service.editing.save_cursor(rid, "options", "")
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        await in_walk(pilot)
        window = await open_window(pilot)
        assert window_form(window) == ("supervisor", "", ethics_question)
        next(b for b in window.query(MarkedRadioButton) if b.name == "committee").action_toggle_button()
        await wait_until(pilot, lambda: window_form(window)[0] == "committee", "the committee chosen")
        await type_into(pilot, window.query_one("#request-name", Input), "Northside ethics committee")
        window.query_one("#request-question", TextArea).load_text(ASKED)
        await pilot.press("ctrl+q")  # the window still open
    text = service.record(rid).text
    kept = (text["ask_kind"], text["ask_name"], text["ask_question"])
    assert kept == ("committee", "Northside ethics committee", ASKED)
    assert service.record(rid).step_consultations == []

    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        window = await open_window(pilot)
        assert window_form(window) == ("committee", "Northside ethics committee", ASKED)
        window.query_one("#request-ask", Button).press()
        await wait_until(pilot, lambda: isinstance(app.screen, WalkScreen), "back on the walk")
        await wait_until(pilot, lambda: service.record(rid).step_consultations, "the request saved")
        await walk.settled()
        asked = service.record(rid).step_consultations[0]
        assert (asked.kind, asked.supervisor, asked.question, asked.step) == (
            "committee",
            "Northside ethics committee",
            ASKED,
            "options",
        )
        await wait_until(pilot, lambda: not any(k.startswith("ask_") for k in service.record(rid).text), "emptied")
        window = await open_window(pilot)  # the next request starts afresh
        assert window_form(window) == ("supervisor", "", ethics_question)
    assert service.integrity.verify(rid) == (1, [])
