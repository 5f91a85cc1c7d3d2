"""The cohort view of one sample: every stored attempt side by side, for the trainer.

Attempts, their agreement and choices, the obligations missed most and the spread of scores per
cell, as plain text (ethicsdesk.reporting.training_text); `e` writes it as a Markdown file in the current folder.
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
    from ethicsdesk.domain.training import Cohort
    from ethicsdesk.service import Service
    from ethicsdesk.tui.app import EthicsdeskApp


class CohortScreen(Screen[None]):
    app: EthicsdeskApp  # declared for the type checker: every screen is pushed on it (build_app)
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("e", "export", "Export"),
    ]
    DEFAULT_CSS = """
    CohortScreen #cohort-body { padding: 0 1; }
    CohortScreen #cohort-status { height: auto; padding: 0 1; background: $panel; }
    """

    def __init__(self, sample_id: str) -> None:
        super().__init__()
        self.sample_id = sample_id
        self.cohort: Cohort | None = None

    @property
    def service(self) -> Service:
        return self.app.service

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="cohort-body"):
            yield Static("", id="cohort-text", markup=False)
        yield Static("Press e to export the cohort view as Markdown; escape to go back.", id="cohort-status")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = f"cohort of {self.sample_id}"
        self.reload()
        self.query_one("#cohort-body", VerticalScroll).focus()

    def on_screen_resume(self) -> None:
        self.reload()  # attempts may have been made since the screen was first shown

    def reload(self) -> None:
        from ethicsdesk.reporting.training_text import cohort_text

        try:
            self.cohort = self.service.cohort(self.sample_id)
            text = cohort_text(self.cohort, self.service.obligation_names())
        except EthicsdeskError as exc:
            self.cohort = None
            text = exc.message
        self.query_one("#cohort-text", Static).update(text)

    def action_close(self) -> None:
        self.dismiss(None)

    def action_export(self) -> None:
        from ethicsdesk.reporting.training_report import write_cohort

        if self.cohort is None:
            self.notify("There is no cohort view to export.", severity="warning")
            return
        try:
            path = write_cohort(self.cohort, "md", None, self.service.obligation_names())
        except EthicsdeskError as exc:
            self.notify(exc.message, title="Not exported", severity="error", markup=False)
            return
        self.query_one("#cohort-status", Static).update(f"Wrote {path}")
        self.notify(f"Cohort view written to {path}", timeout=6, markup=False)
