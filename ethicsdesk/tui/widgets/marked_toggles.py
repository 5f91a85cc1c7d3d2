"""Toggles whose state is a character, not only a colour.

Textual draws a radio button's dot and a checkbox's cross in both states and tells them apart by
colour. Over a monochrome SSH link or through a screen reader that reads the same either way, so
these draw the mark only when the toggle is on.
"""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton


class MarkedRadioButton(RadioButton):
    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:
        return "●" if self.value else " "


class MarkedCheckbox(Checkbox):
    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:
        return "X" if self.value else " "
