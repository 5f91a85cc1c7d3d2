"""Keys on the walk at 80x24, as a person presses them: a burst of typing lands in the field it was
meant for; the walk's ctrl keys are not eaten by a text box; the highlighted option is marked; the
help and the footer read whole; the addendum window asks before it throws typed text away."""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget
from textual.widgets import Input, Static, TextArea

from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.addendum import AddendumScreen
from ethicsdesk.tui.screens.confirm import ConfirmScreen
from ethicsdesk.tui.screens.export import ExportScreen
from ethicsdesk.tui.screens.help import HelpScreen
from ethicsdesk.tui.screens.new_record import NewRecordScreen
from ethicsdesk.tui.screens.option_edit import OptionEditScreen
from ethicsdesk.tui.widgets.keys_footer import KeysFooter
from tests.tui.harness import at_home, focused_id, in_walk, make_app, notices, send_keys, type_text, wait_until

SIZE = (80, 24)


async def test_a_burst_of_title_tab_description_lands_in_two_fields(service: Service, weighed_id: str) -> None:
    service.editing.save_cursor(weighed_id, "options", "option-list")
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=SIZE) as pilot:
        await in_walk(pilot)
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, OptionEditScreen), "the option window")
        await pilot.pause()
        # no pause between the keys: the tab is queued behind the title's characters
        await send_keys(pilot, *"Respite week", "tab", *"Seven nights in the care home")
        assert app.screen.query_one("#label", Input).value == "Respite week"
        assert app.screen.query_one("#description", Input).value == "Seven nights in the care home"
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(service.record(weighed_id).options) == 3, "the option saved")
    added = service.record(weighed_id).options[-1]
    assert (added.label, added.description) == ("Respite week", "Seven nights in the care home")


async def test_the_option_that_keys_act_on_is_marked(service: Service, weighed_id: str) -> None:
    service.editing.save_cursor(weighed_id, "options", "option-list")
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        pane = walk.query_one("#pane-options")

        def rows() -> list[str]:
            return [str(s.render()) for s in pane.query("#option-list Static").results()]

        await wait_until(pilot, lambda: rows() and rows()[0].startswith("▶"), "the first option marked")
        await pilot.press("down")
        await wait_until(pilot, lambda: rows()[1].startswith("▶"), "the mark moved down")
        assert not rows()[0].startswith("▶")


async def test_ctrl_d_in_a_text_box_asks_for_the_debrief_and_deletes_nothing(service: Service) -> None:
    app = make_app(service, Start(train="discharge-against-advice"))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        await walk.go_to("decide", focus="f-rationale")
        await wait_until(pilot, lambda: focused_id(pilot) == "f-rationale", "the rationale focused")
        await type_text(pilot, "abc")
        await pilot.press("left", "ctrl+d")
        await pilot.pause()
        assert walk.query_one("#f-rationale", TextArea).text == "abc"
        assert any("debrief" in n.message for n in notices(app, "warning"))


async def test_ctrl_e_in_a_text_box_opens_the_export_window(service: Service, weighed_id: str) -> None:
    service.editing.save_cursor(weighed_id, "situation", "f-text-facts")
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=SIZE) as pilot:
        await in_walk(pilot)
        assert focused_id(pilot) == "f-text-facts"
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the export window")


async def test_f1_help_is_whole_in_the_footer_of_the_busiest_step(service: Service, weighed_id: str) -> None:
    service.editing.save_cursor(weighed_id, "options", "option-list")
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        footer = walk.query_one(KeysFooter)

        def help_keys() -> list[Widget]:
            return [k for k in footer.children if getattr(k, "action", "") == "help"]

        await wait_until(pilot, lambda: help_keys() and help_keys()[0].region.width > 0, "the help key drawn")
        region = help_keys()[0].region
        assert region.width >= len("f1 Help") and region.right <= SIZE[0]
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        text = str(app.screen.query_one(Static).render())
        lines = text.splitlines()
        assert "  [               Up" in lines and "  ]               Down" in lines  # "[" once read as markup
        # the key lines fit the window at 80 columns (72 inside it); the notes below them wrap
        assert max(len(line) for line in lines[: lines.index("Everywhere")]) <= 72


async def test_escape_in_the_addendum_window_asks_before_discarding(service: Service, signed_id: str) -> None:
    app = make_app(service, Start(record_id=signed_id))
    async with app.run_test(size=SIZE) as pilot:
        await in_walk(pilot)
        await pilot.press("ctrl+a")
        await wait_until(pilot, lambda: isinstance(app.screen, AddendumScreen), "the addendum window")
        window = app.screen
        window.query_one("#text", TextArea).focus()
        await pilot.pause()
        await type_text(pilot, "He went home on Friday.")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "a question first")
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is window, "back in the window")
        assert window.query_one("#text", TextArea).text == "He went home on Friday."
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "asked again")
        await pilot.press("y")
        await wait_until(pilot, lambda: not isinstance(app.screen, (AddendumScreen, ConfirmScreen)), "closed")
    assert service.record(signed_id).addenda == []


async def test_the_export_window_says_format_and_full_path_before_and_after(
    service: Service, weighed_id: str, tmp_path: Path, isolated_home: Path
) -> None:
    (isolated_home / "config.toml").write_text(f'export_folder = "{tmp_path}"\n')
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=SIZE) as pilot:
        await in_walk(pilot)
        await pilot.press("ctrl+e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), "the export window")
        window = app.screen

        def target() -> str:
            return str(window.query_one("#export-target", Static).render())

        expected = tmp_path / f"ethicsdesk-{weighed_id}.md"
        await pilot.press("tab")  # HTML to Markdown
        await wait_until(pilot, lambda: "Markdown" in target(), "Markdown named as the one enter writes")
        assert str(expected) in target()
        await pilot.press("enter")
        await wait_until(pilot, lambda: expected.exists(), "the Markdown file written")
        result = str(window.query_one("#export-result", Static).render())
        assert f"Wrote Markdown to {expected}" in result


async def test_a_burst_of_title_tab_case_code_in_the_new_record_window(service: Service) -> None:
    """Found in tmux: the case code typed right after tab ended up at the end of the title."""
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await at_home(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, NewRecordScreen) and app.focused is not None, "window")
        await send_keys(pilot, *"Keeps a fall from her daughter", "tab", *"C-88")
        await pilot.press("enter")
        await wait_until(pilot, lambda: service.list_records(), "the record made")
    (made,) = service.list_records()
    assert (made.title, made.case_code) == ("Keeps a fall from her daughter", "C-88")
