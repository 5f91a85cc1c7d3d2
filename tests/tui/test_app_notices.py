"""The app's own notices quote user input (a record id from the command line): shown as text, never
read as markup, which would crash the app or make a clickable action of it."""

from __future__ import annotations

from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start, build_app
from tests.conftest import CASE_MANAGER


async def test_opening_an_id_that_looks_like_markup_says_so_and_stays_up(service: Service) -> None:
    app = build_app(lambda: service, CASE_MANAGER, Start(record_id="[/]"))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause(0.5)
        await pilot.pause(0.3)  # the notice is drawn; a markup error would have ended the app
        assert app.is_running
        messages = [n.message for n in app._notifications]
        assert any("[/]" in str(m) for m in messages), messages
