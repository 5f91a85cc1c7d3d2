"""What the plain-text views share: `show` and `samples show` (plain_text.py), the debrief and the
cohort (training_text.py), and the reports' scores (render.py): their widths, their headings, and
how a score is written."""

from __future__ import annotations

PAGE_WIDTH = 78  # what `show` prints: an 80-column terminal less a margin
PANE_WIDTH = 76  # what a scrolling pane leaves of 80 columns (padding and scrollbar)


def heading(title: str) -> list[str]:
    """A section of a screen's text: a blank line, then the title as it is written."""
    return ["", title]


def underlined_heading(title: str) -> list[str]:
    """A section of printed text, which has no bold to set it apart: capitals over a rule."""
    return ["", title.upper(), "-" * len(title)]


def signed(score: int | None, unscored: str = "--") -> str:
    """A score or total with its sign: +2, 0, -1; an unscored cell is `unscored`."""
    if score is None:
        return unscored
    return f"{score:+d}" if score else "0"
