"""Replay: the record's events as a timeline; the record as it stood after the highlighted one.

The record shown is the fold of the events up to that point, so what you see is what the log
proves, not what the tables say now.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static

from ethicsdesk.errors import EthicsdeskError
from ethicsdesk.tui.widgets.keys_footer import KeysFooter
from ethicsdesk.tui.widgets.wrapped_text import hanging_lines

if TYPE_CHECKING:
    from ethicsdesk.domain.history import HistoryEntry
    from ethicsdesk.tui.app import EthicsdeskApp


class ReplayScreen(Screen[None]):
    app: EthicsdeskApp  # declared for the type checker: every screen is pushed on it (build_app)
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        # before the timeline's own home and end, which reach only the ends of the events it holds
        Binding("home", "first", "First event", priority=True),
        Binding("end", "last", "Last event", priority=True),
        Binding("w", "walk", "Walk at this event"),
    ]
    DEFAULT_CSS = """
    ReplayScreen #timeline { width: 44; border-right: solid $panel-lighten-2; }
    ReplayScreen #as-it-stood { width: 1fr; padding: 0 1; }
    ReplayScreen #timeline > .option-list--option { padding: 0 1; }
    """
    # The timeline's text width: its 44 columns less the rule, the options' padding and the scrollbar.
    TEXT_WIDTH = 44 - 1 - 2 - 2
    WINDOW = 200  # events in the timeline at once
    MARGIN = 20  # highlighted this near its first or last, the timeline moves on

    def __init__(self, record_id: str, history: list[HistoryEntry] | None = None) -> None:
        super().__init__()
        self.record_id = record_id
        self.given_history = history  # the opener's, when it has read it already

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            # An OptionList, not a ListView: it draws only the lines in view, where a ListView made a
            # widget of each event (10,000 events were not drawn after three minutes)
            yield OptionList(id="timeline")
            with VerticalScroll(id="as-it-stood"):
                yield Static("", id="state-text", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.history = self.given_history or self.app.service.history(self.record_id)
        self.start = 0  # the history's index of the timeline's first option
        self.sub_title = f"replay of {self.record_id} · {len(self.history)} events"
        self.query_one("#timeline", OptionList).focus()
        self.go_to(len(self.history))

    def _line(self, seq: int) -> str:
        e = self.history[seq - 1]
        # what happened wraps under itself, not back to the edge (tui/widgets/wrapped_text.py)
        text = f"{e.seq:>3} {e.at[5:16].replace('T', ' ')} {e.actor}\n    {e.text}"
        return "\n".join(hanging_lines(text, self.TEXT_WIDTH))

    def go_to(self, seq: int) -> None:
        """Highlight event `seq`, the timeline holding the WINDOW events around it: an OptionList
        measures every option it holds, so 10,000 at once took minutes to draw."""
        timeline = self.query_one("#timeline", OptionList)
        total = len(self.history)
        start = max(0, min(seq - 1 - self.WINDOW // 2, total - self.WINDOW))
        if start != self.start or timeline.option_count == 0:
            self.start = start
            with self.prevent(OptionList.OptionHighlighted):
                timeline.clear_options()
                timeline.add_options(self._line(n) for n in range(start + 1, min(total, start + self.WINDOW) + 1))
        with self.prevent(OptionList.OptionHighlighted):
            timeline.highlighted = seq - 1 - self.start
        self.show_event(seq)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        seq = self.start + event.option_index + 1
        near_edge = min(event.option_index, event.option_list.option_count - 1 - event.option_index) < self.MARGIN
        if near_edge and 1 < seq < len(self.history):
            self.go_to(seq)  # more of the history comes into the timeline around it
        else:
            self.show_event(seq)

    def show_event(self, seq: int) -> None:
        from ethicsdesk.reporting.plain_text import record_summary

        service = self.app.service
        try:
            state = service.integrity.replay(self.record_id, seq)
            # wrapped once, to the pane: the screen less the timeline (44 + its rule), padding and scrollbar
            width = max(30, self.app.size.width - 44 - 1 - 4)
            text = record_summary(
                state, service.framework_of(state), service.catalogue(), self.history[seq - 1].hash, width
            )
        except EthicsdeskError as exc:
            text = exc.message
        self.query_one("#state-text", Static).update(f"AS IT STOOD AFTER EVENT {seq} OF {len(self.history)}\n\n{text}")

    def action_first(self) -> None:
        self.go_to(1)

    def action_last(self) -> None:
        self.go_to(len(self.history))

    def action_walk(self) -> None:
        """The walk's own screens, read-only, as the record stood after the highlighted event."""
        from ethicsdesk.tui.screens.walk import WalkScreen

        index = self.query_one("#timeline", OptionList).highlighted
        if index is not None:
            self.app.push_screen(WalkScreen(self.record_id, at_event=self.start + index + 1))
