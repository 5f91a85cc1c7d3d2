"""The method's questions in the walk, at 80x24: "Is anyone in immediate danger?" first on the
Situation step (a yes ticks the safety floor and shows its steps, emergency services first), the kind
of problem and whether it is a true dilemma, moral distress on Outcome, and the next steps where the
one consulted did not concur. Each is driven by keys, saved, shown again after leaving the step and
after the app is restarted on the same database, and printed by `ethicsdesk show`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Select, SelectionList, Static

from ethicsdesk.service import Service
from ethicsdesk.settings import User
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.walk import WalkScreen
from ethicsdesk.tui.widgets.caption import Caption
from ethicsdesk.tui.widgets.fields import FieldSelect, FieldText, field_value
from tests.conftest import CASE_MANAGER
from tests.tui.harness import autosaved, in_walk, make_app, notices, type_text, wait_until

SIZE = (80, 24)
ETHICSDESK = Path(sys.executable).parent / "ethicsdesk"
DANA = User("Dana Okafor", "supervisor")


async def choose(pilot: Pilot[Any], select: Select[str], label_start: str) -> None:
    """Open the list with enter and move to the option whose label starts so, as a person does."""
    select.focus()
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    labels = [str(label) for label, _value in select._options]
    values = [value for _label, value in select._options]
    steps = next(i for i, label in enumerate(labels) if label.startswith(label_start)) - values.index(select.value)
    await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps))
    await pilot.press("enter")
    await pilot.pause()


async def settle(pilot: Pilot[Any], walk: WalkScreen) -> None:
    """Until the autosave's pause is over and its writes have landed (a fixed wait was a guess at a
    loaded machine's timers), with nothing refused."""
    await autosaved(pilot, walk)
    assert notices(pilot.app, "error") == []


