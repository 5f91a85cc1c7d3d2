"""The body of a dialog window: it scrolls when the terminal is too short for it (the addendum's
buttons were below the edge at 80x24), but takes no focus itself, so the window still opens with
the focus in its first field and tab moves from field to field, each scrolled into view."""

from __future__ import annotations

from textual.containers import VerticalScroll


class WindowBody(VerticalScroll, can_focus=False):
    pass
