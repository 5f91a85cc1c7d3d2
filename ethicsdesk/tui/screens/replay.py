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
from textual.widgets import Header, ListItem, ListView, Static

from ethicsdesk.errors import EthicsdeskError
from ethicsdesk.tui.widgets.keys_footer import KeysFooter
from ethicsdesk.tui.widgets.wrapped_text import WrappedText

if TYPE_CHECKING:
    from ethicsdesk.tui.app import EthicsdeskApp


class ReplayScreen(Screen[None]):
    app: EthicsdeskApp  # declared for the type checker: every screen is pushed on it (build_app)
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("home", "first", "First event"),
        Binding("end", "last", "Last event"),
        Binding("w", "walk", "Walk at this event"),
    ]
    DEFAULT_CSS = """
    ReplayScreen #timeline { width: 44; border-right: solid $panel-lighten-2; }
    ReplayScreen #as-it-stood { width: 1fr; padding: 0 1; }
    ReplayScreen ListItem { padding: 0 1; }
    """

    def __init__(self, record_id: str) -> None:
        super().__init__()
        self.record_id = record_id

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            yield ListView(id="timeline")
            with VerticalScroll(id="as-it-stood"):
                yield Static("", id="state-text", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        service = self.app.service
        self.history = service.history(self.record_id)
        timeline = self.query_one("#timeline", ListView)
        for e in self.history:
            when = e.at[5:16].replace("T", " ")
            # what happened wraps under itself, not back to the edge (tui/widgets/wrapped_text.py)
            timeline.append(ListItem(WrappedText(f"{e.seq:>3} {when} {e.actor}\n    {e.text}")))
        self.sub_title = f"replay of {self.record_id} · {len(self.history)} events"
        timeline.index = len(self.history) - 1
        timeline.focus()
        self.show_event(len(self.history))

    def on_list_view_highlighted(self, event: ListView.Highlighted) -> None:
        index = event.list_view.index
        if index is not None:
            self.show_event(index + 1)

    def show_event(self, seq: int) -> None:
        from ethicsdesk.reporting.plain_text import record_summary

        service = self.app.service
        try:
            state = service.replay(self.record_id, seq)
            # wrapped once, to the pane: the screen less the timeline (44 + its rule), padding and scrollbar
            width = max(30, self.app.size.width - 44 - 1 - 4)
            text = record_summary(
                state, service.framework_of(state), service.catalogue(), self.history[seq - 1].hash, width
            )
        except EthicsdeskError as exc:
            text = exc.message
        self.query_one("#state-text", Static).update(f"AS IT STOOD AFTER EVENT {seq} OF {len(self.history)}\n\n{text}")

    def action_first(self) -> None:
        self.query_one("#timeline", ListView).index = 0

    def action_last(self) -> None:
        self.query_one("#timeline", ListView).index = len(self.history) - 1

    def action_walk(self) -> None:
        """The walk's own screens, read-only, as the record stood after the highlighted event."""
        from ethicsdesk.tui.screens.walk import WalkScreen

        index = self.query_one("#timeline", ListView).index
        if index is not None:
            self.app.push_screen(WalkScreen(self.record_id, at_event=index + 1))
