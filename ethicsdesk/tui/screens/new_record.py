"""Starting a record: a title and the case code reports will name the client by."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ethicsdesk.errors import EthicsdeskError

if TYPE_CHECKING:
    from ethicsdesk.tui.app import EthicsdeskApp


class NewRecordScreen(ModalScreen[str | None]):
    app: EthicsdeskApp  # declared for the type checker: every screen is pushed on it (build_app)
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    NewRecordScreen { align: center middle; }
    NewRecordScreen > Vertical { width: 66; height: auto; border: round $primary; padding: 1 2; }
    NewRecordScreen #error { color: $error; }
    NewRecordScreen Horizontal { height: auto; margin-top: 1; }
    NewRecordScreen Button { margin-right: 2; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("[b]New dilemma record[/b]")
            yield Label("Title (what the dilemma is about, without the client's name)")
            yield Input(placeholder="for example: Capable client refuses discharge plan", id="title")
            yield Label("Case code (how reports name the client, for example C-1042)")
            yield Input(placeholder="optional", id="case-code")
            yield Static("", id="error", markup=False)
            with Horizontal():
                yield Button("Create", variant="primary", id="create")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "title":
            self.query_one("#case-code", Input).focus()
        else:
            self._create()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create":
            self._create()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _create(self) -> None:
        title = self.query_one("#title", Input).value.strip()
        if not title:
            self.query_one("#error", Static).update("A record needs a title.")
            self.query_one("#title", Input).focus()
            return
        try:
            record_id = self.app.service.create_record(
                title, case_code=self.query_one("#case-code", Input).value
            )
        except EthicsdeskError as exc:
            self.query_one("#error", Static).update(exc.message)
            return
        self.dismiss(record_id)
