"""The Options step's list after an option is changed: the option in hand keeps its highlight and
its '▶' mark, edit after edit, so the next key acts on the option the person sees marked."""

from __future__ import annotations

from textual.widgets import ListItem, ListView

from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.steps.options import OptionsPane
from tests.tui.harness import focused_id, in_walk, make_app, send_keys, wait_until


def highlighted_rows(listing: ListView) -> list[int]:
    return [i for i, item in enumerate(listing.query_children(ListItem).results()) if item.highlighted]


async def test_the_edited_option_keeps_its_highlight_edit_after_edit(service: Service, weighed_id: str) -> None:
    service.editing.save_cursor(weighed_id, "options", "option-list")
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await in_walk(pilot)
        listing = walk.query_one("#option-list", ListView)
        await pilot.press("down")
        await wait_until(pilot, lambda: highlighted_rows(listing) == [1], "the second option highlighted")
        for edit in (" (first edit)", " (second edit)"):
            await pilot.press("e")
            await wait_until(pilot, lambda: type(app.screen).__name__ == "OptionEditScreen", "the edit dialog")
            await pilot.press("end", *edit, "enter", "enter")
            await wait_until(pilot, lambda: app.screen is walk, "back on the step")
            await walk.settled()
            label = service.record(weighed_id).options[1].label
            assert label.endswith(edit)
            await wait_until(pilot, lambda: highlighted_rows(listing) == [listing.index], "the highlight redrawn")
            assert listing.index == 1
            marked = [str(row.render()) for row in walk.query("#option-list WrappedText").results()]
            assert marked[1].startswith("▶") and not marked[0].startswith("▶")


async def test_a_step_closed_while_its_list_is_redrawn_does_not_fail(service: Service, weighed_id: str) -> None:
    """The list is highlighted once its new rows have mounted; a step closed meanwhile (the walk left
    or the app quit at once after a change, as ctrl+q after an edit on a loaded machine) has no list
    left to highlight, and must not fail the app on its way out."""
    service.editing.save_cursor(weighed_id, "options", "option-list")
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await in_walk(pilot)
        pane = walk.query_one("#pane-options", OptionsPane)
        assert walk.view is not None
        pane.refresh_view(walk.view)  # a redraw, then the screen closing before its rows have mounted:
        await pane.query_one("#option-list", ListView).remove()  # children go first, the pane after
        await pilot.pause()
        assert walk.is_attached



async def test_words_typed_into_the_edit_dialog_add_to_the_label_and_never_replace_it(
    service: Service, weighed_id: str
) -> None:
    """Editing an option, a person types more words at once. The label must keep its text with the
    words after it: the input selected its whole text when it took the focus, so the first word typed
    replaced the label. The second edit is checked too."""
    service.editing.save_cursor(weighed_id, "options", "option-list")
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await in_walk(pilot)
        label = service.record(weighed_id).options[0].label
        for added in (" (first)", " (second)"):
            await pilot.press("e")
            await wait_until(pilot, lambda: focused_id(pilot) == "label", "the edit dialog's label focused")
            await send_keys(pilot, *added)
            await pilot.press("enter", "enter")
            await wait_until(pilot, lambda: app.screen is walk, "back on the step")
            await walk.settled()
            label += added
            assert service.record(weighed_id).options[0].label == label


async def test_words_typed_as_the_edit_dialog_opens_reach_its_label(service: Service, weighed_id: str) -> None:
    """A quick typist presses `e` and goes on typing before the dialog is drawn: the words must land
    in the label, not reach the list behind it, whose letters are its keys (`d` removes, `f` checks
    the floor, `e` edits). Twice, since the second opening is another dialog."""
    service.editing.save_cursor(weighed_id, "options", "option-list")
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await in_walk(pilot)
        label = service.record(weighed_id).options[0].label
        keys = [option.key for option in service.record(weighed_id).options]
        for added in (" (edited at once)", " (defer, fix, again)"):
            await send_keys(pilot, "e", "end", *added)  # no wait for the dialog between them
            await wait_until(pilot, lambda: focused_id(pilot) == "label", "the edit dialog's label focused")
            await pilot.press("enter", "enter")
            await wait_until(pilot, lambda: app.screen is walk, "back on the step")
            await walk.settled()
            label += added
            assert service.record(weighed_id).options[0].label == label
            assert [option.key for option in service.record(weighed_id).options] == keys
