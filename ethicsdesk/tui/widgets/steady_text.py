"""Text put into a Static so that a redraw costs only what changed.

`Static.update` repaints and lays the whole screen out again each time, even with the same text; on a
key press in the matrix the pane's redraw did that for every line of text it holds. Here the same text
is not sent again, and a text of the same height is repainted in place, without a layout.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from rich.cells import cell_len
from textual.widgets import Static

_shown: WeakKeyDictionary[Static, str] = WeakKeyDictionary()


def fits(text: str, width: int) -> bool:
    """Whether every line of `text` fits in `width` cells, so that none wraps onto another line."""
    return width > 0 and all(cell_len(line) <= width for line in text.split("\n"))


def show_text(widget: Static, text: str) -> None:
    """Put `text` in `widget`: nothing if it is there already; in place if it takes the same lines."""
    if _shown.get(widget) == text:
        return
    _shown[widget] = text
    widget.update(text, layout=height_may_change(widget, text))


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
