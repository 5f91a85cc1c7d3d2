"""Text a keyboard user must be able to reach: tab stops on it, and the pane scrolls it into view.

A plain Static below a focusable list or form is out of reach at 80x24 when the pane cannot scroll
there by keyboard (the focus stays in the list, so the pane never moves). This box takes the focus,
so tab brings it on screen; it is at most 8 rows tall (it fits beside a docked banner at 60x20), and
the arrow keys scroll what is longer. A border colour shows that it has the focus.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll

from ethicsdesk.tui.widgets.wrapped_text import WrappedText


class ReadingBox(VerticalScroll, can_focus=True):
    DEFAULT_CSS = """
    ReadingBox { height: auto; max-height: 8; border: round $panel-lighten-2; padding: 0 1; }
    ReadingBox:focus { border: round $accent; }
    ReadingBox > Static { height: auto; }
    """

    def __init__(self, text: str = "", *, title: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._text = WrappedText(text)  # a list item's later lines under its text
        self.border_title = title

    def compose(self) -> ComposeResult:
        yield self._text

    def update(self, text: str) -> None:
        self._text.set_text(text)

    @property
    def text(self) -> str:
        return self._text.whole_text
