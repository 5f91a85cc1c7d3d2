"""What the debrief and the cohort screens share: a training comparison as plain text
(ethicsdesk.reporting.training_text) in a scrolling pane, so every mark is a character and a matrix
fits 80 columns, and `e` writing the same comparison as a Markdown file in the folder the user chooses.

A screen says which comparison it shows in `read`; `PART` names its widgets (#debrief-text,
#cohort-status, ...).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Static

from ethicsdesk.errors import EthicsdeskError
from ethicsdesk.tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from pathlib import Path

    from ethicsdesk.domain.training import Cohort, Debrief
    from ethicsdesk.service import Service
    from ethicsdesk.tui.app import EthicsdeskApp

Comparison = TypeVar("Comparison", "Debrief", "Cohort")


class TrainingTextScreen(Screen[None], Generic[Comparison]):
    app: EthicsdeskApp  # declared for the type checker: every screen is pushed on it (build_app)
    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("e", "export", "Export"),
    ]
    DEFAULT_CSS = """
    TrainingTextScreen .training-body { padding: 0 1; }
    TrainingTextScreen .training-status { height: auto; padding: 0 1; background: $panel; }
    """
    PART: ClassVar[str]  # "debrief", "cohort": the widgets' ids and the sub-title
    NAME: ClassVar[str]  # what the screen shows: "debrief", "cohort view"
    THIS: ClassVar[str]  # the same in the status line: "this debrief", "the cohort view"

    def __init__(self, subject: str) -> None:
        super().__init__()
        self.subject = subject  # the record or sample compared
        self.comparison: Comparison | None = None

    @property
    def service(self) -> Service:
        return self.app.service

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id=f"{self.PART}-body", classes="training-body"):
            yield Static("", id=f"{self.PART}-text", markup=False)
        yield Static(
            f"Press e to export {self.THIS} as Markdown; escape to go back.",
            id=f"{self.PART}-status",
            classes="training-status",
        )
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = f"{self.PART} of {self.subject}"
        self.reload()
        self.query_one(f"#{self.PART}-body", VerticalScroll).focus()

    def reload(self) -> None:
        from ethicsdesk.reporting.training_text import comparison_text

        try:
            self.comparison = self.read()
            text = comparison_text(self.comparison, self.service.training.obligation_names())
        except EthicsdeskError as exc:
            self.comparison, text = None, exc.message
        self.query_one(f"#{self.PART}-text", Static).update(text)

    def read(self) -> Comparison:
        """The comparison as it stands now, from the service."""
        raise NotImplementedError

    def action_close(self) -> None:
        self.dismiss(None)

    def action_export(self) -> None:
        """Ask where (the folder offered from the config, never the current one), then write."""
        if self.comparison is None:
            self.notify(f"There is no {self.NAME} to export.", severity="warning")
            return
        from ethicsdesk.tui.screens.export_folder import ExportFolderScreen

        self.app.push_screen(ExportFolderScreen(self.THIS), self._write_to)

    def _write_to(self, folder: Path | None) -> None:
        if folder is None or self.comparison is None:
            return
        from ethicsdesk.service.exporting import write_comparison

        try:
            # the screen writes one fixed name in the chosen folder, replacing its own last file (a
            # regular file only: the helper refuses the database, a device or a folder)
            names = self.service.training.obligation_names()
            path = write_comparison(self.service, self.comparison, "md", folder, names, force=True)
        except EthicsdeskError as exc:
            self.notify(exc.message, title="Not exported", severity="error", markup=False)
            return
        self.query_one(f"#{self.PART}-status", Static).update(f"Wrote {path}")
        self.notify(f"{self.NAME.capitalize()} written to {path}", timeout=6, markup=False)
