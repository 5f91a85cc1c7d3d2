"""The client's part in the walk, at 80x24: the case manager's own values and the medical or service facts on
the Situation step; who decides, the client's part and how the client is told on the Decide step; the
liking test among the tests of the action. Each is typed or chosen as a person would (keys), saved,
and shown again when the record is reopened.

The fields are found in the widget tree by the part of the record they save (`save_key`), so a field
that is renamed or moved to another step is still found, and one that is dropped fails the test."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Select

from ethicsdesk.domain.checks import action_test_key
from ethicsdesk.domain.walk import STEPS, StepId
from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.walk import WalkScreen
from ethicsdesk.tui.steps.base import StepPane
from ethicsdesk.tui.widgets.fields import FieldSelect, FieldText, field_value
from tests.tui.harness import autosaved, in_walk, make_app, notices, type_text, wait_until

SIZE = (80, 24)
NEW_TEXT = {"text:own_values", "text:medical_facts", "text:client_informed"}
NEW_CHOICES = {"text:decision_maker", "text:client_involved"}


async def field(walk: WalkScreen, key: str) -> tuple[StepId, Any]:
    """(the step whose pane holds it, the widget) of the field that saves `key`; a step not shown yet
    is not composed, so the steps are shown in turn until one holds it."""
    for step in (None, *STEPS):
        if step is not None:
            await walk.go_to(step)
        for pane in walk.query(StepPane).results():
            for widget in pane.query("FieldText, FieldInput, FieldSelect").results():
                if getattr(widget, "save_key", None) == key:
                    return pane.step, widget
    raise AssertionError(f"no field of the walk saves {key}")


async def choose(pilot: Pilot[Any], select: Select[str], label_start: str) -> None:
    """Open the list with enter and move down to the option whose label starts so, as a person does."""
    select.focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    labels = [str(label) for label, _value in select._options]
    target = next(i for i, label in enumerate(labels) if label.startswith(label_start))
    values = [value for _label, value in select._options]
    current = values.index(select.value)  # the blank entry is the first: "— not answered"
    for _ in range(target - current):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()


async def test_each_new_field_is_typed_or_chosen_saved_and_shown_again(service: Service, weighed_id: str) -> None:
    rid = weighed_id
    service.editing.decide(rid, "chosen", service.record(rid).options[1].key)
    typed = {key: f"qz{n} words for {key[5:]}" for n, key in enumerate(sorted(NEW_TEXT))}
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        for key, words in typed.items():
            step, widget = await field(walk, key)
            assert isinstance(widget, FieldText)
            await walk.go_to(step)
            await pilot.pause()
            widget.focus()
            await pilot.pause()
            await type_text(pilot, words)
        await walk.go_to("decide")
        await pilot.pause()
        _, maker = await field(walk, "text:decision_maker")
        await choose(pilot, maker, "The team")
        _, involved = await field(walk, "text:client_involved")
        await choose(pilot, involved, "Partly")
        liking = next(s for s in walk.query(Select).results() if s.name == action_test_key("liking"))
        await choose(pilot, liking, "No")
        await autosaved(pilot, walk)
        assert notices(app, "error") == []

    state = service.record(rid)
    for key, words in typed.items():
        assert state.text[key[5:]] == words
    assert (state.text["decision_maker"], state.text["client_involved"]) == ("team", "partly")
    assert state.answers[action_test_key("liking")] == "no"
    assert service.integrity.verify(rid) == (1, [])

    app = make_app(service, Start(record_id=rid))  # reopened, as after a dropped link
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        for key, words in typed.items():
            assert field_value((await field(walk, key))[1]) == words
        assert field_value((await field(walk, "text:decision_maker"))[1]) == "team"
        assert field_value((await field(walk, "text:client_involved"))[1]) == "partly"
        await walk.go_to("decide")
        await pilot.pause()
        liking = next(s for s in walk.query(Select).results() if s.name == action_test_key("liking"))
        assert liking.value == "no"


async def test_a_capable_client_left_out_shows_on_the_decide_step(service: Service, weighed_id: str) -> None:
    rid = weighed_id
    service.editing.decide(rid, "chosen", service.record(rid).options[1].key)
    service.editing.set_text(rid, "decision_maker", "case-manager")
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        await walk.go_to("decide")
        await pilot.pause()
        _, involved = await field(walk, "text:client_involved")
        assert isinstance(involved, FieldSelect)
        await choose(pilot, involved, "No")
        await wait_until(
            pilot,
            lambda: walk.view is not None and any(f.id == "capable-client-left-out" for f in walk.view.findings),
            "the flag in the walk's findings",
        )
        await walk.settled()
        box = str(walk.query_one("#quality").render())
        lacks = walk.view.lacks["decide"] if walk.view is not None else []
        assert "took no part" in box or any("took no part" in t for t in lacks)
    assert service.record(rid).text["client_involved"] == "no"


async def test_the_choices_are_read_only_on_a_read_only_walk(service: Service, weighed_id: str) -> None:
    service.editing.set_text(weighed_id, "decision_maker", "client")
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=SIZE) as pilot:
        await in_walk(pilot)
        # the record as it stood at its last event, as replay shows it: read-only
        app.push_screen(WalkScreen(weighed_id, at_event=service.record(weighed_id).events))
        await wait_until(pilot, lambda: isinstance(app.screen, WalkScreen) and app.screen.at_event, "the replay")
        walk = await in_walk(pilot)
        _, maker = await field(walk, "text:decision_maker")
        assert maker.disabled and field_value(maker) == "client"


async def test_the_review_screen_shows_them_to_the_supervisor(service: Service, db_url: str, weighed_id: str) -> None:
    from ethicsdesk.settings import User
    from ethicsdesk.tui.screens.review import ReviewScreen

    dana = User("Dana Okafor", "supervisor")
    rid = weighed_id
    service.editing.decide(rid, "chosen", service.record(rid).options[1].key)
    for name, value in (
        ("own_values", "qz I am tired of this family."),
        ("medical_facts", "qz Stable diabetes."),
        ("decision_maker", "case-manager"),
        ("client_involved", "no"),
        ("client_informed", "qz Not yet told."),
    ):
        service.editing.set_text(rid, name, value)
    service.editing.request_consultation(rid, dana.name, "Is this defensible?")
    supervisor = Service.open(db_url, dana)
    assert isinstance(supervisor, Service)
    try:
        app = make_app(supervisor, Start(review=rid), user=dana)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.is_mounted, "review")
            await pilot.pause()
            body = " ".join(str(app.screen.query_one("#record-body").render()).split())
    finally:
        supervisor.close()
    for words in (
        "Own values and feelings: qz I am tired",
        "Medical or service facts: qz Stable",
        "Who decides: The case manager",
        "Did the client take part in the decision? No",
        "Whether and how the client is told: qz Not yet told.",
        "Liking:",
        "The client took no part in this decision",
    ):
        assert words in body, words
