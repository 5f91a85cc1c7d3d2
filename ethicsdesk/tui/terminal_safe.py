"""Every line the TUI draws, with control characters neutralised.

Textual writes a widget's text to the terminal as it is: an ESC, an OSC 52 clipboard write, a C1
CSI or a bidi override in a record's title reached the terminal raw from the home table, the walk
and the editable fields alike. Rather than trust every widget to remember, the app filters every
line on its way out with the one function every face uses (`shown`), so a field still holds (and
saves) exactly what was typed while the screen shows its escape.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from ethicsdesk.terminal_text import needs_showing, shown


class ControlCharacters(LineFilter):
    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        if not any(not s.control and needs_showing(s.text) for s in segments):
            return segments
        # The characters shown occupied no cells when the line was laid out; their escapes do, so
        # the line is cut back to its width (the end of a hostile line may be cut; never the screen).
        width = Segment.get_line_length(segments)
        line = [
            s if s.control or not needs_showing(s.text) else Segment(shown(s.text, one_line=True), s.style)
            for s in segments
        ]
        return Segment.adjust_line_length(line, width)
