"""The debrief of a training attempt: the trainee's work beside the reference weighing.

Plain text (ethicsdesk.reporting.training_text) in a scrolling pane, so every mark is a character and the
matrix fits 80 columns; `e` writes the same debrief as a Markdown file in the current folder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from ethicsdesk.errors import EthicsdeskError
from ethicsdesk.tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from ethicsdesk.domain.training import Debrief
    from ethicsdesk.service import Service
    from ethicsdesk.tui.app import EthicsdeskApp


class DebriefScreen(Screen[None]):
    app: EthicsdeskApp  # declared for the type checker: every screen is pushed on it (build_app)
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("e", "export", "Export"),
    ]
    DEFAULT_CSS = """
    DebriefScreen #debrief-body { padding: 0 1; }
    DebriefScreen #debrief-status { height: auto; padding: 0 1; background: $panel; }
    """

    def __init__(self, record_id: str) -> None:
        super().__init__()
        self.record_id = record_id
        self.debrief: Debrief | None = None

    @property
    def service(self) -> Service:
        return self.app.service

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="debrief-body"):
            yield Static("", id="debrief-text", markup=False)
        yield Static("Press e to export this debrief as Markdown; escape to go back.", id="debrief-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        from ethicsdesk.reporting.training_text import debrief_text

        self.sub_title = f"debrief of {self.record_id}"
        try:
            self.debrief = self.service.debrief(self.record_id)
            text = debrief_text(self.debrief, self.service.obligation_names())
        except EthicsdeskError as exc:
            text = exc.message
        self.query_one("#debrief-text", Static).update(text)
        self.query_one("#debrief-body", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_export(self) -> None:
        from ethicsdesk.reporting.training_report import write_debrief

        if self.debrief is None:
            self.notify("There is no debrief to export.", severity="warning")
            return
        try:
            path = write_debrief(self.debrief, "md", None, self.service.obligation_names())
        except EthicsdeskError as exc:
            self.notify(exc.message, title="Not exported", severity="error", markup=False)
            return
        self.query_one("#debrief-status", Static).update(f"Wrote {path}")
        self.notify(f"Debrief written to {path}", timeout=6, markup=False)
