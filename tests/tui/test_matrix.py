"""The weighing matrix (ethicsdesk/tui/widgets/matrix.py): alone in a small app, as Textual's own
tests do with a widget, then in the walk, where what it asks for is saved or refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.coordinate import Coordinate
from textual.message import Message

from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.widgets.matrix import MatrixData, WeighingMatrix
from tests.statements import counted_statements
from tests.tui.harness import focused_id, in_walk, make_app, notices, send_keys, wait_until

PRINCIPLES = [("autonomy", "Autonomy"), ("beneficence", "Beneficence"), ("justice", "Justice")]
OPTIONS = [("stay", "Stay"), ("home", "Go home")]


def sample_data(**changes: Any) -> MatrixData:
    data: dict[str, Any] = {
        "principles": PRINCIPLES,
        "options": OPTIONS,
        "scores": {("stay", "autonomy"): 2, ("home", "autonomy"): -2, ("stay", "beneficence"): 0},
        "notes": {("home", "autonomy"): "He would be alone at night."},
        "weights": {"autonomy": 3, "beneficence": 1, "justice": 0},
    }
    data.update(changes)
    return MatrixData(**data)


class MatrixApp(App[None]):
    """The matrix alone, keeping every message it posts."""

    def __init__(self, data: MatrixData) -> None:
        super().__init__()
        self.data = data
        self.posted: list[Message] = []

    def compose(self) -> ComposeResult:
        yield WeighingMatrix(id="matrix")

    def on_mount(self) -> None:
        matrix = self.query_one(WeighingMatrix)
        matrix.show(self.data)
        matrix.focus()

    def on_weighing_matrix_score_chosen(self, message: WeighingMatrix.ScoreChosen) -> None:
        self.posted.append(message)

    def on_weighing_matrix_weight_chosen(self, message: WeighingMatrix.WeightChosen) -> None:
        self.posted.append(message)

    def on_weighing_matrix_refused(self, message: WeighingMatrix.Refused) -> None:
        self.posted.append(message)

    def on_weighing_matrix_note_wanted(self, message: WeighingMatrix.NoteWanted) -> None:
        self.posted.append(message)


def described(messages: list[Message]) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for m in messages:
        if isinstance(m, WeighingMatrix.ScoreChosen):
            out.append(("score", m.option, m.principle, m.score))
        elif isinstance(m, WeighingMatrix.WeightChosen):
            out.append(("weight", m.principle, m.weight))
        elif isinstance(m, WeighingMatrix.NoteWanted):
            out.append(("note", m.option, m.principle))
        elif isinstance(m, WeighingMatrix.Refused):
            out.append(("refused", m.reason))
    return out


def cell(matrix: WeighingMatrix, row: int, column: int) -> str:
    value = matrix.get_cell_at(Coordinate(row, column))
    assert isinstance(value, Text)
    return value.plain


# --- the widget alone ------------------------------------------------------------------------------------
async def test_cells_say_their_score_in_characters_not_only_colour() -> None:
    app = MatrixApp(sample_data())
    async with app.run_test(size=(80, 24)):
        matrix = app.query_one(WeighingMatrix)
        # numbers, not labels cut to five letters (two options looked the same); the pane has the legend
        assert [str(c.label) for c in matrix.columns.values()] == ["wt", "opt 1", "opt 2"]
        assert [cell(matrix, 0, c) for c in range(3)] == [" 3", " +2 ", " -2*"]  # weight, score, noted score
        assert [cell(matrix, 1, c) for c in range(3)] == [" 1", "  0 ", "  · "]  # 0 is a score, · is none
        assert cell(matrix, 2, 0) == " 0"
        assert matrix.cursor_coordinate == Coordinate(0, 1)  # the first score, not the weight


async def test_digits_1_to_5_ask_for_scores_minus_2_to_plus_2() -> None:
    app = MatrixApp(sample_data())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1", "2", "3", "4", "5", "right", "down", "4")
        assert described(app.posted) == [
            ("score", "stay", "autonomy", -2),
            ("score", "stay", "autonomy", -1),
            ("score", "stay", "autonomy", 0),
            ("score", "stay", "autonomy", 1),
            ("score", "stay", "autonomy", 2),
            ("score", "home", "beneficence", 1),
        ]


async def test_digits_out_of_range_are_refused_and_change_nothing() -> None:
    data = sample_data()
    app = MatrixApp(data)
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = app.query_one(WeighingMatrix)
        await pilot.press("0", "6", "9")
        assert [kind for kind, *_ in described(app.posted)] == ["refused", "refused", "refused"]
        assert described(app.posted)[0] == (
            "refused",
            "Scores are keys 1-5 (-2 … +2), or + and -; x clears the cell.",
        )
        assert matrix.data == data
        assert cell(matrix, 0, 1) == " +2 "


async def test_plus_and_minus_step_a_score_and_stop_at_the_ends() -> None:
    app = MatrixApp(sample_data())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("plus")  # stay x autonomy is +2 already
        await pilot.press("right", "minus")  # home x autonomy is -2 already
        await pilot.press("down", "plus")  # home x beneficence is unscored: + starts it at 0
        await pilot.press("left", "minus")  # stay x beneficence 0 -> -1
        assert described(app.posted) == [
            ("refused", "A score stays between -2 and +2."),
            ("refused", "A score stays between -2 and +2."),
            ("score", "home", "beneficence", 0),
            ("score", "stay", "beneficence", -1),
        ]


async def test_the_weight_column_takes_0_to_3() -> None:
    app = MatrixApp(sample_data())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("left")
        assert app.query_one(WeighingMatrix).focused_option() is None
        await pilot.press("0", "3", "4", "9", "plus")  # autonomy's weight is 3
        await pilot.press("down", "minus", "down", "minus")  # beneficence 1 -> 0; justice is 0 already
        assert described(app.posted) == [
            ("weight", "autonomy", 0),
            ("weight", "autonomy", 3),
            ("refused", "A weight is 0 to 3: type 0, 1, 2 or 3."),
            ("refused", "A weight is 0 to 3: type 0, 1, 2 or 3."),
            ("refused", "A weight stays between 0 and 3."),
            ("weight", "beneficence", 0),
            ("refused", "A weight stays between 0 and 3."),
        ]


async def test_x_clears_and_enter_asks_for_a_note_only_in_a_score_cell() -> None:
    app = MatrixApp(sample_data())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x", "right", "enter")
        await pilot.press("left", "left", "x", "enter")  # the weight column: neither
        assert described(app.posted) == [
            ("score", "stay", "autonomy", None),
            ("note", "home", "autonomy"),
        ]


async def test_keys_typed_ahead_land_in_the_cell_the_cursor_was_on() -> None:
    """A burst of keys (typed while the app was busy saving, or bunched by an SSH link) is handled in
    the order typed: the digit after a down arrow scores the row below, not the row above."""
    app = MatrixApp(sample_data())
    async with app.run_test(size=(80, 24)) as pilot:
        await send_keys(pilot, "1", "down", "2", "right", "3", "down", "4", "left", "left", "2")
        assert described(app.posted) == [
            ("score", "stay", "autonomy", -2),
            ("score", "stay", "beneficence", -1),
            ("score", "home", "beneficence", 0),
            ("score", "home", "justice", 1),
            ("weight", "justice", 2),
        ]


async def test_a_redraw_keeps_the_cursor_and_shows_the_new_score() -> None:
    app = MatrixApp(sample_data())
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = app.query_one(WeighingMatrix)
        await pilot.press("down", "right")
        scores = dict(app.data.scores)
        scores[("home", "beneficence")] = -1
        matrix.show(sample_data(scores=scores))
        await pilot.pause()
        assert matrix.cursor_coordinate == Coordinate(1, 2)
        assert cell(matrix, 1, 2) == " -1 "


async def test_a_changed_cell_is_drawn_and_only_its_row_is_drawn_again() -> None:
    """The drawn lines (not only the table's data) show a cell's new score and weight; the other rows
    are not laid out from their cells again (Textual's caches keep them)."""
    app = MatrixApp(sample_data())
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = app.query_one(WeighingMatrix)
        await pilot.pause()
        drawn = [matrix.render_line(y).text for y in range(4)]  # the header, then a line a principle
        computed: list[int] = []
        compute = matrix._compute_row_renderables

        def counted(row_index: int) -> Any:
            computed.append(row_index)
            return compute(row_index)

        matrix._compute_row_renderables = counted  # type: ignore[method-assign]
        matrix.preview("beneficence", "home", 2)
        matrix.preview("justice", None, 2)
        await pilot.pause()
        after = [matrix.render_line(y).text for y in range(4)]
        assert after[:2] == drawn[:2]
        assert after[2] == drawn[2].replace("  · ", " +2 ") and after[2] != drawn[2]
        assert after[3] == drawn[3].replace(" 0", " 2", 1) and after[3] != drawn[3]
        assert sorted(set(computed)) == [1, 2]  # beneficence's and justice's rows, not autonomy's nor the header
        matrix.show(sample_data(scores={**app.data.scores, ("stay", "autonomy"): -1}))
        await pilot.pause()
        assert matrix.render_line(1).text == drawn[1].replace(" +2 ", " -1 ")
        # the score previewed is in the data shown (the preview wrote it there); the weight is back to 0
        assert [matrix.render_line(y).text for y in (2, 3)] == [after[2], drawn[3]]


async def test_a_redraw_changes_only_the_cells_whose_data_changed() -> None:
    """The redraw after a save compares the data with the data drawn: a score, a note's mark and a
    weight that changed are drawn again, no other cell is touched."""
    app = MatrixApp(sample_data())
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = app.query_one(WeighingMatrix)
        touched: list[tuple[str, str]] = []
        update = matrix.update_cell

        def counted(row_key: Any, column_key: Any, value: Text, *, update_width: bool = False) -> None:
            touched.append((str(row_key), str(column_key)))
            update(row_key, column_key, value, update_width=update_width)

        matrix.update_cell = counted  # type: ignore[method-assign]
        matrix.show(sample_data())  # the same data: nothing to draw
        assert touched == []
        scores = {**app.data.scores, ("home", "justice"): 1}
        notes = {**app.data.notes, ("stay", "beneficence"): "Asked twice."}
        matrix.show(sample_data(scores=scores, notes=notes, weights={**app.data.weights, "justice": 2}))
        await pilot.pause()
        assert sorted(touched) == [("beneficence", "stay"), ("justice", "home"), ("justice", "wt")]
        assert [cell(matrix, 2, c) for c in range(3)] == [" 2", "  · ", " +1 "]
        assert cell(matrix, 1, 1) == "  0*"


async def test_no_options_yet_means_no_score_cells() -> None:
    app = MatrixApp(sample_data(options=[], scores={}, notes={}))
    async with app.run_test(size=(80, 24)) as pilot:
        matrix = app.query_one(WeighingMatrix)
        assert len(matrix.columns) == 1
        await pilot.press("3", "enter", "x")
        assert described(app.posted) == [("weight", "autonomy", 3)]


# --- in the walk: saved through the service, or refused with nothing stored changed ----------------------
def _open_at_weigh(service: Service, record_id: str) -> Any:
    service.editing.save_cursor(record_id, "weigh", "matrix")
    return make_app(service, Start(record_id=record_id))


async def test_a_score_out_of_range_is_refused_in_place_and_nothing_stored_changes(
    service: Service, sample_id: str
) -> None:
    state = service.record(sample_id)
    first = state.options[0].key
    service.editing.score(sample_id, first, "autonomy", 2)
    service.editing.set_weight(sample_id, "autonomy", 3)
    before = service.record(sample_id)
    app = _open_at_weigh(service, sample_id)
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await in_walk(pilot)
        assert (walk.current, focused_id(pilot)) == ("weigh", "matrix")
        await pilot.press("7", "plus")  # out of range, and + at +2
        await pilot.press("left", "5", "plus")  # a weight of 5, and + at 3
        reasons = [n.message for n in notices(app, "warning")]
        assert reasons == [
            "Scores are keys 1-5 (-2 … +2), or + and -; x clears the cell.",
            "A score stays between -2 and +2.",
            "A weight is 0 to 3: type 0, 1, 2 or 3.",
            "A weight stays between 0 and 3.",
        ]
        after = service.record(sample_id)
        assert after.events == before.events
        assert after.scores == before.scores
        assert after.weights == before.weights
        assert walk.current == "weigh"


async def test_scores_and_weights_typed_in_the_walk_are_saved(service: Service, sample_id: str) -> None:
    before = service.record(sample_id)
    first, second = before.options[0].key, before.options[1].key
    assert before.scores[(second, "autonomy")] == 2
    assert (second, "beneficence") in before.scores
    app = _open_at_weigh(service, sample_id)
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await in_walk(pilot)
        await pilot.press("1", "right", "minus", "down", "x", "left", "left", "0")
        # each key's write runs on the writer's thread: read the record once all four have landed
        await walk.settled()
        state = service.record(sample_id)
        assert state.scores[(first, "autonomy")] == -2
        assert state.scores[(second, "autonomy")] == 1
        assert (second, "beneficence") not in state.scores
        assert state.events == before.events + 4
        assert state.weights.get("beneficence") == 0
        assert notices(app, "warning") == []
        assert notices(app, "error") == []


async def test_enter_writes_a_note_on_the_cell(service: Service, sample_id: str) -> None:
    first = service.record(sample_id).options[0].key
    service.editing.note(sample_id, first, "autonomy", "")
    app = _open_at_weigh(service, sample_id)
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await in_walk(pilot)
        await pilot.press("enter")
        assert type(app.screen).__name__ == "NoteScreen"
        await send_keys(pilot, *"His choice.")
        await pilot.press("ctrl+s")
        assert app.screen is walk
        await walk.settled()  # the note is written on the writer's thread
        assert service.record(sample_id).notes[(first, "autonomy")] == "His choice."
        assert walk.query_one(WeighingMatrix).get_cell_at(Coordinate(0, 1)).plain.endswith("*")


class _Counted:
    """Counts the layouts and the frames a screen draws, calling Textual's own methods each time."""

    def __init__(self, screen: Any) -> None:
        self.layouts = self.frames = 0
        layout, frame = screen._refresh_layout, screen._compositor_refresh

        def counted_layout(*args: Any, **kwargs: Any) -> None:
            self.layouts += 1
            layout(*args, **kwargs)

        def counted_frame() -> None:
            self.frames += 1
            frame()

        screen._refresh_layout, screen._compositor_refresh = counted_layout, counted_frame


def _drew_a_frame(counted: _Counted) -> Callable[[], bool]:
    return lambda: counted.frames >= 1


async def test_a_score_press_draws_one_frame_and_lays_nothing_out(service: Service, sample_id: str) -> None:
    """The cell and the totals are drawn in the frame of the key; the redraw after the save finds
    them drawn already, and no text of the pane changes its height, so nothing is laid out again."""
    first = service.record(sample_id).options[0].key
    service.editing.score(sample_id, first, "autonomy", 0)
    service.editing.set_weight(sample_id, "autonomy", 2)
    app = _open_at_weigh(service, sample_id)
    async with app.run_test(size=(80, 40)) as pilot:
        walk = await in_walk(pilot)
        await walk.settled()
        await pilot.pause()  # until the screen is idle: the opening's frames are drawn
        totals = walk.query_one("#totals")
        for key, score in (("plus", "+1"), ("plus", "+2"), ("minus", "+1")):
            before = str(totals.render())
            counted = _Counted(walk)
            await pilot.press(key)
            await walk.settled()
            # the key's frame, waited for (a fixed 0.1 s was a guess at a loaded machine's speed), then
            # the screen idle again: a second frame or a layout from the save would be counted by now
            await wait_until(pilot, _drew_a_frame(counted), f"the frame of {key}")
            await pilot.pause()
            assert (counted.layouts, counted.frames) == (0, 1), key
            assert cell(walk.query_one(WeighingMatrix), 0, 1).strip(" *") == score
            assert str(totals.render()) != before  # autonomy weighs 2: the option's total moved
        assert service.record(sample_id).scores[(first, "autonomy")] == 1


async def test_a_note_typed_as_its_window_opens_is_written_whole(service: Service, sample_id: str) -> None:
    """Enter on a cell, then the note typed at once, before its window is drawn: every letter must
    reach the note, none the matrix behind it, where `x` clears the cell's score and digits score it.
    Twice, on two cells, since the second window is another one; the second cell's note was
    written before, and the words go after it."""
    typed = (("", "Next visit: ask him 2 times."), ("Written before.", " Sixty-two, fixed income."))
    for key in [option.key for option in service.record(sample_id).options]:  # the cursor's first cells
        for column, (before, _) in zip(("autonomy", "beneficence"), typed, strict=True):
            service.editing.score(sample_id, key, column, 2)
            service.editing.note(sample_id, key, column, before)
    app = _open_at_weigh(service, sample_id)
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await in_walk(pilot)
        matrix = walk.query_one(WeighingMatrix)
        for row, (before, text) in enumerate(typed):
            if row:
                await pilot.press("down")
            option, principle = matrix.focused_option(), matrix.focused_principle()
            assert option is not None and principle == ("autonomy", "beneficence")[row]
            await send_keys(pilot, "enter", *text, "ctrl+s")  # no wait for the window between them
            await wait_until(pilot, lambda: app.screen is walk, "back on the step")
            await walk.settled()
            state = service.record(sample_id)
            assert state.notes[(option, principle)] == before + text  # a note written before goes first
            assert state.scores[(option, principle)] == 2


async def test_a_score_press_sends_its_save_and_reads_nothing_again(
    service: Service, sample_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A press is one write transaction of five statements: the lock, the record's head checked, the
    event, the record's row and the one cell. The walk redraws from the state it holds and what it
    wrote, without reading the record, and analyses the matrix once (for the preview; the saved
    state's is the same)."""
    from ethicsdesk.domain import analysis

    analysed: list[object] = []
    analyse = analysis.analyse_record

    def counted(*args: Any) -> Any:
        analysed.append(args[0])
        return analyse(*args)

    monkeypatch.setattr(analysis, "analyse_record", counted)

    first = service.record(sample_id).options[0].key
    service.editing.score(sample_id, first, "autonomy", 0)
    app = _open_at_weigh(service, sample_id)

    async with app.run_test(size=(80, 40)) as pilot:
        walk = await in_walk(pilot)
        await pilot.press("plus")  # the walk's first write: its connection's busy timeout is set off
        await walk.settled()
        await pilot.pause()
        with counted_statements(service.db.engine) as sent:
            analysed.clear()
            for key in ("minus", "plus", "minus"):  # the second and third each right after the one before
                await pilot.press(key)
            await walk.settled()
            await pilot.pause()
    # the write lock, the head, the event, the record's row, the cell; the connection's busy timeout
    # was set off by the walk's earlier writes and stays off from one write to the next (store/dbapi.py)
    one_press = [
        "BEGIN IMMEDIATE",
        "SELECT head_hash, event_count",
        "INSERT INTO events",
        "UPDATE records SET",
        "INSERT INTO cells",
    ]
    assert [" ".join(statement.split()[:3]) for statement in sent] == one_press * 3
    assert len(analysed) == 3
    assert service.record(sample_id).scores[(first, "autonomy")] == 0
    assert [e.type for e in service.history(sample_id)[-4:]] == ["cell.scored"] * 4


def test_the_analysis_made_once_for_the_same_matrix_is_made_again_for_another(service: Service, sample_id: str) -> None:
    from dataclasses import replace

    from ethicsdesk.domain.analysis import analyse_record
    from ethicsdesk.tui.steps.host import analysis_of

    state = service.record(sample_id)
    framework, catalogue = service.framework_of(state), service.catalogue()
    first = analysis_of(state, framework, catalogue)
    assert analysis_of(replace(state), framework, catalogue) is first  # the same inputs: made once
    key = state.options[0].key
    for changed in (
        replace(
            state, scores={**state.scores, (key, "autonomy"): -2 if state.scores.get((key, "autonomy")) != -2 else 2}
        ),
        replace(state, weights={**state.weights, "autonomy": 0 if state.weight("autonomy") else 3}),
    ):
        again = analysis_of(changed, framework, catalogue)
        assert again == analyse_record(changed, framework, catalogue) and again.totals != first.totals
