"""The idle lock and the encrypted database's passphrase in the TUI.

After the idle time the record disappears behind the lock screen, enter brings it back; with an
encrypted database coming back takes the passphrase, and a wrong one is refused in one sentence.
The idle time is made tiny by replacing the app's watcher once the record is open (with a tiny
configured time the lock could fall before the walk had even opened on a slow machine).
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, Static

from ethicsdesk.service import Service
from ethicsdesk.settings import DEFAULT_IDLE_LOCK_MINUTES
from ethicsdesk.store import encryption
from ethicsdesk.tui.app import EthicsdeskApp, Start, build_app
from ethicsdesk.tui.idle import IdleWatcher
from ethicsdesk.tui.screens.database_passphrase import DatabasePassphraseScreen
from ethicsdesk.tui.screens.home import HomeScreen
from ethicsdesk.tui.screens.lock import WRONG, LockScreen
from ethicsdesk.tui.screens.walk import WalkScreen
from tests.conftest import CASE_MANAGER
from tests.tui.harness import at_home, in_walk, make_app, notices, type_text, wait_until

SIZE = (80, 24)
TINY = 0.005  # minutes: 0.3 s
PASSPHRASE = "correct horse battery"
VISIBLE = "Refuses"  # a word of the record's title, shown by the walk


def on_screen(app: EthicsdeskApp) -> str:
    """What the terminal shows, as plain text: the screen composed the way `export_screenshot`
    composes it (with any screens showing through from behind), printed without the SVG."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def idle_after(app: EthicsdeskApp, minutes: float) -> None:
    assert app.idle is not None
    app.idle.stop()
    app.idle = IdleWatcher(app, minutes, app.lock)
    app.idle.start()


async def locked(pilot: Pilot[Any]) -> LockScreen:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, LockScreen), "the lock screen on top")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, LockScreen)
    return screen


def write_config(home: Path, text: str) -> None:
    (home / "config.toml").write_text(text, encoding="utf-8")


# --- the lock ------------------------------------------------------------------------------------
async def test_idle_time_hides_the_record_and_enter_brings_it_back(service: Service, situated_id: str) -> None:
    app = make_app(service, Start(record_id=situated_id))
    async with app.run_test(size=SIZE) as pilot:
        await in_walk(pilot)
        assert VISIBLE in on_screen(app)  # the check below can fail

        idle_after(app, TINY)
        lock = await locked(pilot)

        shown = on_screen(app)
        assert VISIBLE not in shown and "Mr K." not in shown and "84" not in shown
        assert "Locked after 0 seconds idle" not in shown  # rounded up to a second at least
        assert "Locked after" in shown and "press enter to return" in shown
        assert lock.encrypted_file is None

        # Back to a long idle time: 0.3 s could lock again before the walk is read on a loaded machine.
        idle_after(app, 10)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, WalkScreen), "the walk back on top")
        await pilot.pause()
        assert VISIBLE in on_screen(app)


async def test_keys_keep_it_unlocked(service: Service, situated_id: str) -> None:
    app = make_app(service, Start(record_id=situated_id))
    async with app.run_test(size=SIZE) as pilot:
        await in_walk(pilot)
        # 3 s of idleness locks; a key every half second for 4 s keeps it open. The gap between keys
        # is six times shorter than the idle time, so a loaded machine's late pauses do not lock it.
        idle_after(app, 0.05)
        started = time.monotonic()
        while time.monotonic() - started < 4.0:
            await pilot.pause(0.5)
            await pilot.press("right")  # a key now and then: the user is there
        assert isinstance(app.screen, WalkScreen)


async def test_lock_now_from_the_command_palette_and_no_palette_while_locked(
    service: Service, situated_id: str
) -> None:
    app = make_app(service, Start(record_id=situated_id))
    async with app.run_test(size=SIZE) as pilot:
        await in_walk(pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "Lock now")
        # the palette searches in a worker: enter before it has found the command would choose nothing
        await wait_until(pilot, lambda: _palette_offers(app, "Lock now"), "the palette offering Lock now")
        await pilot.press("enter")
        lock = await locked(pilot)
        assert lock.idle_minutes is None
        assert "Locked — press enter to return." in on_screen(app)

        await pilot.press("ctrl+p")  # the palette could open records from behind the lock
        await pilot.pause()
        assert app.screen is lock

        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, WalkScreen), "the walk back on top")
        assert app.use_command_palette


