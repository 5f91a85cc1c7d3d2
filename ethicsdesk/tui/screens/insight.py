"""The agency's view from home (`i`): the figures of `ethicsdesk insight` with bar charts drawn in the
terminal (textual-plotext), and the months as a table. Counts only; a count under 5 reads "<5", and
its bar is drawn as long as four would be, with "<5" in its label (reporting/insight_report.py does
the same in the HTML).
"""

from __future__ import annotations

from typing import Any, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static
from textual_plotext import PlotextPlot

from ethicsdesk.tui.app_face import AppFace
from ethicsdesk.tui.widgets.keys_footer import KeysFooter

SUPPRESSED_AS = 4  # the length of a "<5" bar: at most that, never the count

MONTH_COLUMNS = ("Month", "Opened", "Asked", "Answered", "Median h", "90th pct h")


def bars(items: list[tuple[str, int | str]]) -> tuple[list[str], list[int]]:
    """Labels and lengths of a bar chart: a "<5" count is a bar of SUPPRESSED_AS labelled "<5"."""
    labels = [f"{label} (<5)" if isinstance(value, str) else label for label, value in items]
    return labels, [SUPPRESSED_AS if isinstance(value, str) else value for _, value in items]


def _hours(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


class InsightScreen(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]
    DEFAULT_CSS = """
    InsightScreen #summary { padding: 0 1; height: auto; }
    InsightScreen #charts { height: 16; }
    InsightScreen PlotextPlot { width: 1fr; }
    InsightScreen DataTable { height: auto; max-height: 14; }
    """

    def __init__(self, figures: dict[str, Any]) -> None:
        super().__init__()
        self.figures = figures

    @property
    def face(self) -> AppFace:
        return cast("AppFace", self.app)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(self._summary(), id="summary", markup=False)
            with Horizontal(id="charts"):
                yield PlotextPlot(id="opened")
                yield PlotextPlot(id="answers")
            yield DataTable(id="months", cursor_type="row", zebra_stripes=True)
        yield KeysFooter()

    def _summary(self) -> str:
        f = self.figures
        whose = "every case manager's records" if f["scope"] == "everyone" else "your own records"
        ages = ", ".join(f"{band} {n}" for band, n in f["open_requests_by_age"].items())
        named = ", ".join(f"{o['name']} {o['records']}" for o in f["obligations"][:5]) or "none"
        levels = ", ".join(f"level {n} {v}" for n, v in f["rating_levels"].items())
        return (
            f"As of {f['as_of']}: {whose}. Counts under 5 read <5.\n"
            f"Follow-ups overdue: {f['follow_ups_overdue']}. Open requests by age: {ages}.\n"
            f"Named most: {named}.\n"
            f"Rationales rated: {levels} (3 and 4 are acceptable)."
        )

    def on_mount(self) -> None:
        self.sub_title = "the agency's ethics work"
        months = self.figures["months"]
        self._chart("opened", "Records opened, by month", [(m["month"], m["records_opened"]) for m in months])
        names = {"concur": "concur", "concur-with-changes": "with changes", "do-not-concur": "do not concur"}
        self._chart("answers", "Answers", [(names[k], v) for k, v in self.figures["answers"].items()])
        table = self.query_one(DataTable)
        table.add_columns(*MONTH_COLUMNS)
        for m in months:
            table.add_row(
                m["month"],
                str(m["records_opened"]),
                str(m["consultations_requested"]),
                str(m["consultations_answered"]),
                _hours(m["answer_hours_median"]),
                _hours(m["answer_hours_p90"]),
            )

    def _chart(self, widget_id: str, title: str, items: list[tuple[str, int | str]]) -> None:
        plt = self.query_one(f"#{widget_id}", PlotextPlot).plt
        plt.title(title)
        labels, lengths = bars(items)
        if labels:
            plt.bar(labels, lengths)
