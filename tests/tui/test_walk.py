"""The walk (ethicsdesk/tui/screens/walk.py and the step panes), driven by the keyboard at 80x24.

What is asserted is what the database holds afterwards, read back through the service: the screen
can show a value that was never saved, the database cannot.
"""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widgets import DataTable, Static

from ethicsdesk.service import Service
from ethicsdesk.tui import autosave
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.widgets.fields import FieldText
from tests.conftest import DILEMMAS
from tests.tui.harness import (
    at_home,
    autosaved,
    focused_id,
    in_walk,
    make_app,
    notices,
    send_keys,
    type_text,
    wait_until,
)

SIZE = (80, 24)


# --- a whole dilemma, from an empty database to a decided record ---------------------------------------
@pytest.mark.slow
async def test_a_whole_dilemma_from_an_empty_database_to_a_decided_record(service: Service) -> None:
    app = make_app(service)
    principles = service.framework().ids
    first_duty = service.catalogue().obligations[0].id
    async with app.run_test(size=SIZE) as pilot:
        home = await at_home(pilot)
        assert service.list_records() == []

        # home: n starts a record; a title and a case code, enter after each
        await pilot.press("n")
        await type_text(pilot, "Wants to go home")
        await pilot.press("enter")
        await type_text(pilot, "C-9")
        await pilot.press("enter")
        walk = await in_walk(pilot)
        (summary,) = service.list_records()
        rid = summary.id
        assert walk.record_id == rid
        assert (walk.current, focused_id(pilot)) == ("situation", "f-text-facts")

        # 1 Situation: the facts, then (shift+tab, back round the focus chain) the ethics question
        await type_text(pilot, "Lives alone.")
        # back past the danger question, the step list, round the chain past the case code and the title
        await pilot.press("shift+tab", "shift+tab", "shift+tab", "shift+tab", "shift+tab", "shift+tab")
        assert focused_id(pilot) == "f-question"
        await type_text(pilot, "Given his capacity, is it justifiable to support the return home?")
        await pilot.press("ctrl+n")

        # 2 Obligations: space ticks the highlighted duty
        assert walk.current == "obligations"
        await pilot.press("space")
        await pilot.press("ctrl+n")

        # 3 Options: a adds one (label, enter, description, enter)
        assert walk.current == "options"
        await pilot.press("a")
        await type_text(pilot, "Status quo")
        await pilot.press("enter", "enter", "a")
        await type_text(pilot, "Home with help")
        await pilot.press("enter", "enter")
        await pilot.press("ctrl+n")

        # 4 Weigh: every cell, snaking down the two option columns (5 = +2, 4 = +1, 2 = -1, 1 = -2)
        assert walk.current == "weigh"
        assert focused_id(pilot) == "matrix"
        keys: list[str] = []
        for row in range(len(principles)):
            keys += ["2", "right", "5"] if row % 2 == 0 else ["4", "left", "1"]
            if row < len(principles) - 1:
                keys.append("down")
        await send_keys(pilot, *keys)
        await pilot.press("ctrl+n")

        # 5 Decide: open the choice (enter), the second option, then the rationale
        assert walk.current == "decide", (notices(app), service.record(rid).scores)
        assert focused_id(pilot) == "chosen"
        await pilot.press("enter", "down", "down", "enter")
        await pilot.press("tab")
        assert focused_id(pilot) == "f-rationale"
        await type_text(pilot, "Least harm; he keeps his home.")
        await pilot.press("tab")  # leaving the field saves it

        state = service.record(rid)
        assert state.title == "Wants to go home"
        assert state.case_code == "C-9"
        assert state.text["facts"] == "Lives alone."
        assert state.text["question"] == "Given his capacity, is it justifiable to support the return home?"
        assert state.obligations == [first_duty]
        assert [(o.key, o.label) for o in state.options] == [
            ("status-quo", "Status quo"),
            ("home-with-help", "Home with help"),
        ]
        expected: dict[tuple[str, str], int] = {}
        for row, p in enumerate(principles):
            expected[("status-quo", p)] = -1 if row % 2 == 0 else -2
            expected[("home-with-help", p)] = 2 if row % 2 == 0 else 1
        assert state.scores == expected
        assert state.decision["chosen"] == "home-with-help"
        assert state.decision["rationale"] == "Least harm; he keeps his home."
        assert state.status == "decided"
        assert service.list_records()[0].status == "decided"
        checked, problems = service.integrity.verify(rid)
        assert (checked, problems) == (1, [])

        # and home lists it as decided
        await pilot.press("escape")
        assert app.screen is home
        await pilot.pause()
        assert home.query_one(DataTable).get_row_at(0)[2] == "decided"


