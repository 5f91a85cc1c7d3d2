"""Judging one option against each ticked legal-floor duty: honours it, breaches it, or not judged."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.widgets import Button, Label, RadioSet, Static

from ethicsdesk.tui.screens.dialog import Dialog
from ethicsdesk.tui.widgets.marked_toggles import MarkedRadioButton
from ethicsdesk.tui.widgets.window_body import WindowBody

CHOICES = (("Honours the duty", True), ("Does not honour it", False), ("Not judged yet", None))


class FloorCheckScreen(Dialog[dict[str, bool | None] | None]):
    DEFAULT_CSS = """
    FloorCheckScreen > VerticalScroll { border: heavy $warning; }
    FloorCheckScreen RadioSet { width: 100%; }
    """

    def __init__(self, option_label: str, floors: dict[str, str], current: dict[str, bool | None]) -> None:
        super().__init__()
        self.option_label, self.floors, self.current = option_label, floors, current

    def compose(self) -> ComposeResult:
        with WindowBody():
            yield Static(
                f"[b]Legal-floor check[/b]\nDoes “{escape(self.option_label)}” honour each duty? "
                "An option that does not is ruled out by rule, whatever its weighing."
            )
            for fid, name in self.floors.items():
                yield Label(name)
                with RadioSet(id=f"floor-{fid}"):
                    for text, value in CHOICES:
                        yield MarkedRadioButton(text, value=self.current.get(fid) is value)
            yield self.buttons(Button("Save", variant="primary", id="save"), Button("Cancel", id="cancel"))

    def submit(self) -> None:
        result: dict[str, bool | None] = {}
        for fid in self.floors:
            index = self.query_one(f"#floor-{fid}", RadioSet).pressed_index
            result[fid] = CHOICES[index][1] if index >= 0 else None
        self.dismiss(result)
