"""The line above each step of the walk: which step, of which record, and what the step still lacks.

Its text is the step and title, then any notes (signed, read-only, replay), then what is missing,
one a line. The title keeps to two lines and ends in "…" when longer; a note is shown whole, on its
own line (beside a long title it was cut off); what is missing wraps (at 80x24 it was one line,
always cut after a few words) to three lines at most; when there is more, the third line says how
much and how to read it: f2 focuses this line, which then shows all of it; f2 or escape goes back
to the field you were in. It is no tab stop: tab and shift+tab go round the fields as before.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.widget import Widget

from ethicsdesk.tui.widgets.wrapped_text import WrappedText, hanging_lines

TITLE_LINES = 2
FOLDED_LINES = 3  # what is missing, while the step has the focus
OPEN_LINES = 20  # all of it that an 80x24 screen holds (less its header, footer and title), while focused


class StepHead(WrappedText, can_focus=False):
    DEFAULT_CSS = """
    StepHead { height: auto; max-height: 21; padding: 0 1; background: $panel; }
    StepHead:focus { background: $panel-lighten-1; }
    """
    BINDINGS = [Binding("escape,f2", "back", "Back to the field", show=False)]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", hang=2, most_lines=FOLDED_LINES, more="… {hidden} more lines (f2 reads them)", **kwargs)
        self._came_from: Widget | None = None
        self._opened = False  # focused: shown whole (has_focus is not yet set when on_focus runs)

    def open(self) -> None:
        """Focus this line (it opens whole), remembering the field to go back to."""
        self._came_from = self.app.focused
        self.can_focus = True  # for as long as it is open: no stop on the way round the fields
        self.focus()

    def action_back(self) -> None:
        came_from, self._came_from = self._came_from, None
        if came_from is not None and came_from.is_attached and came_from.focusable:
            came_from.focus()
        else:
            self.screen.focus_next()

    def shown_lines(self, width: int) -> list[str]:
        title, *notes, missing = self.whole_text.split("\n") if "\n" in self.whole_text else [self.whole_text, ""]
        first = hanging_lines(title, width, self.hang)
        if len(first) > TITLE_LINES:
            first = [*first[: TITLE_LINES - 1], first[TITLE_LINES - 1][: width - 1].rstrip() + "…"]
        first += [line for note in notes for line in hanging_lines(note, width, self.hang)]
        lines = hanging_lines(missing, width, self.hang)
        # open, it takes what the screen leaves beside the title's and notes' lines
        most = max(FOLDED_LINES, OPEN_LINES + 1 - len(first)) if self._opened else (self.most_lines or len(lines))
        if len(lines) > most:
            more = self.more.format(hidden=len(lines) - most + 1)
            if self._opened:
                more = f"… {len(lines) - most + 1} more lines"
            lines = [*lines[: most - 1], " " * self.hang + more]
        return [*first, *lines] if missing else first

    def wrap_key(self, width: int) -> tuple[object, ...]:
        return (*super().wrap_key(width), self._opened)

    def on_focus(self) -> None:
        self._opened = True
        self._wrap()

    def on_blur(self) -> None:
        self._opened = False
        self.can_focus = False
        self._wrap()
