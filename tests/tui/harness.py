"""Driving the app in tests: the app built the one way the CLI builds it (`build_app`), on the test's
service, with every notification it raises kept for the test to read.

Waits have a generous deadline and fail only when something that should happen never happens; no
test asserts how fast anything is.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import events
from textual.pilot import Pilot

from ethicsdesk.service import Service
from ethicsdesk.settings import User
from ethicsdesk.tui.app import EthicsdeskApp, Start, build_app
from ethicsdesk.tui.screens.home import HomeScreen
from ethicsdesk.tui.screens.walk import WalkScreen
from tests.conftest import CASE_MANAGER

DEADLINE = 20.0  # seconds; only a hang comes near it


@dataclass(frozen=True)
class Notice:
    message: str
    title: str
    severity: str


def make_app(service: Service, start: Start | None = None, user: User | None = CASE_MANAGER) -> EthicsdeskApp:
    """The app on `service`; `app.notices` lists every notification it raised, expired or not
    (Textual drops expired toasts from its own list, so reading that would depend on timing)."""
    app = build_app(lambda: service, user, start)
    notices: list[Notice] = []
    shown = app.notify

    def notify(message: str, *args: Any, **kwargs: Any) -> None:
        notices.append(Notice(str(message), str(kwargs.get("title", "")), str(kwargs.get("severity", "information"))))
        shown(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    app.notices = notices  # type: ignore[attr-defined]
    return app


def notices(app: EthicsdeskApp, severity: str | None = None) -> list[Notice]:
    seen: list[Notice] = app.notices  # type: ignore[attr-defined]
    return [n for n in seen if severity is None or n.severity == severity]


async def wait_until(pilot: Pilot[Any], condition: Callable[[], object], what: str) -> None:
    end = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"this never happened: {what}")
        await pilot.pause(0.02)


async def at_home(pilot: Pilot[Any]) -> HomeScreen:
    """Wait for the service to open and the home screen to be on top with its records loaded."""
    app = pilot.app
    assert isinstance(app, EthicsdeskApp)
    await wait_until(pilot, lambda: app.service_ready and isinstance(app.screen, HomeScreen), "home with the service")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, HomeScreen)
    return screen


async def in_walk(pilot: Pilot[Any]) -> WalkScreen:
    """Wait for a walk screen to be on top, drawn from the record, with a widget focused."""
    app = pilot.app
    await wait_until(
        pilot,
        lambda: isinstance(app.screen, WalkScreen) and app.screen.view is not None and app.focused is not None,
        "the walk screen open with a field focused",
    )
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, WalkScreen)
    return screen


def _key_event(key: str) -> events.Key:
    """The event a terminal sends for a typed character ('a', '.', ' ') or a named key ('down')."""
    if len(key) != 1:
        return events.Key(key, None)
    name = key if key.isalnum() else unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
    return events.Key(name, key)


async def send_keys(pilot: Pilot[Any], *keys: str) -> None:
    """Send key events one after another, as a quick typist does, then wait until the app has
    handled them all.

    `pilot.press` waits for the app to go idle after every key (70-150 ms each on the walk screen);
    a typist does not wait between keys, and neither does this. Only for keys that stay in the
    focused widget (text; digits and arrows in the matrix): a key that moves the focus is pressed."""
    app = pilot.app
    for key in keys:
        event = _key_event(key)
        event.set_sender(app)
        app.post_message(event)
    await pilot.pause()


async def type_text(pilot: Pilot[Any], text: str) -> None:
    await send_keys(pilot, *text)


def focused_id(pilot: Pilot[Any]) -> str | None:
    focused = pilot.app.focused
    return focused.id if focused is not None else None
