"""Export the rationale report from any step: the folder (offered from the config), a format, the
full path before anything is written, a question first when the report would show passages that look
like identifiers, and where the file went."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ethicsdesk.errors import EthicsdeskError
from ethicsdesk.tui.widgets.button import Button
from ethicsdesk.tui.widgets.fields import KeptInput
from ethicsdesk.tui.widgets.marked_toggles import MarkedCheckbox
from ethicsdesk.tui.widgets.window_body import WindowBody

if TYPE_CHECKING:
    from ethicsdesk.service.exporting import ExportResult, PreparedReport
    from ethicsdesk.tui.app import EthicsdeskApp

FORMATS = (("HTML", "html"), ("Markdown", "md"), ("PDF", "pdf"), ("JSON", "json"))


class ExportScreen(ModalScreen[None]):
    app: EthicsdeskApp  # declared for the type checker: every screen is pushed on it (build_app)
    BINDINGS = [Binding("escape", "close", "Close")]
    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > VerticalScroll {
        width: 74; max-width: 100%; height: auto; max-height: 100%; border: round $primary; padding: 1 2;
    }
    ExportScreen Horizontal { height: auto; margin: 1 0; }
    ExportScreen Button { margin-right: 1; }
    ExportScreen #export-result { height: auto; }
    ExportScreen #export-target { height: auto; color: $text-muted; }
    ExportScreen Label { margin-top: 1; }
    ExportScreen Button:focus { background: $accent; color: $text; text-style: bold reverse; }
    """

    def __init__(self, record_id: str) -> None:
        super().__init__()
        self.record_id = record_id
        self.format = "html"  # the format enter writes: the last one focused
        self.problem = ""  # why the configured folder is not offered

    def compose(self) -> ComposeResult:
        with WindowBody():
            yield Static(
                "[b]Export the rationale report[/b]\nThe client is named by the case code; "
                "identifiers are masked unless you tick the box (that is logged)."
            )
            yield MarkedCheckbox("Include identifiers", id="identifiers")
            yield Label("Folder (export_folder in config.toml sets the one offered)")
            yield KeptInput(self._offered_folder(), id="export-folder")
            with Horizontal():
                for label, fmt in FORMATS:
                    # one look for every format: the focused one stands out (a fixed "primary" HTML
                    # button looked chosen while Markdown had the focus)
                    yield Button(label, id=f"fmt-{fmt}")
            yield Static("", id="export-target", markup=False)
            yield Static("", id="export-result", markup=False)
            yield Button("Close", id="close")

    def _offered_folder(self) -> str:
        from ethicsdesk.settings import export_folder

        try:
            return str(export_folder())
        except EthicsdeskError as exc:  # a bad export_folder setting: say so, offer the home folder
            self.problem = exc.message
            return str(Path.home())

    def on_mount(self) -> None:
        self.query_one("#fmt-html", Button).focus()
        self._show_target("html")
        if self.problem:
            self.query_one("#export-result", Static).update(self.problem)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        fmt = (event.widget.id or "").removeprefix("fmt-")
        if fmt in {f for _, f in FORMATS}:
            self.format = fmt
            self._show_target(fmt)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show_target(self.format)

    def _target(self, fmt: str) -> Path:
        from ethicsdesk.reporting.exporters import exporter_for

        folder = Path(self.query_one("#export-folder", Input).value.strip() or ".").expanduser()
        return folder.absolute() / f"ethicsdesk-{self.record_id}.{exporter_for(fmt).extension}"

    def _show_target(self, fmt: str) -> None:
        """Say which format enter writes, and the full path, before anything is written."""
        label = {f: name for name, f in FORMATS}[fmt]
        self.query_one("#export-target", Static).update(f"Enter writes {label} to {self._target(fmt)}")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._export(self.format)  # enter in the folder field writes the format last chosen

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "close":
            self.dismiss(None)
            return
        fmt = (event.button.id or "").removeprefix("fmt-")
        self._export(fmt)

    def _export(self, fmt: str) -> None:
        """Render first and look for identifier lookalikes; ask before writing a report that shows
        any; then write it. Both steps run in a worker thread: a PDF takes seconds to render, and the
        export event waits for the database's write lock, so the screen keeps answering meanwhile."""
        from ethicsdesk.service.exporting import chosen_folder, prepare_export

        include = self.query_one("#identifiers", MarkedCheckbox).value
        typed = self.query_one("#export-folder", Input).value
        result_box = self.query_one("#export-result", Static)
        service = self.app.service
        result_box.update(f"Preparing the {fmt.upper()} report…")

        def work() -> None:
            try:
                folder = chosen_folder(typed)
                report = prepare_export(service, self.record_id, fmt, include_identifiers=include)
            except EthicsdeskError as exc:
                self.app.call_from_thread(result_box.update, exc.message)
                return
            self.app.call_from_thread(self._prepared, report, folder, fmt)

        self.run_worker(work, thread=True, group="export", exit_on_error=False)

    def _prepared(self, report: PreparedReport, folder: Path, fmt: str) -> None:
        if not report.warnings:
            self._write(report, folder, fmt)
            return
        from ethicsdesk.tui.screens.confirm import ConfirmScreen

        *passages, advice = report.warnings
        question = "\n".join(
            [
                "These passages look like identifiers and the report would show them:",
                *(f"- {p}" for p in passages),
                advice,
                f"Write {folder / report.file_name} anyway?",
            ]
        )
        self.query_one("#export-result", Static).update("Waiting for your answer: nothing is written yet.")

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(report, folder, fmt)
            elif self.is_attached:
                self.query_one("#export-result", Static).update("Not written. " + advice)

        self.app.push_screen(ConfirmScreen(question), answered)

    def _write(self, report: PreparedReport, folder: Path, fmt: str) -> None:
        from ethicsdesk.service.exporting import write_prepared

        service = self.app.service
        if self.is_attached:
            self.query_one("#export-result", Static).update(f"Writing the {fmt.upper()} report…")

        def work() -> None:
            try:
                # the window writes only its own ethicsdesk-<id> name: a new export updates it
                result = write_prepared(service, report, folder, force=True)
            except EthicsdeskError as exc:
                self.app.call_from_thread(self._failed, exc.message)
                return
            self.app.call_from_thread(self._written, result, fmt)

        self.run_worker(work, thread=True, group="export", exit_on_error=False)

    def _failed(self, message: str) -> None:
        if self.is_attached:
            self.query_one("#export-result", Static).update(message)
        else:
            self.notify(message, title="Not exported", severity="error", markup=False)

    def _written(self, result: ExportResult, fmt: str) -> None:
        label = {f: name for name, f in FORMATS}.get(fmt, fmt)
        if not self.is_attached:  # closed while it was written: the notice still says where
            self.notify(f"{label} report written to {result.path}", timeout=6, markup=False)
            return
        lines = [f"Wrote {label} to {result.path}"]
        if result.warnings:
            lines.append("It shows the passages you were warned about (listed before it was written).")
        self.query_one("#export-result", Static).update("\n".join(lines))
        self.notify(f"{label} report written to {result.path}", timeout=6, markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