async def test_the_idle_time_comes_from_the_config(service: Service, isolated_home: Path) -> None:
    write_config(isolated_home, "idle_lock_minutes = 2.5\n")
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await at_home(pilot)
        assert app.idle is not None and app.idle.minutes == 2.5 and app.idle.enabled


async def test_zero_turns_the_lock_off_and_a_bad_value_keeps_the_default(service: Service, isolated_home: Path) -> None:
    write_config(isolated_home, "idle_lock_minutes = 0\n")
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await at_home(pilot)
        assert app.idle is not None and not app.idle.enabled

    write_config(isolated_home, 'idle_lock_minutes = "ten"\n')
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await at_home(pilot)
        assert app.idle is not None and app.idle.minutes == DEFAULT_IDLE_LOCK_MINUTES
        (warning,) = notices(app, "warning")
        assert "idle_lock_minutes" in warning.message and "not 'ten'" in warning.message


# --- with an encrypted database --------------------------------------------------------------------
@pytest.fixture
def encrypted_url(tmp_path: Path) -> str:
    pytest.importorskip("sqlcipher3", reason="the 'encryption' extra (sqlcipher3-binary) is not installed")
    from ethicsdesk.service.encryption import encrypt_in_place

    url = f"sqlite:///{tmp_path / 'locked.db'}"
    service = Service.open(url, CASE_MANAGER)
    service.editing.create_record("Refuses the care home", case_code="C-7")
    service.close()
    encrypt_in_place(url, PASSPHRASE, CASE_MANAGER)
    encryption.forget_all()
    return url


async def test_an_encrypted_database_takes_its_passphrase_to_unlock(encrypted_url: str) -> None:
    encryption.remember(Path(encrypted_url.removeprefix("sqlite:///")), PASSPHRASE)
    service = Service.open(encrypted_url, CASE_MANAGER)
    (record,) = service.list_records()
    app = make_app(service, Start(record_id=record.id))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await in_walk(pilot)
            idle_after(app, TINY)
            lock = await locked(pilot)
            assert lock.encrypted_file == service.db.path
            assert VISIBLE not in on_screen(app)

            await pilot.press("enter")  # enter alone does not open it
            await pilot.pause()
            assert app.screen is lock

            await type_text(pilot, "not the passphrase")
            await pilot.press("enter")
            await wait_until(pilot, lambda: str(lock.query_one("#error", Static).render()) == WRONG, "the refusal")
            assert app.screen is lock
            assert lock.query_one("#passphrase", Input).value == ""

            idle_after(app, 10)  # 0.3 s could lock again before the walk is seen on a loaded machine
            await type_text(pilot, PASSPHRASE)
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, WalkScreen), "the walk back on top")
    finally:
        service.close()


async def test_opening_an_encrypted_database_asks_for_its_passphrase(encrypted_url: str) -> None:
    app = build_app(lambda: Service.open(encrypted_url, CASE_MANAGER), CASE_MANAGER)
    path = Path(encrypted_url.removeprefix("sqlite:///"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, DatabasePassphraseScreen), "the passphrase screen")
        await pilot.pause()
        await type_text(pilot, "not the passphrase")
        await pilot.press("enter")

        def refused() -> bool:
            screen = app.screen
            return isinstance(screen, DatabasePassphraseScreen) and screen.error != ""

        await wait_until(pilot, refused, "the passphrase screen again, with the refusal")
        assert "The passphrase does not open" in on_screen(app)
        assert app.screen.error == f"The passphrase does not open {path}."  # type: ignore[attr-defined]
        assert not app.service_ready

        await type_text(pilot, PASSPHRASE)
        await pilot.press("enter")
        home = await at_home(pilot)
        assert isinstance(home, HomeScreen)
        assert app.service.db.encrypted
        app.service.close()


def test_saving_the_user_keeps_a_fractional_idle_time(isolated_home: Path) -> None:
    from ethicsdesk.settings import User, idle_lock_minutes, save_user

    write_config(isolated_home, "idle_lock_minutes = 2.5\n")
    save_user(User("Robin Ashdown", "case manager"))
    assert idle_lock_minutes() == 2.5


def _palette_offers(app: App[Any], command: str) -> bool:
    """Whether the open command palette lists `command` among what it found."""
    from textual.command import CommandList

    found = app.screen.query(CommandList)
    return bool(found) and any(command in str(o.prompt) for o in found.first().options)
