"""Starting a record: a title and the case code reports will name the client by."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Input

from ethicsdesk.errors import EthicsdeskError
from ethicsdesk.tui.screens.dialog import Dialog
from ethicsdesk.tui.widgets.button import Button

if TYPE_CHECKING:
    from ethicsdesk.tui.app import EthicsdeskApp


class NewRecordScreen(Dialog[str | None]):
    app: EthicsdeskApp  # declared for the type checker: every screen is pushed on it (build_app)
    DEFAULT_CSS = """
    NewRecordScreen > VerticalScroll { width: 66; }
    """

    def compose(self) -> ComposeResult:
        yield self.form(
            "[b]New dilemma record[/b]",
            (
                "Title (what the dilemma is about, without the client's name)",
                Input(placeholder="for example: Capable client refuses discharge plan", id="title"),
            ),
            (
                "Case code (how reports name the client, for example C-1042)",
                Input(placeholder="optional", id="case-code"),
            ),
            foot=self.buttons(Button("Create", variant="primary", id="create"), Button("Cancel", id="cancel")),
        )

    def submit(self) -> None:
        title = self.query_one("#title", Input).value.strip()
        if not title:
            self.show_error("A record needs a title.")
            self.query_one("#title", Input).focus()
            return
        try:
            record_id = self.app.service.editing.create_record(
                title, case_code=self.query_one("#case-code", Input).value
            )
        except EthicsdeskError as exc:
            self.show_error(exc.message)
            return
        self.dismiss(record_id)
