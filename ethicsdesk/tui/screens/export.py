"""Export the rationale report from any step: pick a format, see where the file went."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ethicsdesk.errors import EthicsdeskError
from ethicsdesk.tui.widgets.marked_toggles import MarkedCheckbox

FORMATS = (("HTML", "html"), ("Markdown", "md"), ("PDF", "pdf"), ("JSON", "json"))


class ExportScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "close", "Close")]
    DEFAULT_CSS = """
    ExportScreen { align: center middle; }
    ExportScreen > Vertical { width: 74; height: auto; max-height: 90%; border: round $primary; padding: 1 2; }
    ExportScreen Horizontal { height: auto; margin: 1 0; }
    ExportScreen Button { margin-right: 1; }
    ExportScreen #export-result { height: auto; }
    """

    def __init__(self, record_id: str) -> None:
        super().__init__()
        self.record_id = record_id

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                "[b]Export the rationale report[/b]\nThe client is named by the case code; "
                "identifiers are masked unless you tick the box (that is logged)."
            )
            yield MarkedCheckbox("Include identifiers", id="identifiers")
            with Horizontal():
                for label, fmt in FORMATS:
                    yield Button(label, id=f"fmt-{fmt}", variant="primary" if fmt == "html" else "default")
            yield Static("", id="export-result", markup=False)
            yield Button("Close", id="close")

    def on_mount(self) -> None:
        self.query_one("#fmt-html", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "close":
            self.dismiss(None)
            return
        fmt = (event.button.id or "").removeprefix("fmt-")
        self._export(fmt)

    def _export(self, fmt: str) -> None:
        from ethicsdesk.export import export_record

        include = self.query_one("#identifiers", MarkedCheckbox).value
        result_box = self.query_one("#export-result", Static)
        service = self.app.service  # type: ignore[attr-defined]
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
            self.app.call_from_thread(self._written, result)

        self.run_worker(work, thread=True, group="export", exit_on_error=False)

    def _written(self, result: Any) -> None:
        if not self.is_attached:  # closed while it was written: the notice still says where
            self.notify(f"Report written to {result.path}", timeout=6, markup=False)
            return
        result_box = self.query_one("#export-result", Static)
        lines = [f"Wrote {result.path}"]
        if result.warnings:
            lines.append("Check these before sharing — they look like identifiers:")
            lines += [f"  - {w}" for w in result.warnings]
        result_box.update("\n".join(lines))
        self.notify(f"Report written to {result.path}", timeout=6, markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
