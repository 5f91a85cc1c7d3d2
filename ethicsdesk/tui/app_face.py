"""What the screens that list records ask of the app, and the message it sends them when the
service has opened. Apart from app.py so that a screen can know the app without importing it: the
app imports its screens to push them, and a screen importing the app back would be a cycle
(the "acyclic" contract in pyproject.toml)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from textual.message import Message

if TYPE_CHECKING:
    from ethicsdesk.service import Service


class ServiceReady(Message):
    """The service has opened: sent to every screen on the stack then, so that a screen that shows
    records (home, the sample picker) loads them. A screen mounted later asks `service_ready`."""

    bubble = False  # for the screen it is sent to, not for the app above it


class AppFace(Protocol):
    """The app as a records screen uses it (EthicsdeskApp is one)."""

    first_page: Callable[[int], list[Any] | None] | None

    @property
    def service(self) -> Service: ...

    @property
    def service_ready(self) -> bool: ...

    def open_service_now(self) -> None: ...

    def open_record(self, record_id: str) -> None: ...

    def open_replay(self, record_id: str) -> None: ...
