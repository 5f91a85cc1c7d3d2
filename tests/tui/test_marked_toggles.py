"""Marked toggles (ethicsdesk/tui/widgets/marked_toggles.py): the state is a character, drawn only
when the toggle is on, so it reads the same without colour."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import RadioSet
from textual.widgets.selection_list import Selection

from ethicsdesk.tui.widgets.marked_toggles import MarkedCheckbox, MarkedRadioButton, MarkedSelectionList


class TogglesApp(App[None]):
    def compose(self) -> ComposeResult:
        yield MarkedCheckbox("Urgent", id="check")
        with RadioSet(id="radios"):
            yield MarkedRadioButton("Honours the duty", value=True, id="yes")
            yield MarkedRadioButton("Does not honour it", id="no")


def drawn(app: App[None], selector: str) -> str:
    """The widget's line as the terminal shows it (what a screen reader would read)."""
    return app.query_one(selector).render_line(0).text


async def test_a_checkbox_draws_its_x_only_when_ticked() -> None:
    app = TogglesApp()
    async with app.run_test(size=(40, 10)) as pilot:
        box = app.query_one("#check", MarkedCheckbox)
        assert not box.value
        off = drawn(app, "#check")
        assert "Urgent" in off
        assert "X" not in off
        box.focus()
        await pilot.press("space")
        assert box.value
        assert "X" in drawn(app, "#check")
        await pilot.press("enter")
        assert not box.value
        assert "X" not in drawn(app, "#check")


async def test_a_radio_button_draws_its_dot_only_when_chosen() -> None:
    app = TogglesApp()
    async with app.run_test(size=(40, 10)) as pilot:
        assert "●" in drawn(app, "#yes")
        assert "●" not in drawn(app, "#no")
        app.query_one("#radios", RadioSet).focus()
        await pilot.press("down", "enter")
        assert app.query_one("#no", MarkedRadioButton).value
        assert not app.query_one("#yes", MarkedRadioButton).value
        assert "●" in drawn(app, "#no")
        assert "●" not in drawn(app, "#yes")


async def test_the_unmarked_state_keeps_the_width() -> None:
    """Off, the mark is a space: the label does not shift when the toggle changes."""
    app = TogglesApp()
    async with app.run_test(size=(40, 10)):
        on, off = drawn(app, "#yes"), drawn(app, "#no")
        assert on.index("Honours") == off.index("Does")


class ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield MarkedSelectionList(
            Selection("Confidentiality", "confidentiality", True),
            Selection("Informed consent", "informed-consent"),
            Selection("Duty to warn or protect  [LEGAL FLOOR]", "duty-to-warn"),
        )


def list_lines(app: App[None]) -> list[str]:
    items = app.query_one(MarkedSelectionList)
    return [items.render_line(y).text for y in range(items.option_count)]


async def test_a_selection_list_marks_only_the_ticked_items() -> None:
    app = ListApp()
    async with app.run_test(size=(50, 8)) as pilot:
        items = app.query_one(MarkedSelectionList)
        lines = list_lines(app)
        assert "X" in lines[0] and "Confidentiality" in lines[0]
        assert "X" not in lines[1]
        assert "X" not in lines[2]
        assert lines[1].index("Informed") == lines[0].index("Confidentiality")  # a blank keeps the width
        items.focus()
        items.highlighted = 2
        await pilot.press("space")
        assert items.selected == ["confidentiality", "duty-to-warn"]
        assert "X" in list_lines(app)[2]
        await pilot.press("up", "up", "space")
        assert items.selected == ["duty-to-warn"]
        assert "X" not in list_lines(app)[0]
