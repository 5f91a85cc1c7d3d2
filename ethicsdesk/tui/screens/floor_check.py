"""Judging one option against each ticked floor (legal, safety) or code rule: honours it, fails or breaks
it, or not judged."""

from __future__ import annotations

from collections.abc import Collection

from rich.markup import escape
from textual.app import ComposeResult
from textual.widgets import Label, RadioSet, Static

from ethicsdesk.tui.screens.dialog import Dialog
from ethicsdesk.tui.widgets.button import Button
from ethicsdesk.tui.widgets.marked_toggles import MarkedRadioButton
from ethicsdesk.tui.widgets.window_body import WindowBody

CHOICES = (("Honours the duty", True), ("Does not honour it", False), ("Not judged yet", None))
# a code rule is kept or broken, not honoured or failed (Dolgoff's Ethical Rules Screen)
RULE_CHOICES = (("Keeps the rule", True), ("Breaks the code rule", False), ("Not judged yet", None))


class FloorCheckScreen(Dialog[dict[str, bool | None] | None]):
    DEFAULT_CSS = """
    FloorCheckScreen > VerticalScroll { border: heavy $warning; }
    FloorCheckScreen RadioSet { width: 100%; }
    """

    def __init__(
        self,
        option_label: str,
        floors: dict[str, str],
        current: dict[str, bool | None],
        rules: Collection[str] = (),
    ) -> None:
        super().__init__()
        self.option_label, self.floors, self.current = option_label, floors, current
        self.rules = set(rules)

    def compose(self) -> ComposeResult:
        with WindowBody():
            yield Static(
                f"[b]Floor and code-rule check[/b]\nDoes “{escape(self.option_label)}” honour each duty? "
                "An option that fails a floor or breaks a code rule is ruled out, whatever its weighing."
            )
            for fid, name in self.floors.items():
                yield Label(f"{name} (code rule)" if fid in self.rules else name)
                with RadioSet(id=f"floor-{fid}"):
                    for text, value in RULE_CHOICES if fid in self.rules else CHOICES:
                        yield MarkedRadioButton(text, value=self.current.get(fid) is value)
            yield self.buttons(Button("Save", variant="primary", id="save"), Button("Cancel", id="cancel"))

    def submit(self) -> None:
        result: dict[str, bool | None] = {}
        for fid in self.floors:
            index = self.query_one(f"#floor-{fid}", RadioSet).pressed_index
            result[fid] = CHOICES[index][1] if index >= 0 else None
        self.dismiss(result)
