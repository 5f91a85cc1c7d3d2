"""The footer with help first: at 80 columns the keys of a busy screen ran past the edge, and the
app's own keys come last in Textual's order, so "f1 Help" was cut to "f1 H" or left out entirely.
Help and quit lead; the screen's keys follow as far as they fit (all of them are in F1 and ctrl+p).

Textual's footer composes its keys again whenever the screen's bindings may have changed, which
is every focus change: opening the walk did it five times (each a removal, a mount and a layout of
the whole screen) for the same keys. This one composes again only when what it shows would differ.
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
        self._composed_for: tuple[object, ...] | None = None  # what the keys on show were composed from

    def shown(self) -> tuple[object, ...]:
        """Everything Textual's footer composes its keys from (`Footer.compose`)."""
        if not self._bindings_ready:
            return ()
        keys = tuple(
            (
                binding.key,
                binding.action,
                binding.description,
                binding.group,
                enabled,
                tooltip,
                self.app.get_key_display(binding),
            )
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        return (self.compact, self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE, keys)

    async def recompose(self) -> None:
        if self.is_attached and self._composed_for is not None and self.shown() == self._composed_for:
            return  # the same keys as on show: nothing to remove, mount or lay out
        await super().recompose()

    def compose(self) -> ComposeResult:
        self._composed_for = self.shown()
        widgets = list(super().compose())  # no binding here has a group, so the keys come out flat
        leading = [w for w in widgets if isinstance(w, FooterKey) and w.action in LEADING_ACTIONS]
        yield from leading
        yield from (w for w in widgets if w not in leading)
