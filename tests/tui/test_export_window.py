"""The export window (tui/screens/export.py) and the debrief's `e` (tui/screens/export_folder.py).

Reports landed in the folder the app was started in (here a git checkout, where they are easily
committed), and text that looks like an identifier was flagged only once the file was written. Now
the window offers a folder (`export_folder` in config.toml, else Documents/ethicsdesk, else home),
shows the full path before anything is written, and asks first when the report would show a passage
that looks like an e-mail, a phone number, an address or a date of birth.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.confirm import ConfirmScreen
from ethicsdesk.tui.screens.export import ExportScreen
from ethicsdesk.tui.screens.export_folder import ExportFolderScreen
from tests.tui.harness import at_home, in_walk, make_app, wait_until

SIZE = (80, 24)


@pytest.fixture
def started_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder the app is started in: nothing may be written there."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    monkeypatch.chdir(checkout)
    return checkout


@pytest.fixture
def reports(tmp_path: Path, isolated_home: Path) -> Path:
    """A folder named by `export_folder` in config.toml."""
    folder = tmp_path / "reports"
    folder.mkdir()
    (isolated_home / "config.toml").write_text(f'export_folder = "{folder}"\n')
    return folder


def exports(service: Service, rid: str) -> list[dict[str, Any]]:
    return [e for e in service.integrity.event_payloads(rid) if e["type"] == "record.exported"]


def result(window: Any) -> str:
    return str(window.query_one("#export-result", Static).render())


async def export_window(pilot: Pilot[Any]) -> ExportScreen:
    await in_walk(pilot)
    await pilot.press("ctrl+e")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen), "the export window")
    await pilot.pause()
    window = pilot.app.screen
    assert isinstance(window, ExportScreen)
    return window


async def test_the_configured_folder_is_offered_and_written_to_twice(
    service: Service, weighed_id: str, reports: Path, started_in: Path
) -> None:
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=SIZE) as pilot:
        window = await export_window(pilot)
        assert window.query_one("#export-folder", Input).value == str(reports)
        html = reports / f"ethicsdesk-{weighed_id}.html"
        assert f"Enter writes HTML to {html}" in str(window.query_one("#export-target", Static).render())
        await pilot.press("enter")
        await wait_until(pilot, lambda: html.exists() and "Wrote HTML" in result(window), "the HTML report")
        await pilot.press("tab")  # to Markdown: the window's second use
        await pilot.press("enter")
        md = reports / f"ethicsdesk-{weighed_id}.md"
        await wait_until(pilot, lambda: md.exists() and "Wrote Markdown" in result(window), "the Markdown report")
    assert list(started_in.iterdir()) == []
    assert [e["payload"]["format"] for e in exports(service, weighed_id)] == ["html", "md"]


async def test_without_a_setting_documents_ethicsdesk_is_offered_and_made_private(
    service: Service, weighed_id: str, tmp_path: Path, started_in: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "someone"
    (home / "Documents").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=SIZE) as pilot:
        window = await export_window(pilot)
        folder = home / "Documents" / "ethicsdesk"
        assert window.query_one("#export-folder", Input).value == str(folder)
        await pilot.press("enter")
        written = folder / f"ethicsdesk-{weighed_id}.html"
        await wait_until(pilot, lambda: written.exists() and "Wrote HTML" in result(window), "the report")
    assert folder.stat().st_mode & 0o777 == 0o700
    assert list(started_in.iterdir()) == []


async def test_identifier_lookalikes_are_asked_about_before_anything_is_written(
    service: Service, weighed_id: str, reports: Path
) -> None:
    service.editing.set_text(weighed_id, "facts", "His daughter (jo.k@example.org, 0161 496 0000) visits on Sundays.")
    app = make_app(service, Start(record_id=weighed_id))
    written = reports / f"ethicsdesk-{weighed_id}.html"
    async with app.run_test(size=SIZE) as pilot:
        window = await export_window(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "a question before writing")
        assert isinstance(app.screen, ConfirmScreen)
        question = app.screen.question
        assert "jo.k@example.org" in question and "0161 496 0000" in question
        assert f"Write {written} anyway?" in question
        assert not written.exists() and exports(service, weighed_id) == []  # nothing yet
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is window and "Not written" in result(window), "declined")
        assert not written.exists() and exports(service, weighed_id) == []

        await pilot.press("enter")  # asked again, and this time written
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question again")
        await pilot.press("y")
        await wait_until(pilot, lambda: written.exists() and "Wrote HTML" in result(window), "written")
    assert "jo.k@example.org" in written.read_text()
    assert len(exports(service, weighed_id)) == 1


async def test_a_typed_folder_that_does_not_exist_is_one_sentence_and_nothing_is_made(
    service: Service, weighed_id: str, reports: Path, tmp_path: Path
) -> None:
    typo = tmp_path / "reprots"
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=SIZE) as pilot:
        window = await export_window(pilot)
        window.query_one("#export-folder", Input).value = str(typo)
        window.query_one("#export-folder", Input).focus()
        await pilot.press("enter")  # enter in the folder field writes the format shown
        await wait_until(pilot, lambda: "does not exist" in result(window), "the refusal")
        assert result(window) == f"{typo} does not exist; choose a folder for the report."
    assert not typo.exists() and exports(service, weighed_id) == []


async def test_the_debrief_asks_for_the_folder_and_writes_there(
    service: Service, reports: Path, started_in: Path
) -> None:
    from ethicsdesk.tui.screens.debrief import DebriefScreen

    attempt = service.training.start_training("discharge-against-advice")
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await at_home(pilot)
        await app.push_screen(DebriefScreen(attempt))
        await pilot.pause()
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportFolderScreen), "the folder asked")
        assert app.screen.query_one("#folder", Input).value == str(reports)
        await pilot.press("enter")
        written = reports / f"ethicsdesk-debrief-{attempt}.md"
        await wait_until(pilot, lambda: written.exists(), "the debrief written")
        assert isinstance(app.screen, DebriefScreen)
        assert str(written) in str(app.screen.query_one("#debrief-status", Static).render())
    assert list(started_in.iterdir()) == []
