"""Where to write a training file (a debrief, a cohort view): a folder, offered from the config."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.widgets import Input

from ethicsdesk.errors import EthicsdeskError
from ethicsdesk.tui.screens.dialog import Dialog
from ethicsdesk.tui.widgets.button import Button
from ethicsdesk.tui.widgets.fields import KeptInput


class ExportFolderScreen(Dialog[Path | None]):
    """Dismissed with the folder, checked (the configured one made if it is not there yet), or None."""

    DEFAULT_CSS = """
    ExportFolderScreen > VerticalScroll { width: 74; }
    """

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what  # "this debrief": what is written

    def compose(self) -> ComposeResult:
        from ethicsdesk.settings import export_folder

        self.problem = ""
        try:
            offered = str(export_folder())
        except EthicsdeskError as exc:  # a bad export_folder setting: said, and the home folder offered
            offered, self.problem = str(Path.home()), exc.message
        yield self.form(
            f"[b]Write {self.what} as Markdown[/b]",
            ("Folder (export_folder in config.toml sets the one offered)", KeptInput(offered, id="folder")),
            foot=self.buttons(Button("Write", variant="primary", id="write"), Button("Cancel", id="cancel")),
        )

    def on_mount(self) -> None:
        if self.problem:
            self.show_error(self.problem)
        field = self.query_one("#folder", Input)
        field.focus()
        field.action_end()  # typing adds to the path rather than going in front of it

    def submit(self) -> None:
        from ethicsdesk.service.exporting import chosen_folder

        try:
            folder = chosen_folder(self.query_one("#folder", Input).value)
        except EthicsdeskError as exc:
            self.show_error(exc.message)
            return
        self.dismiss(folder)
