"""A training attempt is given the sample's facts, not the trainee's reading of them: on the locked
Situation step the danger question and the kind of problem stay open, are answered by keys, saved on
the attempt and changed a second time, while the given facts still take no typing."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import SelectionList, Static

from ethicsdesk.knowledge.dilemma_files import find_sample
from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.widgets.fields import FieldSelect, FieldText
from tests.tui.harness import in_walk, make_app, wait_until
from tests.tui.test_walk_method import choose, settle

SIZE = (80, 24)
SAMPLE = "threat-to-third-party"


async def test_a_trainee_answers_the_danger_question_and_the_kind_of_problem_on_the_given_situation(
    service: Service,
) -> None:
    sample = find_sample(SAMPLE).data
    app = make_app(service, Start(train=SAMPLE))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        assert walk.training and walk.current == "situation"
        rid = walk.record_id
        facts = walk.query_one("#f-text-facts", FieldText)
        assert facts.read_only  # the sample's facts stay as given
        danger = walk.query_one("#f-immediate_danger", FieldSelect)
        assert not danger.disabled
        await choose(pilot, danger, "Yes")
        await wait_until(pilot, lambda: "imminent-risk" in service.record(rid).obligations, "the floor ticked")
        await settle(pilot, walk)
        assert walk.query_one("#danger-steps", Static).display
        await choose(pilot, danger, "Not sure")  # the second answer is saved too, not the first kept
        await wait_until(
            pilot, lambda: service.record(rid).text.get("immediate_danger") == "unsure", "the second answer saved"
        )
        kinds = walk.query_one("#problem-kinds", SelectionList)
        assert not kinds.disabled
        kinds.focus()
        await pilot.pause()
        await pilot.press("space", "down", "space")  # ethical, legal
        await settle(pilot, walk)
        assert service.record(rid).text["problem_kinds"] == "ethical,legal"
        facts.focus()
        await pilot.press(*"typed over the facts")
        await settle(pilot, walk)
        # the opening is for the trainee's own judgement, never through a read-only view
        assert walk.view is not None
        assert not replace(walk.view, read_only=True).field_editable("situation", "text:immediate_danger")
        assert not walk.view.field_editable("situation", "text:facts")
    state = service.record(rid)
    assert state.kind == "training" and state.text["facts"] == sample.facts
    assert [e.text for e in service.history(rid) if e.text.startswith("set immediate danger")] == [
        "set immediate danger: 'yes'",
        "set immediate danger: 'unsure'",
    ]

