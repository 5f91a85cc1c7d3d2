"""The Outcome step (ethicsdesk/tui/steps/outcome.py) at 80x24: on a signed record, whose fields are
frozen with the rest, it offers to record the outcome as an addendum and lists the outcome addenda."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, Input, Select, TextArea

from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.addendum import AddendumScreen
from ethicsdesk.tui.screens.walk import WalkScreen
from ethicsdesk.tui.widgets.reading import ReadingBox
from tests.tui.harness import focused_id, in_walk, make_app, wait_until

SIZE = (80, 24)


async def add_in_window(pilot: Pilot[Any], reason: str, text: str) -> None:
    app = pilot.app
    await wait_until(pilot, lambda: isinstance(app.screen, AddendumScreen), "the addendum window")
    await pilot.pause()
    window = app.screen
    assert window.query_one("#topic", Select).value == "outcome"
    window.query_one("#reason", Input).value = reason
    window.query_one("#text", TextArea).load_text(text)
    window.query_one("#add", Button).press()
    await wait_until(pilot, lambda: isinstance(app.screen, WalkScreen), "back on the walk")


async def test_a_signed_records_outcome_step_offers_the_outcome_addendum_and_lists_them(
    service: Service, signed_id: str
) -> None:
    service.editing.save_cursor(signed_id, "outcome", "")
    app = make_app(service, Start(record_id=signed_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        assert walk.current == "outcome"
        listed = walk.query_one("#outcome-addenda", ReadingBox)
        button = walk.query_one("#add-outcome", Button)
        assert focused_id(pilot) == "add-outcome"
        assert button.region.height > 0 and button.region.bottom <= SIZE[1]  # in view when the step opens
        assert "No outcome has been added" in listed.text

        await pilot.press("enter")
        await add_in_window(pilot, "Follow-up visit", "He stayed at home; no harm came of it.")
        await wait_until(pilot, lambda: "He stayed at home" in listed.text, "the first outcome listed")

        await pilot.press("ctrl+a")  # the second, by the key the button names
        await add_in_window(pilot, "Three months on", "The warning was given; the family agreed.")
        await wait_until(pilot, lambda: "The warning was given" in listed.text, "the second outcome listed")
        assert listed.text.index("He stayed at home") < listed.text.index("The warning was given")
        assert "Follow-up visit" in listed.text and "No outcome has been added" not in listed.text

    addenda = service.record(signed_id).addenda
    assert [(a.topic, a.reason) for a in addenda] == [("outcome", "Follow-up visit"), ("outcome", "Three months on")]


async def test_an_unsigned_records_outcome_step_has_its_fields_and_no_addendum(
    service: Service, situated_id: str
) -> None:
    service.editing.save_cursor(situated_id, "outcome", "")
    app = make_app(service, Start(record_id=situated_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        assert walk.current == "outcome"
        assert focused_id(pilot) == "f-outcome"
        assert not walk.query_one("#signed-outcome").display
