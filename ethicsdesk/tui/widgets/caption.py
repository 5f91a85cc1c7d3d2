"""A field's caption: its label in bold and, under it, a muted hint of what to write, in one widget.

Each step drew these as a Label and a Static. A widget costs its styles, its layout and its render on
every opening and step change, and a caption is most of a step's widgets: the Situation step held 103
widgets, 24 of them labels and hints. One widget a caption draws the same text for fewer.
"""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.widget import Widget


class Caption(Widget):
    """A label, bold, and an optional hint under it in the muted text colour of the theme."""

    COMPONENT_CLASSES = {"caption--label", "caption--hint"}
    DEFAULT_CSS = """
    Caption { height: auto; margin-top: 1; }
    Caption > .caption--label { text-style: bold; }
    Caption > .caption--hint { color: $text-muted; }
    """

    def __init__(self, label: str, hint: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.label = label
        self.hint = hint

    @property
    def text(self) -> str:
        """What the caption says, as plain text (the label, and the hint on the next line)."""
        return f"{self.label}\n{self.hint}" if self.hint else self.label

    def render(self) -> RenderResult:
        # styles from the component classes, so the theme's colours apply as to any CSS rule
        parts: list[Content | str] = [Content(self.label).stylize(self.get_visual_style("caption--label"))]
        if self.hint:
            parts += ["\n", Content(self.hint).stylize(self.get_visual_style("caption--hint"))]
        return Content.assemble(*parts)
