"""The app's own notices quote user input (a record id from the command line): shown as text, never
read as markup, which would crash the app or make a clickable action of it."""

from __future__ import annotations

from textual.widgets._toast import Toast

from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start, build_app
from tests.conftest import CASE_MANAGER
from tests.tui.harness import wait_until


async def test_opening_an_id_that_looks_like_markup_says_so_and_stays_up(service: Service) -> None:
    app = build_app(lambda: service, CASE_MANAGER, Start(record_id="[/]"))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_until(pilot, lambda: any("[/]" in str(n.message) for n in app._notifications), "the notice")
        await wait_until(pilot, lambda: not app.is_running or bool(app.screen.query(Toast)), "the notice drawn")
        await pilot.pause()  # a markup error while drawing it would have ended the app
        assert app.is_running
