"""Text wrapped here, to the widget's own width, with hanging indents.

Textual wraps a long line back to the left edge, so a list item, an option's "opt 1: " or a
total's figure lost its indent on every line after the first, and lists became hard to read at 80
columns. This wraps each line itself, its later lines under the text after its marker, and wraps
again when the widget is resized. It can also keep to a number of lines and say what it left out.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

from ethicsdesk.tui.widgets.steady_text import SteadyStatic, forget, show_text, showing

# what a line's later lines are indented under: a bullet, a number, "opt 1:", a signed figure
MARKER = re.compile(r"\s*(?:[-*•]\s+|\d+[.)]\s+|opt \d+:\s+|[+-]?\d+\s{2,}|\[[^\]]{1,20}\]\s+)?")


def hanging_lines(text: str, width: int, hang: int = 0) -> list[str]:
    """`text` wrapped to `width`, each line's later lines under the text after its marker (MARKER);
    an indented line without one keeps its indent, an unindented one hangs `hang` columns in; a
    marker wider than half the width hangs `hang` only."""
    out: list[str] = []
    for line in text.splitlines() or [""]:
        if len(line) <= width:
            out.append(line)
            continue
        marker = MARKER.match(line)
        indent = len(line) - len(line.lstrip())
        under = len(marker.group(0)) if marker and marker.group(0).strip() else (indent or hang)
        under = under if under <= width // 2 else hang
        out += textwrap.wrap(line, width, subsequent_indent=" " * under, break_on_hyphens=False) or [""]
    return out


class WrappedText(SteadyStatic):
    """A Static that wraps its text with hanging indents (hanging_lines). With `most_lines`, it keeps
    to that many lines and ends the last with `more` ("… {hidden} more lines") when it cuts."""

    def __init__(
        self, text: str = "", *, hang: int = 0, most_lines: int | None = None, more: str = "", **kwargs: Any
    ) -> None:
        super().__init__(text, markup=False, **kwargs)
        self.whole_text = text
        self.hang = hang
        self.most_lines = most_lines
        self.more = more
        self._wrapped: tuple[tuple[object, ...], str] | None = None  # what was last wrapped, and its lines

    def set_text(self, text: str) -> None:
        self.whole_text = text
        self._wrap()

    def on_resize(self) -> None:
        # after the layout that resized it: a layout asked for during that one is not made again
        self.call_after_refresh(self._wrap)

    def shown_lines(self, width: int) -> list[str]:
        lines = hanging_lines(self.whole_text, width, self.hang)
        if self.most_lines is None or len(lines) <= self.most_lines:
            return lines
        kept = lines[: self.most_lines]
        more = self.more.format(hidden=len(lines) - len(kept))
        room = max(1, width - len(more) - 1)
        kept[-1] = (kept[-1][:room].rstrip() + " " + more) if more else kept[-1]
        return kept

    def _wrap_if_sized(self) -> None:
        if self.content_size.width > 0:
            self._wrap()

    def _wrap(self) -> None:
        width = self.content_size.width
        if width <= 0:
            self.update(self.whole_text)
            forget(self)
            # not laid out yet: wrapped once it is (a Resize may have come before this text did)
            self.call_after_refresh(self._wrap_if_sized)
            return
        key = self.wrap_key(width)
        if self._wrapped is not None and self._wrapped[0] == key and showing(self) == self._wrapped[1]:
            return  # shown already: a redraw with the same text wraps nothing again (a score press redraws twice)
        # each line fits the width (wrapped here), so the same count of lines is the same height
        text = "\n".join(self.shown_lines(width))
        show_text(self, text)
        self._wrapped = (key, text)

    def wrap_key(self, width: int) -> tuple[object, ...]:
        """All that `shown_lines(width)` depends on (a subclass that shows more adds to it)."""
        return (self.whole_text, width, self.hang, self.most_lines, self.more)
