"""The footer with help first: at 80 columns the keys of a busy screen ran past the edge, and the
app's own keys come last in Textual's order, so "f1 Help" was cut to "f1 H" or left out entirely.
Help and quit lead; the screen's keys follow as far as they fit (all of them are in F1 and ctrl+p).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

LEADING_ACTIONS = ("help", "app.help", "quit", "app.quit")


class KeysFooter(Footer):
    def __init__(self) -> None:
        # compact: less space between keys; the palette key is named in the help, not in every footer
        super().__init__(compact=True, show_command_palette=False)

    def compose(self) -> ComposeResult:
        widgets = list(super().compose())  # no binding here has a group, so the keys come out flat
        leading = [w for w in widgets if isinstance(w, FooterKey) and w.action in LEADING_ACTIONS]
        yield from leading
        yield from (w for w in widgets if w not in leading)
