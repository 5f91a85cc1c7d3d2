"""The supervisor's queue: every open consultation request, one row each, urgent first, then oldest."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from ethicsdesk.domain.walk import STEP_TITLES
from ethicsdesk.errors import EthicsdeskError
from ethicsdesk.tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from ethicsdesk.tui.app import EthicsdeskApp


class ReviewQueueScreen(Screen[None]):
    app: EthicsdeskApp  # declared for the type checker: every screen is pushed on it (build_app)
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("a", "toggle_everyone", "Mine / all"),
    ]
    DEFAULT_CSS = """
    ReviewQueueScreen #queue-note { height: auto; padding: 0 1; color: $text-muted; }
    ReviewQueueScreen DataTable { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.everyone = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="queue-note", markup=False)
        yield DataTable(cursor_type="row", id="queue")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "consultation requests"
        table = self.query_one(DataTable)
        for label, key, width in (
            ("", "urgent", 6),
            ("Requested", "at", 11),
            ("From", "from", 12),
            ("Case", "case", 7),
            ("Request", "request", 18),
            ("Title", "title", None),
        ):
            table.add_column(label, key=key, width=width)
        table.focus()
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        if not self.query_one(DataTable).columns:
            return  # a resume can arrive before on_mount has made the columns; on_mount reloads
        try:
            items = self.app.service.review.review_queue(everyone=self.everyone)
        except EthicsdeskError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        table = self.query_one(DataTable)
        table.clear()
        for q in items:
            table.add_row(
                "URGENT" if q.urgent else "",
                q.requested_at[5:16].replace("T", " "),
                Text(q.requested_by),  # Text, not str: a DataTable reads a str as markup
                Text(q.case_code),
                # each request its own row: where it was asked, and whether it is the sign-off or input
                Text(f"{STEP_TITLES.get(q.step, q.step)}: {'sign-off' if q.sign_off else 'input'}"),
                Text(q.title),
                key=f"{q.record_id}:{q.number}",
            )
        who = "everyone" if self.everyone else "you"
        user = self.app.user
        note = f"{len(items)} open request(s) addressed to {who}. Enter opens one; a shows mine or all."
        if user is not None and user.role != "supervisor":
            note += f" You are recorded as a {user.role}: only a supervisor can answer or sign."
        self.query_one("#queue-note", Static).update(note)

    def action_toggle_everyone(self) -> None:
        self.everyone = not self.everyone
        self.reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        record_id, _, number = str(event.row_key.value).rpartition(":")
        self.app.open_review(record_id, int(number))