async def test_start_new_opens_the_new_record_dialog_and_then_the_walk(service: Service) -> None:
    app = make_app(service, Start(new=True))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: type(app.screen).__name__ == "NewRecordScreen", "the new-record dialog")
        await type_text(pilot, "Gift")
        await pilot.press("enter", "enter")
        walk = await in_walk(pilot)
        assert service.record(walk.record_id).title == "Gift"
        assert service.record(walk.record_id).created_by == "Robin Ashdown"


async def test_options_added_during_the_walk_can_be_chosen_on_decide(service: Service, weighed_id: str) -> None:
    service.editing.save_cursor(weighed_id, "options", "option-list")
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        await pilot.press("a")
        await type_text(pilot, "Respite first")
        await pilot.press("enter", "enter")
        await walk.settled()  # the option is added on the writer's thread
        service_keys = [o.key for o in service.record(weighed_id).options]
        assert service_keys[-1] == "respite-first"
        await walk.go_to("decide")  # the new option is unscored, so ctrl+n would (rightly) stop at Weigh
        await pilot.pause()
        assert focused_id(pilot) == "chosen"
        await pilot.press("enter", "down", "down", "down", "enter")  # past the prompt and two options
        await walk.settled()
        assert service.record(weighed_id).decision["chosen"] == "respite-first"


# --- a legal floor stays in view ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("step", "banner_id", "headline"),
    [
        # the threat sample ticks no code rule: nothing in it is falsified
        ("obligations", "#floor-banner", "FLOOR (legal, safety) — weighing cannot override these duties."),
        ("weigh", "#weigh-rules", "Duty to warn or protect (legal floor) and Imminent risk of harm (safety floor)"),
    ],
)
async def test_a_legal_floor_stays_in_view_when_the_step_opens_at_80x24(
    service: Service, step: str, banner_id: str, headline: str
) -> None:
    """Opening the step focuses its list or matrix; that must not scroll the legal floor off screen."""
    (rid,) = service.importing.import_files([DILEMMAS / "threat-to-third-party.toml"])
    service.editing.save_cursor(rid, step, "")
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        assert walk.current == step
        banner = walk.query_one(banner_id)
        shown = [str(w.render()) for w in (banner, *banner.query(Static))]
        assert any(text.startswith(headline) for text in shown)
        first_line = Region(banner.region.x, banner.region.y + 1, banner.region.width, 1)  # below the border
        assert walk.query_one(f"#pane-{step}").region.contains_region(first_line)
        under, _ = walk.get_widget_at(first_line.x + 2, first_line.y)
        assert under is banner or banner in under.ancestors


