"""The Consult step's self-check (tui/steps/consult.py) on the four domains a supervisor rates,
driven with Pilot at 80x24: filled from what the record holds, each domain naming the step to mend,
and each flipping to done as the record fills (domain/quality.py's self_check, tested unit by unit in
tests/domain/test_quality.py). A hint: nothing in it stops a request."""

from __future__ import annotations

from textual.widgets import Static

from ethicsdesk.domain.record import SIGN_OFF_STEP
from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.walk import WalkScreen
from tests.tui.harness import in_walk, make_app, wait_until

SIZE = (80, 24)


def self_check_lines(walk: WalkScreen) -> list[str]:
    return str(walk.query_one("#pane-consult").query_one("#consult-self-check", Static).render()).splitlines()


def line_of(lines: list[str], domain: str) -> str:
    return next(line for line in lines if domain in line)


async def opened_at_consult(service: Service, rid: str) -> list[str]:
    service.editing.save_cursor(rid, SIGN_OFF_STEP, "")
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        assert walk.current == "consult"
        await wait_until(pilot, lambda: "Self-check" in "".join(self_check_lines(walk)), "the self-check")
        return self_check_lines(walk)


async def test_each_domain_names_its_step_and_flips_as_the_record_fills(service: Service, weighed_id: str) -> None:
    rid = weighed_id
    state = service.record(rid)
    assert state.text.get("question")  # the fixture states the ethics question
    before = await opened_at_consult(service, rid)
    assert line_of(before, "The ethics question").startswith("Done")
    assert line_of(before, "Ethical analysis").startswith("Partly")  # weighed; nothing chosen
    conclusions = line_of(before, "Conclusions")
    assert conclusions.startswith("Not yet") and conclusions.endswith("(Decide)")

    chosen = state.options[1].key
    service.editing.decide(rid, "chosen", chosen)
    service.editing.decide(rid, "rationale", "Her wish, with the supports in place.")
    service.editing.set_text(rid, "plan_actions", "Robin books the home visits by Friday.")
    after = await opened_at_consult(service, rid)
    assert line_of(after, "Conclusions").startswith("Done")
    assert line_of(after, "Ethical analysis").startswith("Done")  # the choice compromises nothing