def show(rid: str, url: str) -> str:
    env = {**os.environ, "ETHICSDESK_DB": url, "COLUMNS": "100"}
    done = subprocess.run([ETHICSDESK, "show", rid], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    return " ".join(done.stdout.split())


def restarted(db_url: str) -> Service:
    fresh = Service.open(db_url, CASE_MANAGER)
    assert isinstance(fresh, Service)
    return fresh


async def test_a_yes_to_immediate_danger_ticks_the_safety_floor_and_shows_its_steps_first(
    service: Service, situated_id: str
) -> None:
    rid = situated_id
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        pane = walk.query_one("#pane-situation")
        fields = list(pane.query("FieldInput, FieldText, FieldSelect").results())
        assert fields[0].id == "f-immediate_danger"  # asked before anything else of the situation
        danger = walk.query_one("#f-immediate_danger", FieldSelect)
        await choose(pilot, danger, "Yes")
        await wait_until(pilot, lambda: "imminent-risk" in service.record(rid).obligations, "the floor ticked")
        await settle(pilot, walk)
        banner = walk.query_one("#danger-steps", Static)
        assert banner.display
        text = str(banner.render())
        # the floor's own steps, emergency services first, then the client's own life
        assert text.index("call emergency services") < text.index("confirm where they are")
        assert "hand over directly" in " ".join(text.split())
        assert banner.region.y < walk.query_one("#f-title").region.y or not walk.query_one("#f-title").region
        walk.go_to("obligations")
        await pilot.pause()
        ticked = walk.query_one("#obligation-list", SelectionList).selected
        assert "imminent-risk" in ticked
        assert "Imminent risk of harm requires:" in str(walk.query_one("#floor-text", Static).render())
    history = [e.text for e in service.history(rid)]
    assert history[-2:] == ["set immediate danger: 'yes'", "ticked obligation imminent-risk"]


async def test_the_danger_answer_changed_twice_keeps_both_and_survives_a_restart(
    service: Service, db_url: str, situated_id: str
) -> None:
    rid = situated_id
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        danger = walk.query_one("#f-immediate_danger", FieldSelect)
        await choose(pilot, danger, "No")
        await settle(pilot, walk)
        walk.go_to("options")  # leave the step and come back
        await pilot.pause()
        walk.go_to("situation")
        await pilot.pause()
        assert field_value(danger) == "no"
        assert not walk.query_one("#danger-steps", Static).display
        await choose(pilot, danger, "Not sure")
        await settle(pilot, walk)
    set_danger = [e.text for e in service.history(rid) if e.text.startswith("set immediate danger")]
    assert set_danger == ["set immediate danger: 'no'", "set immediate danger: 'unsure'"]
    assert "imminent-risk" in service.record(rid).obligations  # not sure counts as yes until known
    service.close()
    fresh = restarted(db_url)
    app = make_app(fresh, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        assert field_value(walk.query_one("#f-immediate_danger", FieldSelect)) == "unsure"
        assert walk.query_one("#danger-steps", Static).display
    fresh.close()
    shown = show(rid, db_url)
    assert "Is anyone in immediate danger? Not sure yet (treat as yes until you know)" in shown
    assert "1. If life is in danger now, call emergency services" in shown


async def test_the_kind_of_problem_and_right_against_wrong_are_chosen_saved_and_shown(
    service: Service, db_url: str, situated_id: str
) -> None:
    rid = situated_id
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        kinds = walk.query_one("#problem-kinds", SelectionList)
        kinds.focus()
        await pilot.pause()
        await pilot.press("space", "down", "space")  # ethical, legal
        await settle(pilot, walk)
        assert service.record(rid).text["problem_kinds"] == "ethical,legal"
        await pilot.press("space")  # legal again: unticked
        await settle(pilot, walk)
        assert service.record(rid).text["problem_kinds"] == "ethical"
        kind = walk.query_one("#f-dilemma_type", FieldSelect)
        await choose(pilot, kind, "Right against wrong")
        await settle(pilot, walk)
        note = walk.query_one("#right-vs-wrong", Static)
        assert note.display and "do the right thing" in str(note.render())
        walk.go_to("weigh")
        await pilot.pause()
        walk.go_to("situation")
        await pilot.pause()
        assert set(kinds.selected) == {"ethical"} and field_value(kind) == "right-vs-wrong"
    service.close()
    fresh = restarted(db_url)
    app = make_app(fresh, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        assert set(walk.query_one("#problem-kinds", SelectionList).selected) == {"ethical"}
        assert field_value(walk.query_one("#f-dilemma_type", FieldSelect)) == "right-vs-wrong"
    fresh.close()
    shown = show(rid, db_url)
    assert "Kind of problem: - Ethical: what is right" in shown
    assert "Dilemma or not: Right against wrong" in shown and "do the right thing" in shown


async def test_moral_distress_is_typed_on_outcome_saved_and_shown(
    service: Service, db_url: str, weighed_id: str
) -> None:
    rid = weighed_id
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        walk.go_to("outcome")
        await pilot.pause()
        box = walk.query_one("#f-moral_distress", FieldText)
        hint = " ".join(c.hint for c in walk.query_one("#pane-outcome").query(Caption).results())
        assert "NACM 14" in hint
        box.focus()
        await pilot.pause()
        await type_text(pilot, "Sleepless; booked supervision")
        await settle(pilot, walk)
        walk.go_to("consult")
        await pilot.pause()
        walk.go_to("outcome")
        await pilot.pause()
        assert field_value(box) == "Sleepless; booked supervision"
    assert service.record(rid).text["moral_distress"] == "Sleepless; booked supervision"
    service.close()
    fresh = restarted(db_url)
    app = make_app(fresh, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        assert field_value(walk.query_one("#f-moral_distress", FieldText)) == "Sleepless; booked supervision"
    fresh.close()
    shown = show(rid, db_url)
    assert shown.index("MORAL DISTRESS AND SELF-CARE") < shown.index("Sleepless; booked supervision")


async def test_a_supervisor_who_does_not_concur_brings_the_next_steps_to_consult_and_outcome(
    service: Service, db_url: str, weighed_id: str
) -> None:
    rid = weighed_id
    service.editing.decide(rid, "chosen", service.record(rid).options[1].key)
    service.editing.request_consultation(rid, DANA.name, "Is a return home defensible?")
    supervisor = Service.open(db_url, DANA)
    assert isinstance(supervisor, Service)
    supervisor.review.answer_consultation(rid, "do-not-concur", "The risk at night is not addressed.")
    supervisor.close()
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        for step in ("consult", "outcome"):
            walk.go_to(step)
            await pilot.pause()
            box = walk.query_one(f"#pane-{step} #non-concurrence", Static)
            text = " ".join(str(box.render()).split())
            assert box.display and "Dana Okafor did not" in text, step
            assert "ethics committee" in text and "Document the disagreement" in text, step
    shown = show(rid, db_url)
    assert "When the one consulted does not concur (Dana Okafor (supervisor) did not)" in shown


async def test_no_next_steps_show_where_the_supervisor_concurs(service: Service, db_url: str, weighed_id: str) -> None:
    rid = weighed_id
    service.editing.decide(rid, "chosen", service.record(rid).options[1].key)
    service.editing.request_consultation(rid, DANA.name, "Is a return home defensible?")
    supervisor = Service.open(db_url, DANA)
    assert isinstance(supervisor, Service)
    supervisor.review.answer_consultation(rid, "concur", "Sound.")
    supervisor.close()
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        walk.go_to("consult")
        await pilot.pause()
        assert not walk.query_one("#pane-consult #non-concurrence", Static).display
