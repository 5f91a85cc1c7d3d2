"""The walk while other processes use the same record, on SQLite and PostgreSQL.

Another process exports the record, replays it and saves a different field while it is open and
being typed into: no conflict is reported, and what was typed and what the other process saved both
land. Two people typing into the same field: the second keeps their text on screen, is told whose
change came in, and can merge.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ethicsdesk.service import Service
from ethicsdesk.tui import autosave
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.conflict import ConflictScreen
from ethicsdesk.tui.screens.walk import WalkScreen
from ethicsdesk.tui.widgets.fields import FieldText
from tests.conftest import CASE_MANAGER
from tests.tui.harness import in_walk, make_app, notices, type_text, wait_until

SIZE = (80, 24)
ETHICSDESK = Path(sys.executable).parent / "ethicsdesk"
SAVE_AS_KIM = """
import sys
from ethicsdesk.service import Service
from ethicsdesk.settings import User
url, rid, name, value = sys.argv[1:5]
svc = Service.open(url, User("Kim Doyle", "case manager"))
svc.editing.set_text(rid, name, value)
svc.close()
"""


@pytest.fixture
def shared(any_url: str) -> Iterator[tuple[Service, str]]:
    service = Service.open(any_url, CASE_MANAGER)
    rid = service.editing.create_record("Refuses the care home", case_code="C-7")
    service.editing.set_text(rid, "facts", "Mr K. is 84.")
    service.editing.set_text(rid, "question", "Given his capacity, is it justifiable to support the return home?")
    service.editing.add_option(rid, "Status quo")
    service.editing.add_option(rid, "Return home with support")
    yield service, any_url
    service.close()


async def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """A real process, run without stopping the app's event loop (the app keeps working meanwhile)."""
    done = await asyncio.to_thread(
        subprocess.run, [str(a) for a in args], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done


def conflict_notices(app: object) -> list[str]:
    return [n.message for n in notices(app) if n.title.startswith("Not saved")]  # type: ignore[arg-type]


@pytest.mark.slow
async def test_another_process_exporting_replaying_and_saving_another_field_is_no_conflict(
    shared: tuple[Service, str], tmp_path: Path
) -> None:
    service, url = shared
    rid = service.list_records()[0].id
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        assert app.focused is not None and app.focused.id == "f-text-facts"
        await pilot.press("end")
        await type_text(pilot, " Lives alone.")  # not saved yet: the pause has not passed

        await run(ETHICSDESK, "export", rid, "--format", "json", "--out", tmp_path / "r.json", "--db", url)
        await run(ETHICSDESK, "replay", rid, "--text", "--db", url)
        await run(sys.executable, "-c", SAVE_AS_KIM, url, rid, "assumptions", "Kim: the daughter agrees.")

        await type_text(pilot, " Has a cat.")
        await pilot.press("tab")  # leaving the field saves it
        await walk.settled()
        # an option edited after the other process's changes (this was once refused too)
        await walk.go_to("options")
        await pilot.pause()
        await pilot.press("e", "end")
        await type_text(pilot, " for now")
        await pilot.press("enter", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, WalkScreen), "the option window closed")
        await walk.settled()
        assert conflict_notices(app) == []
        assert not isinstance(app.screen, ConflictScreen)

    state = service.record(rid)
    assert state.text["facts"] == "Mr K. is 84. Lives alone. Has a cat."
    assert state.text["assumptions"] == "Kim: the daughter agrees."
    assert state.options[0].label == "Status quo for now"
    assert json.loads((tmp_path / "r.json").read_text())["integrity"]["events"] >= 5
    assert service.integrity.verify(rid) == (1, [])


@pytest.mark.slow
async def test_two_people_on_one_field_keep_both_texts_and_the_second_is_told_whose_came_in(
    shared: tuple[Service, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Robin's text is saved when the field is left, after Kim's: neither the pause after typing nor the
    # shorter one after a burst (the test types in one) comes first
    monkeypatch.setattr(autosave, "DELAY", 60.0)
    monkeypatch.setattr(autosave, "BURST_END", 60.0)
    service, url = shared
    rid = service.list_records()[0].id
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        await pilot.press("end")
        await type_text(pilot, " Robin: he fell twice.")
        await run(sys.executable, "-c", SAVE_AS_KIM, url, rid, "facts", "Kim: he has a new carer.")

        await pilot.press("tab")  # the save finds Kim's change to the same field
        await wait_until(pilot, lambda: isinstance(app.screen, ConflictScreen), "the conflict window")
        window = app.screen
        assert isinstance(window, ConflictScreen)
        (told,) = conflict_notices(app)
        assert told.startswith("Kim Doyle changed the facts at ")
        assert "Kim Doyle changed the facts" in window.message
        assert window.theirs == "Kim: he has a new carer."
        facts = walk.query_one("#f-text-facts", FieldText)
        assert facts.text == "Mr K. is 84. Robin: he fell twice."  # the typed text is still on screen
        assert service.record(rid).text["facts"] == "Kim: he has a new carer."  # and Kim's was kept

        await pilot.press("enter")  # "Merge both" has the focus
        await wait_until(pilot, lambda: app.screen is walk, "back in the walk")
        assert "Kim: he has a new carer." in facts.text and "Robin: he fell twice." in facts.text
        await pilot.press("tab")
        await walk.settled()

    merged = service.record(rid).text["facts"]
    assert "Kim: he has a new carer." in merged and "Robin: he fell twice." in merged
    assert service.integrity.verify(rid) == (1, [])


@pytest.mark.slow
async def test_a_clash_found_on_the_way_out_keeps_both_texts(
    shared: tuple[Service, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """ctrl+q with text typed into a field someone else saved meanwhile: nobody is left to ask, so the
    field is saved with both texts (theirs first), and the log keeps each."""
    monkeypatch.setattr(autosave, "DELAY", 60.0)  # Robin's text waits for the quit, as in the test above
    monkeypatch.setattr(autosave, "BURST_END", 60.0)
    service, url = shared
    rid = service.list_records()[0].id
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        await in_walk(pilot)
        await pilot.press("end")
        await type_text(pilot, " Robin: he fell twice.")
        await run(sys.executable, "-c", SAVE_AS_KIM, url, rid, "facts", "Kim: he has a new carer.")
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: app.return_code is not None, "the app quit")

    facts = service.record(rid).text["facts"]
    assert facts == "Kim: he has a new carer.\n\nMr K. is 84. Robin: he fell twice."
    texts = [str(e["payload"]) for e in service.integrity.event_payloads(rid) if e["type"] == "field.set"]
    assert any("Kim: he has a new carer." in t and "Robin" not in t for t in texts)  # theirs, as saved
    assert any("Robin: he fell twice." in t and "Kim" in t for t in texts)  # then both
    assert service.integrity.verify(rid) == (1, [])
