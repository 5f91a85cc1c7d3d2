"""The app's button: it acts on every press.

Textual's Button ignores a press that comes while it still shows the last one (0.2 s), so a quick
second Enter on the same button did nothing, silently: the export window's "write" pressed again
right after saying no to a question about identifiers was lost that way. Every press is someone's
decision; the look of the press stays.
"""

from __future__ import annotations

from textual.widgets import Button as TextualButton


class Button(TextualButton):
    def action_press(self) -> None:
        self.press()
