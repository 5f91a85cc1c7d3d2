"""Export the rationale report from any step: pick a format, see where the file went."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ethicsdesk.errors import EthicsdeskError
from ethicsdesk.tui.widgets.marked_toggles import MarkedCheckbox
from ethicsdesk.tui.widgets.window_body import WindowBody

if TYPE_CHECKING:
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
    ExportScreen Button:focus { background: $accent; color: $text; text-style: bold reverse; }
    """

    def __init__(self, record_id: str) -> None:
        super().__init__()
        self.record_id = record_id

    def compose(self) -> ComposeResult:
        with WindowBody():
            yield Static(
                "[b]Export the rationale report[/b]\nThe client is named by the case code; "
                "identifiers are masked unless you tick the box (that is logged)."
            )
            yield MarkedCheckbox("Include identifiers", id="identifiers")
            with Horizontal():
                for label, fmt in FORMATS:
                    # one look for every format: the focused one stands out (a fixed "primary" HTML
                    # button looked chosen while Markdown had the focus)
                    yield Button(label, id=f"fmt-{fmt}")
            yield Static("", id="export-target", markup=False)
            yield Static("", id="export-result", markup=False)
            yield Button("Close", id="close")

    def on_mount(self) -> None:
        self.query_one("#fmt-html", Button).focus()
        self._show_target("html")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        fmt = (event.widget.id or "").removeprefix("fmt-")
        if fmt in {f for _, f in FORMATS}:
            self._show_target(fmt)

    def _target(self, fmt: str) -> Path:
        from ethicsdesk.reporting.exporters import exporter_for
        from ethicsdesk.service.exporting import default_path

        return default_path(self.record_id, exporter_for(fmt), None).absolute()

    def _show_target(self, fmt: str) -> None:
        """Say which format enter writes, and the full path, before anything is written."""
        label = {f: name for name, f in FORMATS}[fmt]
        self.query_one("#export-target", Static).update(f"Enter writes {label} to {self._target(fmt)}")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "close":
            self.dismiss(None)
            return
        fmt = (event.button.id or "").removeprefix("fmt-")
        self._export(fmt)

    def _export(self, fmt: str) -> None:
        from ethicsdesk.service.exporting import export_record

        include = self.query_one("#identifiers", MarkedCheckbox).value
        result_box = self.query_one("#export-result", Static)
        service = self.app.service
        result_box.update(f"Writing the {fmt.upper()} report…")

        # A PDF takes seconds to render, and the export event waits for the database's write lock:
        # both in a worker thread, so the screen keeps answering meanwhile (issue 12, defect 8).
        def work() -> None:
            try:
                result = export_record(
                    service,
                    self.record_id,
                    fmt,
                    None,
                    include_identifiers=include,
                    templates=None,
                    force=True,  # the screen writes only its own ethicsdesk-<id> name: a new export updates it
                )
            except EthicsdeskError as exc:
                self.app.call_from_thread(result_box.update, exc.message)
                return
            self.app.call_from_thread(self._written, result, fmt)

        self.run_worker(work, thread=True, group="export", exit_on_error=False)

    def _written(self, result: Any, fmt: str) -> None:
        if not self.is_attached:  # closed while it was written: the notice still says where
            self.notify(f"Report written to {result.path}", timeout=6, markup=False)
            return
        result_box = self.query_one("#export-result", Static)
        label = {f: name for name, f in FORMATS}.get(fmt, fmt)
        lines = [f"Wrote {label} to {result.path}"]
        if result.warnings:
            lines.append("Check these before sharing — they look like identifiers:")
            lines += [f"  - {w}" for w in result.warnings]
        result_box.update("\n".join(lines))
        self.notify(f"{label} report written to {result.path}", timeout=6, markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
