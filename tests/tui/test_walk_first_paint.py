"""`open ID` until its step is first drawn (goal: within 1.5x a bare Textual form, bench/ `open-walk`):
what is imported and composed by then, counted, and the keys typed while the step mounts the part below
its first paint, which wait for it and are all kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import DataTable

from ethicsdesk.service import Service
from ethicsdesk.service.light_records import LightService
from ethicsdesk.tui.app import Start, build_app
from ethicsdesk.tui.screens.walk import WalkScreen
from ethicsdesk.tui.steps.base import StepPane
from ethicsdesk.tui.steps.panes import PANE_PLACES
from ethicsdesk.tui.widgets.fields import FieldText, stored_value
from tests.conftest import CASE_MANAGER
from tests.tui.harness import at_home, autosaved, focused_id, in_walk, make_app, send_keys, wait_until

REPO = Path(__file__).resolve().parents[2]

# `ethicsdesk open ID` through its console entry point, headless: at the walk's first frame (the first
# drawn outside Textual's start-up batch, which draws nothing), what is loaded and composed, as JSON.
AT_FIRST_PAINT = """
import json, sys
import textual.app
from ethicsdesk.tui.screens.walk import WalkScreen

run = textual.app.App.run
textual.app.App.run = lambda self, *a, **k: run(self, *a, **{**k, "headless": True})
display = textual.app.App._display
seen = []

def first_paint(self, screen, frame):
    display(self, screen, frame)
    if seen or not isinstance(screen, WalkScreen) or frame is None or self._batch_count:
        return
    pane = screen.query_one("#pane-situation")
    print(json.dumps({
        "stack": [type(s).__name__ for s in self.screen_stack],
        "widgets": len(list(screen.walk_children(with_self=True))),
        "text_fields": [f.id for f in screen.query("FieldText")],
        "complete": pane.complete,
        "modules": sorted(m for m in sys.modules if m.split(".")[0] in ("sqlalchemy", "sqlmodel", "jinja2", "alembic")
                          or m.startswith("ethicsdesk.tui.steps.")),
    }), flush=True)
    seen.append(screen)
    self.exit()

