"""Marked toggles (ethicsdesk/tui/widgets/marked_toggles.py): the state is a character, drawn only
when the toggle is on, so it reads the same without colour."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import RadioSet
from textual.widgets.selection_list import Selection

from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start
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


async def test_the_duty_list_says_how_many_duties_are_out_of_view_at_80x24(
    service: Service, situated_id: str
) -> None:
    """It showed 16 of 27 duties and nothing said that more followed; its bottom edge now counts the
    duties below (and above, once scrolled), and the counts with what is in view make every duty."""
    from tests.tui.harness import in_walk, make_app

    service.editing.save_cursor(situated_id, "obligations", "obligation-list")
    app = make_app(service, Start(record_id=situated_id))
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await in_walk(pilot)
        duties = walk.query_one("#obligation-list", MarkedSelectionList)
        total = duties.option_count
        shown = duties.scrollable_content_region.height
        assert 0 < shown < total  # the case: not every duty fits at 80x24
        await pilot.pause()
        assert duties.border_subtitle == f"↓ {total - shown} more below"
        duties.focus()
        await pilot.press("end")
        await pilot.pause()
        assert duties.border_subtitle == f"↑ {total - shown} more above"
        await pilot.press("home", *["down"] * (shown + 2))
        await pilot.pause()
        above = round(duties.scroll_y)
        assert above > 0 and duties.border_subtitle == f"↑ {above} more above · ↓ {total - shown - above} more below"
