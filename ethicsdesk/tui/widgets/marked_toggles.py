"""Toggles whose state is a character, not only a colour.

Textual draws a radio button's dot and a checkbox's cross in both states and tells them apart by
colour. Over a monochrome SSH link or through a screen reader that reads the same either way, so
these draw the mark only when the toggle is on.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, RadioSet, SelectionList
from textual.widgets.option_list import OptionDoesNotExist


class MarkedRadioButton(RadioButton):
    # Textual declares BUTTON_INNER a plain class attribute, but only reads it (ToggleButton._button).
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "●" if self.value else " "


def pressed_name(radios: RadioSet, default: str) -> str:
    """The key of the button pressed in a radio set whose buttons are named by their keys; `default`
    when none is pressed or the pressed one names none (an "advice only" button is named "")."""
    pressed = radios.pressed_button
    return pressed.name if pressed is not None and pressed.name else default


class MarkedCheckbox(Checkbox):
    # a read-only property: see MarkedRadioButton
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]
        return "X" if self.value else " "


class MarkedSelectionList(SelectionList[str]):
    """A selection list whose ticked items show an X and unticked ones a blank (Textual draws an X
    on every item, told apart by colour only: over a monochrome link every duty looked ticked).

    When not every item fits, its bottom edge says how many are above and below ("↓ 11 more
    below"): at 80x24 it showed 16 of 27 duties, and its scrollbar, a dim colour, was no sign over a
    monochrome link that more followed."""

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.say_what_is_hidden()

    def watch_virtual_size(self) -> None:
        self.say_what_is_hidden()

    def on_resize(self) -> None:
        self.say_what_is_hidden()

    def say_what_is_hidden(self) -> None:
        shown, lines = self.scrollable_content_region.height, self.virtual_size.height
        above = max(0, round(self.scroll_y))
        below = max(0, lines - shown - above)
        hidden = [f"↑ {above} more above"] if above and shown else []
        hidden += [f"↓ {below} more below"] if below and shown else []
        subtitle = " · ".join(hidden)
        if self.border_subtitle != subtitle:
            self.border_subtitle = subtitle

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        # SelectionList draws [left edge, mark, right edge, space, prompt...] on an item's line, the mark
        # being ToggleButton.BUTTON_INNER (which Checkbox inherits)
        if len(segments) < 3 or segments[1].text != Checkbox.BUTTON_INNER:
            return strip
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        if selection.value in self.selected:
            return strip
        inner = segments[1]
        segments[1] = Segment(" " * len(inner.text), inner.style, inner.control)
        return Strip(segments, strip.cell_length)
