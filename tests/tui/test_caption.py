"""A field's caption (ethicsdesk/tui/widgets/caption.py): the label bold, the hint under it in the
theme's muted colour, wrapped to the width, in one widget."""

from __future__ import annotations

from rich.style import Style
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from ethicsdesk.tui.widgets.caption import Caption

HINT = "What is known and documented. Keep guesses for the next field."


class CaptionsApp(App[None]):
    CSS = "#muted { color: $text-muted; }"  # what a hint looked like as a Static of its own

    def compose(self) -> ComposeResult:
        yield Caption("Facts", HINT, id="with-hint")
        yield Caption("Title", id="label-only")
        yield Static("muted", id="muted")


def drawn(widget: Widget) -> list[Strip]:
    return widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))


def drawn_style(widget: Widget) -> Style:
    style = next(s.style for s in drawn(widget)[0] if s.text.strip())
    assert style is not None
    return style


async def test_the_label_is_bold_and_the_hint_muted_under_it() -> None:
    app = CaptionsApp()
    async with app.run_test(size=(30, 12)) as pilot:
        await pilot.pause()
        caption = app.query_one("#with-hint", Caption)
        lines = drawn(caption)
        assert lines[0].text.rstrip() == "Facts"
        hint_lines = [line.text.strip() for line in lines[1:]]
        assert " ".join(hint_lines) == HINT  # wrapped at 30 columns, every word kept
        assert caption.size.height == len(lines) == 1 + len(hint_lines) > 2
        label_style = next(s.style for s in lines[0] if s.text.strip())
        hint_style = next(s.style for s in lines[1] if s.text.strip())
        assert label_style is not None and label_style.bold
        assert hint_style is not None and not hint_style.bold
        # the theme's $text-muted, resolved against the background as any CSS rule's colour is
        muted = drawn_style(app.query_one("#muted", Static))
        assert hint_style.color is not None and hint_style.color == muted.color != label_style.color
        assert caption.text == f"Facts\n{HINT}"


async def test_a_label_without_a_hint_is_one_line() -> None:
    app = CaptionsApp()
    async with app.run_test(size=(30, 12)) as pilot:
        await pilot.pause()
        caption = app.query_one("#label-only", Caption)
        assert [line.text.rstrip() for line in drawn(caption)] == ["Title"]
        assert caption.text == "Title"
