"""Text put into a Static so that a redraw costs only what changed.

`Static.update` repaints and lays the whole screen out again each time, even with the same text; on a
key press in the matrix the pane's redraw did that for every line of text it holds. Here the same text
is not sent again, and a text of the same height is repainted in place, without a layout.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from rich.cells import cell_len
from textual.app import RenderResult
from textual.geometry import Region
from textual.visual import Visual, visualize
from textual.widgets import Static

_shown: WeakKeyDictionary[Static, str] = WeakKeyDictionary()


class SteadyStatic(Static):
    """A Static whose text, changed for one of as many lines, repaints only the lines that differ:
    `Static.update` repaints every line (on a score press, the five lines of the totals and the seven
    of the findings where one of each changed: a fifth of the press's frame, bench/)."""

    def __init__(self, content: Any = "", **kwargs: Any) -> None:
        super().__init__(content, **kwargs)
        self._text: str | None = content if isinstance(content, str) else None  # the text shown now
        self._lines_visual: Visual | None = None  # the text `repaint_lines` put here, until an `update`

    def render(self) -> RenderResult:
        return self._lines_visual if self._lines_visual is not None else super().render()

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        self._text = content if isinstance(content, str) else None
        self._lines_visual = None
        super().update(content, layout=layout)

    def repaint_lines(self, text: str) -> bool:
        """Show `text` if it takes the lines the text shown now takes (as many, none wrapping): the
        lines that differ are repainted, the others kept as drawn. False (nothing done) if not."""
        before, width = self._text, self.content_size.width
        if before is None or before.count("\n") != text.count("\n") or not (fits(before, width) and fits(text, width)):
            return False
        self._text = text
        self._lines_visual = visualize(self, text, markup=self._render_markup)
        old, new = before.split("\n"), text.split("\n")
        changed = [Region(0, y, width, 1) for y, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
        if changed:
            self.refresh(*changed)
        return True


def fits(text: str, width: int) -> bool:
    """Whether every line of `text` fits in `width` cells, so that none wraps onto another line."""
    return width > 0 and all(cell_len(line) <= width for line in text.split("\n"))


def show_text(widget: Static, text: str) -> None:
    """Put `text` in `widget`: nothing if it is there already; in place if it takes the same lines."""
    if _shown.get(widget) == text:
        return
    _shown[widget] = text
    layout = height_may_change(widget, text)
    if not (not layout and isinstance(widget, SteadyStatic) and widget.repaint_lines(text)):
        widget.update(text, layout=layout)


def height_may_change(widget: Static, text: str) -> bool:
    """Whether `text` may give `widget` another size than it has: not where its size is fixed, nor
    where its height is as many lines as `text` has, none of them wider than the widget."""
    width, height = widget.styles.width, widget.styles.height
    if width is not None and width.is_auto:
        return True
    if height is not None and not height.is_auto:
        return False
    size = widget.content_size
    return not (size.height == text.count("\n") + 1 and fits(text, size.width))


def showing(widget: Static) -> str | None:
    """The text `show_text` last put in `widget`, if nothing was put there another way since."""
    return _shown.get(widget)


def forget(widget: Static) -> None:
    """The widget's text was set some other way: the next `show_text` sends its text whatever it is."""
    _shown.pop(widget, None)
