"""Step 4, Weigh: the matrix, live weighted totals with a bar each, the focused principle's meaning,
and what the analysis sees (tensions, robustness). It shows figures; it never picks the answer."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from ethicsdesk.domain.analysis import Analysis
from ethicsdesk.domain.record import RecordState
from ethicsdesk.tui.steps.base import StepPane, WalkView
from ethicsdesk.tui.steps.host import analysis_of
from ethicsdesk.tui.widgets.matrix import MatrixData, WeighingMatrix
from ethicsdesk.tui.widgets.steady_text import SteadyStatic, show_text
from ethicsdesk.tui.widgets.wrapped_text import WrappedText

BAR = 14
FINDING_LINES = 7  # the findings' height (CSS below): two tensions, the robustness, the ranked view


def total_lines(options: list[tuple[str, str]], totals: Mapping[str, int], leader: str | None) -> list[str]:
    """One line per option: number, label, a bar, and the total as a signed number."""
    if not totals:
        return []
    scale = max(1, *(abs(t) for t in totals.values()))
    lines = []
    for n, (key, label) in enumerate(options, 1):
        t = totals.get(key, 0)
        length = round(abs(t) / scale * BAR)
        bar = ("█" if t >= 0 else "▒") * length
        lead = " leads" if leader == key else ""
        lines.append(f"{n} {label[:24]:<24} {t:>+4d} {'+' if t >= 0 else '-'}{bar}{lead}")
    return lines


def totals_text(lines: list[str]) -> str:
    return "\n".join(["Weighted totals (score × weight):", *lines]) if lines else "Add options to weigh them."


def matrix_data(state: RecordState, view: WalkView) -> MatrixData:
    return MatrixData(
        principles=[(p.id, p.name) for p in view.framework.principles],
        options=[(o.key, o.label) for o in state.options],
        scores=dict(state.scores),
        notes=dict(state.notes),
        weights={p: state.weight(p) for p in view.framework.ids},
    )


class WeighPane(StepPane):
    step = "weigh"
    title = "Weigh"
    BINDINGS = [Binding("a", "analysis", "Analysis")]
    DEFAULT_CSS = """
    WeighPane #legend { height: auto; }
    WeighPane #totals { height: auto; margin-top: 1; }
    WeighPane #meaning { height: auto; margin-top: 1; color: $text-muted; }
    WeighPane #findings { height: 7; margin-top: 1; }
    WeighPane #weigh-rules {
        dock: top; height: auto; max-height: 35%; border: heavy $warning; padding: 0 1; margin-bottom: 1;
    }
    WeighPane #rules-text { height: auto; }
    """

    def compose(self) -> ComposeResult:
        # Docked, so that focusing the matrix cannot scroll the rule out of view (at 80x24 it did, all
        # but its last lines); its text scrolls within a third of the pane, and tab reaches it.
        with VerticalScroll(id="weigh-rules"):
            yield Static("", id="rules-text", markup=False)
        yield WeighingMatrix(id="matrix")
        # wrapped here, each label and finding under its own first word (tui/widgets/wrapped_text.py)
        yield WrappedText(id="legend")
        yield Static("1-5 score -2…+2 · +/- adjust · x clear · enter note · wt column 0-3 · a analysis", classes="hint")
        yield SteadyStatic("", id="totals", markup=False)
        yield SteadyStatic("", id="meaning", markup=False)
        # A fixed height, so that a finding coming or going on a key press repaints these lines and
        # lays nothing out again; what does not fit is on the analysis screen (a).
        yield WrappedText(id="findings", hang=2, most_lines=FINDING_LINES, more="… {hidden} more lines (a)")

    def first_field(self) -> str | None:
        return "matrix"

    def refresh_view(self, view: WalkView) -> None:
        self._view = view
        matrix = self.query_one(WeighingMatrix)
        matrix.show(matrix_data(view.state, view))
        matrix.disabled = False  # replay may look around; the screen refuses changes
        self.query_one("#legend", WrappedText).set_text(
            "\n".join(f"opt {n}: {o.label}" for n, o in enumerate(view.state.options, 1))
        )
        self._show_analysis(view.state, view.analysis)
        rules = self.query_one("#weigh-rules")
        if rules.display != view.analysis.rules.applies:
            rules.display = view.analysis.rules.applies
        show_text(self.query_one("#rules-text", Static), view.analysis.rules.text)
        self._show_meaning()

    def _show_analysis(self, state: RecordState, analysis: Analysis) -> None:
        """The totals and the findings: repainted in place when their lines are as many as before."""
        options = [(o.key, o.label) for o in state.options]
        lines = total_lines(options, analysis.totals, analysis.leader)
        show_text(self.query_one("#totals", Static), totals_text(lines))
        findings = [t.text for t in analysis.tensions[:2]]
        if analysis.robustness_text:
            findings.append(analysis.robustness_text)
        if analysis.ranked.disagrees_with_weighted:
            findings.append(analysis.ranked.text)
        self.query_one("#findings", WrappedText).set_text("\n".join(findings))

    def on_data_table_cell_highlighted(self, event: WeighingMatrix.CellHighlighted) -> None:
        self._show_meaning()

    def _show_meaning(self) -> None:
        view = getattr(self, "_view", None)
        if view is None:
            return
        matrix = self.query_one(WeighingMatrix)
        pid, okey = matrix.focused_principle(), matrix.focused_option()
        if pid is None:
            show_text(self.query_one("#meaning", Static), "")
            return
        p = view.framework.principle(pid)
        text = f"{p.name}: {p.definition} {p.asks}"
        if okey is not None:
            note = view.state.notes.get((okey, pid))
            if note:
                text += f"\nNote on this cell: {note}"
        show_text(self.query_one("#meaning", Static), text)

    # --- the matrix asks; the screen saves --------------------------------------------------------
    def on_weighing_matrix_score_chosen(self, event: WeighingMatrix.ScoreChosen) -> None:
        event.stop()
        if not self.walk.read_only:
            self._preview(event.principle, event.option, event.score)
        self.walk.change(lambda s, rid: s.editing.score(rid, event.option, event.principle, event.score))

    def on_weighing_matrix_weight_chosen(self, event: WeighingMatrix.WeightChosen) -> None:
        event.stop()
        if not self.walk.read_only:
            self._preview(event.principle, None, event.weight)
        self.walk.change(lambda s, rid: s.editing.set_weight(rid, event.principle, event.weight))

    def _preview(self, principle: str, option: str | None, value: int | None) -> None:
        """The cell, the totals and the findings at once, in the frame of the key press, from the
        matrix as shown (the analysis the save's redraw makes, so it finds them drawn already)."""
        matrix = self.query_one(WeighingMatrix)
        matrix.preview(principle, option, value)
        view = getattr(self, "_view", None)
        if matrix.data is None or view is None:
            return
        shown = replace(view.state, scores=dict(matrix.data.scores), weights=dict(matrix.data.weights))
        self._show_analysis(shown, analysis_of(shown, view.framework, view.catalogue))

    def on_weighing_matrix_refused(self, event: WeighingMatrix.Refused) -> None:
        event.stop()
        self.notify(event.reason, severity="warning", timeout=3)

    def on_weighing_matrix_note_wanted(self, event: WeighingMatrix.NoteWanted) -> None:
        from ethicsdesk.tui.screens.note import NoteScreen

        event.stop()
        view = self._view
        option = view.state.option(event.option)
        assert option is not None
        title = f"{view.framework.name_of(event.principle)} — {option.label}"

        def written(note: str | None) -> None:
            if note is not None:
                self.walk.change(lambda s, rid: s.editing.note(rid, event.option, event.principle, note))

        self.app.push_screen(NoteScreen(title, view.state.notes.get((event.option, event.principle), "")), written)

    def action_analysis(self) -> None:
        from ethicsdesk.tui.screens.analysis import AnalysisScreen

        self.app.push_screen(AnalysisScreen(self._view))
