"""Judging one option against each ticked floor (legal, safety) or code rule: honours it, fails or breaks
it, or not judged."""

from __future__ import annotations

from collections.abc import Collection

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Label, RadioSet, Static

from ethicsdesk.tui.widgets.marked_toggles import MarkedRadioButton
from ethicsdesk.tui.widgets.window_body import WindowBody

CHOICES = (("Honours the duty", True), ("Does not honour it", False), ("Not judged yet", None))
# a code rule is kept or broken, not honoured or failed (Dolgoff's Ethical Rules Screen)
RULE_CHOICES = (("Keeps the rule", True), ("Breaks the code rule", False), ("Not judged yet", None))


class FloorCheckScreen(ModalScreen[dict[str, bool | None] | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    FloorCheckScreen { align: center middle; }
    FloorCheckScreen > VerticalScroll {
        width: 70; max-width: 100%; height: auto; max-height: 100%; border: heavy $warning; padding: 1 2;
    }
    FloorCheckScreen RadioSet { width: 100%; }
    FloorCheckScreen Horizontal { height: auto; margin-top: 1; }
    FloorCheckScreen Button { margin-right: 2; }
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
            with Horizontal():
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id != "save":
            self.dismiss(None)
            return
        result: dict[str, bool | None] = {}
        for fid in self.floors:
            index = self.query_one(f"#floor-{fid}", RadioSet).pressed_index
            result[fid] = CHOICES[index][1] if index >= 0 else None
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)