# --- saving as you type ------------------------------------------------------------------------------
async def test_text_is_saved_after_a_pause_without_leaving_the_field(
    service: Service, situated_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(autosave, "DELAY", 0.05)
    app = make_app(service, Start(record_id=situated_id))
    async with app.run_test(size=SIZE) as pilot:
        await in_walk(pilot)
        await pilot.press("end")
        await type_text(pilot, " More.")
        assert focused_id(pilot) == "f-text-facts"
        want = "Mr K. is 84 and wants to go home. More."
        await wait_until(pilot, lambda: service.record(situated_id).text["facts"] == want, "the pause saved the text")
        assert focused_id(pilot) == "f-text-facts"


async def test_quitting_at_once_keeps_what_was_typed(service: Service, situated_id: str) -> None:
    app = make_app(service, Start(record_id=situated_id))
    async with app.run_test(size=SIZE) as pilot:
        await in_walk(pilot)
        await pilot.press("tab")  # the assumptions field
        await type_text(pilot, "Not checked")
        await pilot.press("ctrl+q")
    assert service.record(situated_id).text["assumptions"] == "Not checked"


# --- resuming where the user left off -------------------------------------------------------------------
async def test_reopening_returns_to_the_step_and_field_where_the_user_left_off(
    service: Service, weighed_id: str
) -> None:
    assert service.cursor(weighed_id) is None
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        assert (walk.current, focused_id(pilot)) == ("situation", "f-text-facts")
        await pilot.press("ctrl+n", "ctrl+n", "ctrl+n", "ctrl+n")
        # the step's first field takes the focus after the step is drawn: a tab before that moved
        # from the field left behind (a loaded machine)
        await wait_until(pilot, lambda: focused_id(pilot) == "chosen", "the choice focused on Decide")
        await pilot.press("tab")
        assert (walk.current, focused_id(pilot)) == ("decide", "f-rationale")
        await type_text(pilot, "Partly")
        await pilot.press("escape")  # back to the records, half-way through the rationale

        home = await at_home(pilot)
        assert service.cursor(weighed_id) == ("decide", "f-rationale")
        assert service.record(weighed_id).decision["rationale"] == "Partly"
        await pilot.press("enter")  # the highlighted (only) record
        again = await in_walk(pilot)
        assert again is not walk
        assert (again.current, focused_id(pilot)) == ("decide", "f-rationale")
        assert again.query_one("#f-rationale", FieldText).text == "Partly"
        assert home.is_attached

    # a new session (a new process, as after a dropped SSH link) resumes there too
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        assert (walk.current, focused_id(pilot)) == ("decide", "f-rationale")


async def test_each_step_moved_to_is_remembered(service: Service, weighed_id: str) -> None:
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        await pilot.press("ctrl+n", "ctrl+n")
        assert walk.current == "options"
        await walk.settled()  # the cursor is saved by the writer, in its own thread
        assert service.cursor(weighed_id) == ("options", "option-list")
        await pilot.press("ctrl+n")
        await walk.settled()
        assert service.cursor(weighed_id) == ("weigh", "matrix")
        await pilot.press("ctrl+b")
        await walk.settled()
        assert service.cursor(weighed_id) == ("options", "option-list")


# --- bad input ------------------------------------------------------------------------------------------
async def test_empty_required_fields_block_the_next_step_and_say_what_is_missing(service: Service) -> None:
    rid = service.editing.create_record("Only a title")
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        await pilot.press("ctrl+n")
        assert walk.current == "situation"
        (warning,) = notices(app, "warning")
        # the walk's own findings (domain.checks), the same sentences as the Decide box and the report
        assert warning.message == (
            'Before moving on: No facts are recorded. There is no ethics question ("Given ..., is it '
            'ethically justifiable to ...?").'
        )
        assert warning.title == "Not yet"

        await type_text(pilot, "Known")
        await pilot.press("ctrl+n")
        assert walk.current == "situation"
        assert notices(app, "warning")[-1].message == (
            'Before moving on: There is no ethics question ("Given ..., is it ethically justifiable to ...?").'
        )
        assert service.record(rid).text["facts"] == "Known"  # what was typed was saved on the way

        # back past the danger question, the step list, round the chain past the case code and the title
        await pilot.press("shift+tab", "shift+tab", "shift+tab", "shift+tab", "shift+tab", "shift+tab")
        assert focused_id(pilot) == "f-question"
        await type_text(pilot, "Is it ok?")
        await pilot.press("ctrl+n")
        assert walk.current == "obligations"
        assert len(notices(app, "warning")) == 2


async def test_fewer_than_two_options_block_the_weighing(service: Service, situated_id: str) -> None:
    service.editing.add_option(situated_id, "Status quo")
    service.editing.save_cursor(situated_id, "options", "option-list")
    app = make_app(service, Start(record_id=situated_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        assert walk.current == "options"
        await pilot.press("ctrl+n")
        assert walk.current == "options"
        assert notices(app, "warning")[-1].message == (
            "Before moving on: The record has 1 option(s); a dilemma needs at least two, including the status quo."
        )
        await pilot.press("a", "enter", "enter")  # an option without a label is refused in its dialog
        assert "An option needs a label." in str(app.screen.query_one("#error").render())
        await pilot.press("escape")
        assert len(service.record(situated_id).options) == 1


async def test_unscored_cells_block_the_decision(service: Service, situated_id: str) -> None:
    service.editing.add_option(situated_id, "Status quo")
    service.editing.add_option(situated_id, "Return home")
    service.editing.save_cursor(situated_id, "weigh", "matrix")
    app = make_app(service, Start(record_id=situated_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        await pilot.press("5")
        await pilot.press("ctrl+n")
        assert walk.current == "weigh"
        assert notices(app, "warning")[-1].message == (
            "Before moving on: Status quo has no score on Beneficence, Equity, Fidelity, Justice, Nonmaleficence"
            " and Veracity. Return home has not been scored."
        )


async def test_an_emptied_title_is_refused_and_the_stored_title_stays(service: Service, situated_id: str) -> None:
    app = make_app(service, Start(record_id=situated_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        # back from the facts past the danger question and round the chain to the title, last on the step
        await pilot.press("shift+tab", "shift+tab", "shift+tab", "shift+tab", "shift+tab")
        assert focused_id(pilot) == "f-title"
        await pilot.press("home", "ctrl+k", "tab")
        await autosaved(pilot, walk)  # the refusal comes back from the writer's thread
        (error,) = notices(app, "error")
        assert error.message == "A record needs a title."
        assert service.record(situated_id).title == "Refuses the care home"


# --- the decide step's justification answers -------------------------------------------------------------
async def test_justification_answers_show_save_and_survive_closing_the_walk(service: Service) -> None:
    """An imported reference's justification answers fill the decide step's fields (they were blanked,
    and leaving the walk crashed, while those fields carried the bare answers key); typing saves."""
    from ethicsdesk.tui.widgets.fields import FieldText

    (rid,) = service.importing.import_files([DILEMMAS / "discharge-against-advice.toml"])
    imported = service.record(rid).answers["justify:nonmaleficence:good-reason"]
    service.editing.save_cursor(rid, "decide", "")
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        assert walk.current == "decide"
        field = next(
            f for f in walk.query(FieldText).results() if f.save_key.endswith("justify:nonmaleficence:good-reason")
        )
        await wait_until(pilot, lambda: field.text == imported, "the imported answer shown")
        field.focus()
        field.move_cursor(field.document.end)
        await type_text(pilot, " Checked.")
        await pilot.press("ctrl+q")
    assert service.record(rid).answers["justify:nonmaleficence:good-reason"] == imported + " Checked."


async def test_a_justification_answer_wraps_over_lines_in_view_at_80x24(service: Service) -> None:
    """A one-line input showed only the tail of a sentence; the answer now wraps in a box of a few
    lines, the whole of a two-sentence answer in view, and saves as before (tab moves on)."""
    from ethicsdesk.tui.widgets.fields import FieldText

    (rid,) = service.importing.import_files([DILEMMAS / "discharge-against-advice.toml"])
    key = "justify:nonmaleficence:good-reason"
    service.editing.answer(rid, key, "")
    service.editing.save_cursor(rid, "decide", "")
    answer = "His stated wish to go home outweighs the risk of a fall, which the safety plan keeps small. He agreed."
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        field = next(f for f in walk.query(FieldText).results() if f.save_key == f"answer:{key}")
        field.focus()
        await pilot.pause()
        await type_text(pilot, answer)
        await pilot.press("tab")  # leaves the box, as from a one-line input, and saves it
        await wait_until(pilot, lambda: service.record(rid).answers.get(key) == answer, "the answer saved")
        assert field.soft_wrap and field.content_region.height >= 3
        assert field.wrapped_document.height >= 2  # wrapped over lines, none scrolled out sideways
        assert field.wrapped_document.height <= field.content_region.height  # all of it in view
        assert field.scroll_offset.x == 0


async def test_a_step_is_composed_when_first_shown_and_filled_from_the_record(service: Service, sample_id: str) -> None:
    """Opening composes only the step the record opens at; going back composes the step before, its
    fields filled from the record as every step's were, and the focus in it."""
    from ethicsdesk.tui.steps.base import StepPane
    from ethicsdesk.tui.widgets.fields import FieldInput

    service.editing.save_cursor(sample_id, "obligations", "")
    title = service.record(sample_id).title
    app = make_app(service, Start(record_id=sample_id))
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await in_walk(pilot)
        assert [p.step for p in walk.query(StepPane)] == ["obligations"]
        await pilot.press("ctrl+b")
        await wait_until(pilot, lambda: focused_id(pilot) == "f-text-facts", "the facts focused on the first step")
        assert walk.current == "situation"
        assert sorted(p.step for p in walk.query(StepPane)) == ["obligations", "situation"]
        assert walk.query_one("#f-title", FieldInput).value == title
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: walk.current == "obligations", "back on the second step")
        assert len(walk.query(StepPane)) == 2  # shown before: switched to, not composed again