textual.app.App._display = first_paint
sys.argv = ["ethicsdesk", "open", sys.argv[1]]
from ethicsdesk.cli.launch import main
main()
"""


@pytest.fixture
def record_home(tmp_path: Path) -> tuple[dict[str, str], str]:
    """A SQLite file holding one record, its user configured, and the environment naming them."""
    env = {**os.environ, "ETHICSDESK_HOME": str(tmp_path), "ETHICSDESK_DB": f"sqlite:///{tmp_path / 'e.db'}"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    (tmp_path / "config.toml").write_text('[user]\nname = "Casey Manager"\nrole = "case manager"\n')
    script = "import sys\nfrom ethicsdesk.cli.launch import main\nsys.argv = ['ethicsdesk', *sys.argv[1:]]\nmain()\n"
    sample = REPO / "dilemmas" / "discharge-against-advice.toml"
    made = subprocess.run(
        [sys.executable, "-c", script, "import", "--json", str(sample)],
        env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    assert made.returncode == 0, made.stderr
    made_json = json.loads(made.stdout)
    return env, (made_json[0] if isinstance(made_json, list) else made_json)["id"]


def test_open_id_draws_its_first_step_before_the_orm_home_and_the_other_panes(
    record_home: tuple[dict[str, str], str],
) -> None:
    env, record_id = record_home
    proc = subprocess.run(
        [sys.executable, "-c", AT_FIRST_PAINT, record_id], env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    # nothing of SQLAlchemy, SQLModel, alembic or Jinja2; of the seven panes only the one shown
    assert not [m for m in seen["modules"] if not m.startswith("ethicsdesk.")]
    panes = {m.rsplit(".", 1)[1] for m in seen["modules"]} & set(PANE_PLACES)
    assert panes == {"situation"}
    # the walk alone over Textual's default screen: home is made when the walk is left
    assert seen["stack"] == ["Screen", "WalkScreen"]
    # the situation step's top only (the danger question and the facts), not its 13 text fields
    assert seen["text_fields"] == ["f-text-facts"] and not seen["complete"]
    assert seen["widgets"] <= 60  # a bare Textual form of the same size has 39; all of it was 98


async def test_keys_typed_while_the_step_mounts_its_lower_part_wait_for_it(
    service: Service, sample_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Typed as the step is first drawn: the text goes to the field focused, the tab to the next field
    (below the first part, not mounted yet), and nothing is overwritten when the rest is filled in."""
    waiting: list[StepPane] = []  # the panes whose rest would be mounting now: held until the keys are typed
    mount_rest = StepPane._mount_rest
    monkeypatch.setattr(StepPane, "_mount_rest", lambda pane: waiting.append(pane))
    app = make_app(service, Start(record_id=sample_id))
    async with app.run_test(size=(80, 24)) as pilot:
        # the step list has the focus for a moment (the screen's own), then the field the walk opens on
        await wait_until(pilot, lambda: waiting and focused_id(pilot) == "f-text-facts", "the walk, facts focused")
        walk = app.screen
        assert isinstance(walk, WalkScreen) and not walk.takes_keys
        facts = walk.query_one("#f-text-facts", FieldText)
        assert app.focused is facts and not walk.query("#f-text-assumptions")
        await send_keys(pilot, *" ab")
        await send_keys(pilot, "tab", *" cd")
        assert len(app.typed_ahead.held) == 7 and not facts.text.endswith(" ab")  # held, none lost
        (pane,) = waiting
        pane.call_later(mount_rest, pane)
        await wait_until(pilot, lambda: walk.takes_keys and not app.typed_ahead.held, "the held keys sent")
        assumptions = walk.query_one("#f-text-assumptions", FieldText)
        await wait_until(pilot, lambda: assumptions.text.endswith(" cd"), "the keys after the tab in the next field")
        await autosaved(pilot, walk)
    state = service.record(sample_id)
    assert stored_value(state, "text:facts").endswith(" ab")
    assert stored_value(state, "text:assumptions").endswith(" cd")


async def test_ctrl_q_typed_while_the_step_mounts_its_lower_part_saves_what_was_typed_first(
    service: Service, sample_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk is drawn and coming: the quit waits behind the keys typed before it, which are saved."""
    waiting: list[StepPane] = []
    mount_rest = StepPane._mount_rest
    monkeypatch.setattr(StepPane, "_mount_rest", lambda pane: waiting.append(pane))
    app = make_app(service, Start(record_id=sample_id))
    async with app.run_test(size=(80, 24)) as pilot:
        # the step list has the focus for a moment (the screen's own), then the field the walk opens on
        await wait_until(pilot, lambda: waiting and focused_id(pilot) == "f-text-facts", "the walk, facts focused")
        await send_keys(pilot, *" ab", "ctrl+q")
        assert app.is_running and len(app.typed_ahead.held) == 4  # the quit too, behind the text
        (pane,) = waiting
        pane.call_later(mount_rest, pane)
        await wait_until(pilot, lambda: not app.is_running, "the app ended")
    assert stored_value(service.record(sample_id), "text:facts").endswith(" ab")


@pytest.mark.sqlite_only
async def test_leaving_a_walk_opened_alone_goes_home(service: Service, sample_id: str) -> None:
    """`open ID` draws the walk without home beneath it: escape still goes home, its list loaded."""
    app = build_app(lambda: service, CASE_MANAGER, Start(record_id=sample_id), light=lambda: LightService.open(
        service.db.url, CASE_MANAGER
    ))
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await in_walk(pilot)
        assert [type(s).__name__ for s in app.screen_stack] == ["Screen", "WalkScreen"]
        await wait_until(pilot, lambda: app.service_ready, "the service open")
        await pilot.press("escape")
        home = await at_home(pilot)
        assert app.screen_stack[-2:] == [app.screen_stack[0], home] and walk not in app.screen_stack
        await wait_until(pilot, lambda: home.query_one(DataTable).row_count > 0, "home's list")
