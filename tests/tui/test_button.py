"""The app's button acts on every press (ethicsdesk/tui/widgets/button.py)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Button as TextualButton

from ethicsdesk.tui.widgets.button import Button


class Presses(App[None]):
    def __init__(self, kind: type[TextualButton]) -> None:
        super().__init__()
        self.kind = kind
        self.pressed = 0

    def compose(self) -> ComposeResult:
        yield self.kind("Write")

    def on_button_pressed(self) -> None:
        self.pressed += 1


async def presses_counted(kind: type[TextualButton]) -> int:
    app = Presses(kind)
    async with app.run_test() as pilot:
        await pilot.press("enter", "enter")  # the second well within the press's 0.2 s look
        await pilot.pause()
        return app.pressed


async def test_two_quick_enters_are_two_presses() -> None:
    assert await presses_counted(Button) == 2


async def test_textuals_own_button_drops_the_second_so_the_test_can_tell() -> None:
    assert await presses_counted(TextualButton) == 1
