"""A whole training attempt at 80x24, from `ethicsdesk train SAMPLE` to the debrief: the facts
and options are given and cannot be changed, the trainee ticks obligations, weighs every cell and
chooses, then ctrl+d compares the attempt with the reference. The attempt never shows among the
case records."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from ethicsdesk.knowledge.dilemma_files import find_sample
from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.debrief import DebriefScreen
from ethicsdesk.tui.screens.home import HomeScreen
from ethicsdesk.tui.screens.walk import WalkScreen
from tests.tui.harness import focused_id, in_walk, make_app, notices, wait_until

SIZE = (80, 24)
SAMPLE = "discharge-against-advice"
DIGIT = {-2: "1", -1: "2", 0: "3", 1: "4", 2: "5"}  # the matrix's score keys
OFF_CELL = ("support-return-home", "nonmaleficence")  # scored +1 where the reference says -1


@pytest.mark.slow
async def test_a_training_attempt_from_the_sample_to_its_debrief(
    service: Service, tmp_path: Path, isolated_home: Path
) -> None:
    (isolated_home / "config.toml").write_text(f'export_folder = "{tmp_path}"\n')  # where `e` offers to write
    sample = find_sample(SAMPLE).data
    assert sample.reference is not None
    options = [o.key for o in sample.options]
    principles = service.framework().ids
    reference = {(o, p): s for o, row in sample.reference.scores.items() for p, s in row.items()}
    app = make_app(service, Start(train=SAMPLE))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        assert walk.training
        (summary,) = service.list_records(kind="training")
        rid = summary.id
        assert (walk.record_id, summary.sample_id) == (rid, SAMPLE)

        # 1 Situation: given, so typing changes nothing
        assert walk.current == "situation"
        assert focused_id(pilot) == "f-text-facts"
        await pilot.press(*"nonsense")
        assert service.record(rid).text["facts"] == sample.facts
        await pilot.press("ctrl+n")

        # 2 Obligations: tick the third duty of the catalogue (capacity)
        assert walk.current == "obligations"
        await pilot.press("down", "down", "space")
        await pilot.press("ctrl+n")

        # 3 Options: given; adding one is refused
        assert walk.current == "options"
        await pilot.press("a")
        await pilot.pause()
        assert "The options are given in training." in [n.message for n in notices(app, "warning")]
        assert [o.key for o in service.record(rid).options] == options
        await pilot.press("ctrl+n")

        # 4 Weigh: every cell as the reference scores it, but one; snaking across the option columns
        assert walk.current == "weigh"
        keys: list[str] = []
        for row, p in enumerate(principles):
            order = options if row % 2 == 0 else options[::-1]
            for i, o in enumerate(order):
                keys.append(DIGIT[1 if (o, p) == OFF_CELL else reference[(o, p)]])
                if i < len(order) - 1:
                    keys.append("right" if row % 2 == 0 else "left")
            if row < len(principles) - 1:
                keys.append("down")
        await pilot.press(*keys)
        await pilot.press("ctrl+n")

        # 5 Decide: the third option, as the reference does
        assert walk.current == "decide"
        assert focused_id(pilot) == "chosen"
        await pilot.press("enter", "down", "down", "down", "enter")
        await wait_until(pilot, lambda: service.record(rid).decision.get("chosen"), "the choice saved")

        state = service.record(rid)
        assert state.obligations == ["capacity"]
        assert state.scores == {**reference, OFF_CELL: 1}
        assert state.decision["chosen"] == "support-return-home"

        # the debrief
        await pilot.press("ctrl+d")
        await wait_until(pilot, lambda: isinstance(app.screen, DebriefScreen), "the debrief open")
        await pilot.pause()
        text = str(app.screen.query_one("#debrief-text", Static).content)
        assert "Overall (scores)    98%   28 of 28 cells scored" in text  # (27 + 0.5) / 28
        assert "opt 3 × Nonmaleficence: you +1, reference -1 (agreement 50%)" in text
        assert "Choice            the same option as the reference" in text
        assert "Two competent assessors found that he has capacity" in text
        await pilot.press("e", "enter")  # the folder offered, taken
        await wait_until(
            pilot,
            lambda: (tmp_path / f"ethicsdesk-debrief-{rid}.md").exists() and isinstance(app.screen, DebriefScreen),
            "the debrief written",
        )

        # back to the walk, then home: the attempt is not among the case records
        await pilot.press("escape")
        assert isinstance(app.screen, WalkScreen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        await pilot.pause()
        assert app.screen.query_one(DataTable).row_count == 0
        assert service.integrity.verify(rid) == (1, [])
