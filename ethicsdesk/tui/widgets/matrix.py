"""The weighing matrix: principles as rows, options as columns, a weight column first.

Every cell says its meaning in characters ("+2", "-1", "·" unscored, "*" a note), never by colour
alone, so it reads the same over a monochrome link or through a screen reader. The widget only
reports what the user asked for (messages); the screen saves it through the service and redraws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from ethicsdesk.domain.record import SCORE_MAX, SCORE_MIN, WEIGHT_MAX, WEIGHT_MIN

DIGIT_SCORES = {"1": -2, "2": -1, "3": 0, "4": 1, "5": 2}
WEIGHT_COLUMN = 0  # option columns start at 1
OPTION_WIDTH = 7  # 4 options + labels + weights fit the 57 columns left at 80x24


@dataclass(frozen=True)
class MatrixData:
    principles: list[tuple[str, str]]  # (id, name) in framework order
    options: list[tuple[str, str]]  # (key, label) in option order
    scores: dict[tuple[str, str], int]
    notes: dict[tuple[str, str], str]
    weights: dict[str, int]


def cell_text(score: int | None, noted: bool) -> Text:
    mark = "*" if noted else " "
    if score is None:
        return Text(f"  ·{mark}", style="dim")
    style = "bold green" if score > 0 else ("bold red" if score < 0 else "")
    return Text(f" {score:+d}{mark}" if score else f"  0{mark}", style=style)


def same_cell(shown: object, text: Text) -> bool:
    """Whether a cell already shows `text` (its characters and its style)."""
    return isinstance(shown, Text) and shown.plain == text.plain and str(shown.style) == str(text.style)


def changed_cells(old: MatrixData, new: MatrixData) -> list[tuple[str, str]]:
    """The cells (principle, column key: an option's, or "wt") that `new` draws otherwise than `old`,
    of two data of the same principles and options."""
    principles, options = {p for p, _ in new.principles}, {o for o, _ in new.options}
    cells = [(p, "wt") for p in principles if old.weights.get(p, 1) != new.weights.get(p, 1)]
    for o, p in old.scores.keys() | new.scores.keys() | old.notes.keys() | new.notes.keys():
        if o not in options or p not in principles:
            continue  # not drawn
        noted = bool(old.notes.get((o, p))), bool(new.notes.get((o, p)))
        if old.scores.get((o, p)) != new.scores.get((o, p)) or noted[0] != noted[1]:
            cells.append((p, o))
    return cells


class WeighingMatrix(DataTable[Text]):
    BINDINGS = [
        Binding("plus,equals_sign", "step(1)", "Raise", show=False),
        Binding("minus", "step(-1)", "Lower", show=False),
        Binding("x,delete,backspace", "clear", "Clear", show=False),
        Binding("enter", "note", "Note"),
        # Digits are bindings like the arrows, so that keys typed ahead keep their order: a key a
        # widget handles in on_key is acted on before a bound key typed earlier (bindings run when
        # the key has bubbled up to the app), so "down 3" typed quickly scored the row above.
        # What a digit means depends on the column (a score or a weight): see `_digit`.
        *(Binding(d, f"digit('{d}')", "Score, or weight in the wt column", show=False) for d in "0123456789"),
    ]
    HELP_NOTE = (
        "In the matrix, principles are rows and options columns. 1 2 3 4 5 score -2 -1 0 +1 +2: "
        "-2 strongly compromises, -1 compromises, 0 neutral, +1 upholds, +2 strongly upholds. In the "
        "wt column 0 1 2 3 say how much the principle matters here. ethicsdesk shows the figures; it "
        "never picks the answer for you."
    )
    DEFAULT_CSS = """
    WeighingMatrix { height: auto; max-height: 11; }
    """

    class ScoreChosen(Message):
        def __init__(self, option: str, principle: str, score: int | None) -> None:
            super().__init__()
            self.option, self.principle, self.score = option, principle, score

    class WeightChosen(Message):
        def __init__(self, principle: str, weight: int) -> None:
            super().__init__()
            self.principle, self.weight = principle, weight

    class NoteWanted(Message):
        def __init__(self, option: str, principle: str) -> None:
            super().__init__()
            self.option, self.principle = option, principle

    class Refused(Message):
        """A key that cannot be taken here; the screen says why, nothing is saved."""

        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=False, **kwargs)
        self.data: MatrixData | None = None
        self._shape: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())

    # --- drawing ---------------------------------------------------------------------------------
    def show(self, data: MatrixData) -> None:
        """Redraw from stored state, keeping the cursor where it was."""
        shape = (tuple(p for p, _ in data.principles), tuple(o for o, _ in data.options))
        shown, self.data = self.data, data
        if shape != self._shape or shown is None:
            keep = self.cursor_coordinate
            self.clear(columns=True)
            self.add_column(Text("wt"), key="wt", width=2)
            for n, (key, _label) in enumerate(data.options, 1):
                # the number only: labels cut to a column's width made two options look the same;
                # the pane prints the legend (number and whole label) beside the matrix
                self.add_column(Text(f"opt {n}"), key=key, width=OPTION_WIDTH)
            for pid, name in data.principles:
                self.add_row(*self._row(pid), key=pid, label=Text(name))
            self._shape = shape
            if self.row_count and self.columns:
                self.cursor_coordinate = Coordinate(
                    min(keep.row, self.row_count - 1), min(max(keep.column, 1), len(self.columns) - 1)
                )
            return
        # only the cells whose data differ from the data shown (a preview keeps that data as it draws):
        # after a preview, none does
        for pid, key in changed_cells(shown, data):
            value = self._cell(pid, key)
            if not same_cell(self.get_cell(pid, key), value):
                self.update_cell(pid, key, value)

    def preview(self, principle: str, option: str | None, value: int | None) -> None:
        """Show a score (or, with no option, a weight) at once, before the database has it: the save
        runs in a worker, and the redraw after it shows what was stored (a
        save that waited on the screen froze it while another process held the write lock)."""
        if self.data is None or principle not in self.data.weights:
            return
        if option is None:
            self.data.weights[principle] = value if value is not None else 1
            shown = Text(f"{self.data.weights[principle]:>2}")
        else:
            if value is None:
                self.data.scores.pop((option, principle), None)
            else:
                self.data.scores[(option, principle)] = value
            shown = cell_text(value, bool(self.data.notes.get((option, principle))))
        if not same_cell(self.get_cell(principle, option or "wt"), shown):
            self.update_cell(principle, option or "wt", shown)

    def update_cell(
        self, row_key: RowKey | str, column_key: ColumnKey | str, value: Text, *, update_width: bool = False
    ) -> None:
        """Change one cell and repaint its row only. DataTable's own `update_cell` counts an update
        that every cached render is keyed on, so a score press rendered all of the matrix's cells
        again (about two thirds of a press's CPU, bench/). Here only what the cell is in is
        forgotten: its cached renders, its row's renders and the lines (rebuilt from the cached rows).
        The cells keep their width (a column's width is fixed), so nothing is laid out again."""
        row = RowKey(row_key) if isinstance(row_key, str) else row_key
        column = ColumnKey(column_key) if isinstance(column_key, str) else column_key
        if update_width or row not in self._row_locations or column not in self._column_locations:
            super().update_cell(row_key, column_key, value, update_width=update_width)  # it also refuses
            return
        self._data[row][column] = value
        # Textual's LRUCache has no __iter__ (its keys() is the way through it), hence the noqa
        for cell in [k for k in self._cell_render_cache.keys() if k[0] == row and k[1] == column]:  # noqa: SIM118
            self._cell_render_cache.discard(cell)
        for line in [k for k in self._row_render_cache.keys() if k[0] == row]:  # noqa: SIM118
            self._row_render_cache.discard(line)
        index = self.get_row_index(row)
        self._row_renderable_cache.discard((self._update_count, index))
        self._line_cache.clear()
        self.refresh_row(index)

    def _row(self, pid: str) -> list[Text]:
        assert self.data is not None
        return [self._cell(pid, "wt"), *(self._cell(pid, key) for key, _ in self.data.options)]

    def _cell(self, pid: str, key: str) -> Text:
        """The cell of principle `pid` in column `key` (an option's, or "wt" for the weight)."""
        assert self.data is not None
        d = self.data
        if key == "wt":
            return Text(f"{d.weights.get(pid, 1):>2}")
        return cell_text(d.scores.get((key, pid)), bool(d.notes.get((key, pid))))

    # --- where the cursor is ---------------------------------------------------------------------
    def focused_principle(self) -> str | None:
        if self.data is None or not self.data.principles or self.row_count == 0:
            return None
        return self.data.principles[min(self.cursor_row, len(self.data.principles) - 1)][0]

    def focused_option(self) -> str | None:
        if self.data is None or self.cursor_column == WEIGHT_COLUMN or not self.data.options:
            return None
        return self.data.options[min(self.cursor_column - 1, len(self.data.options) - 1)][0]

    # --- keys ------------------------------------------------------------------------------------
    def action_digit(self, key: str) -> None:
        self._digit(key)

    def _digit(self, key: str) -> None:
        principle = self.focused_principle()
        if principle is None:
            return
        option = self.focused_option()
        if option is None:
            if key.isdigit() and WEIGHT_MIN <= int(key) <= WEIGHT_MAX:
                self.post_message(self.WeightChosen(principle, int(key)))
            else:
                self.post_message(self.Refused(f"A weight is {WEIGHT_MIN} to {WEIGHT_MAX}: type 0, 1, 2 or 3."))
            return
        if key in DIGIT_SCORES:
            self.post_message(self.ScoreChosen(option, principle, DIGIT_SCORES[key]))
        else:
            self.post_message(self.Refused("Scores are keys 1-5 (-2 … +2), or + and -; x clears the cell."))

    def action_step(self, delta: int) -> None:
        principle, option = self.focused_principle(), self.focused_option()
        if principle is None or self.data is None:
            return
        if option is None:
            weight = self.data.weights.get(principle, 1) + delta
            if WEIGHT_MIN <= weight <= WEIGHT_MAX:
                self.post_message(self.WeightChosen(principle, weight))
            else:
                self.post_message(self.Refused(f"A weight stays between {WEIGHT_MIN} and {WEIGHT_MAX}."))
            return
        current = self.data.scores.get((option, principle))
        score = (0 if current is None else current) + (delta if current is not None else 0)
        if SCORE_MIN <= score <= SCORE_MAX:
            self.post_message(self.ScoreChosen(option, principle, score))
        else:
            self.post_message(self.Refused(f"A score stays between {SCORE_MIN} and +{SCORE_MAX}."))

    def action_clear(self) -> None:
        principle, option = self.focused_principle(), self.focused_option()
        if principle is not None and option is not None:
            self.post_message(self.ScoreChosen(option, principle, None))

    def action_note(self) -> None:
        principle, option = self.focused_principle(), self.focused_option()
        if principle is not None and option is not None:
            self.post_message(self.NoteWanted(option, principle))
