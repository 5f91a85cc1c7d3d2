"""Home: your records, newest change first, with a search box and the actions to start or open one."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static
from textual.widgets.data_table import ColumnKey

from ethicsdesk.errors import EthicsdeskError
from ethicsdesk.terminal_text import shown
from ethicsdesk.tui.app_face import AppFace, ServiceReady
from ethicsdesk.tui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from ethicsdesk.domain.due import DueWork, FollowUp

STATUS_TEXT = {
    "draft": "draft",
    "decided": "decided",
    "awaiting-consultation": "awaiting consult",
    "consulted": "consulted",
    "signed": "signed",
    "closed": "closed",
}
PAGE = 200
FIRST_PAGE = 40  # a screenful, before the service opens; the service's reload brings the rest
FIXED_COLUMNS = (("Case", "case", 7), ("Status", "status", 16), ("Step", "step", 11), ("Changed", "changed", 11))


class HomeScreen(Screen[None]):
    @property
    def face(self) -> AppFace:
        """The app, typed as what this screen asks of it (tui/app_face.py)."""
        return cast("AppFace", self.app)
    # At 80 columns the footer fits six keys; replay and cohort are in the help (F1) and the palette.
    BINDINGS = [
        Binding("n", "app.new_record", "New"),
        Binding("enter", "open", "Open", show=True),
        Binding("slash", "search", "Search"),
        Binding("r", "replay", "Replay", show=False),
        Binding("t", "app.start_training(None)", "Train"),
        Binding("c", "app.open_cohort", "Cohort", show=False),
        Binding("v", "app.open_review_queue", "Reviews"),
        Binding("i", "insight", "Insight", show=False),
        Binding("escape", "clear_search", "Clear search", show=False),
    ]
    DEFAULT_CSS = """
    HomeScreen #bar { height: 3; }
    HomeScreen #search { width: 1fr; }
    HomeScreen #count { width: auto; padding: 1 1 0 1; color: $text-muted; }
    HomeScreen DataTable { height: 1fr; }
    HomeScreen #due { padding: 0 1; color: $warning; height: auto; max-height: 2; }
    HomeScreen #empty { padding: 1 2; color: $text-muted; height: auto; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="bar"):
            yield Input(placeholder="Search titles and text (press / to search, enter to apply)", id="search")
            yield Static("", id="count", markup=False)
        yield Static("", id="due", markup=False)
        yield Static("Opening your records…", id="empty", markup=False)
        table: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True, id="records")
        yield table
        yield KeysFooter()

    def on_mount(self) -> None:
        self.sub_title = "your records"
        table = self.query_one(DataTable)
        table.add_column("Title", key="title", width=self._title_width())
        for label, key, width in FIXED_COLUMNS:
            table.add_column(label, key=key, width=width)
        table.focus()
        self.query_one("#due", Static).display = False  # filled once the service is open, after the first paint
        if self.face.service_ready and self.is_active:
            self.reload()
        elif self.face.first_page is not None:
            self.run_worker(self._read_first_page, thread=True, group="first-page")

    def _read_first_page(self) -> None:
        first_page = self.face.first_page
        rows = first_page(FIRST_PAGE) if first_page is not None else None
        self.app.call_from_thread(self._show_first_page, rows)

    def _show_first_page(self, rows: list | None) -> None:
        """The first page read before the service opened; the service's reload replaces it. The
        service starts opening once this has been painted (or at once if there was nothing to show)."""
        if rows is not None and not self.face.service_ready:
            self._fill(rows, None)
        self.call_after_refresh(self.face.open_service_now)

    def _title_width(self) -> int:
        """What the other columns leave of the terminal's width (each column pads one either side)."""
        table = self.query_one(DataTable)
        widths = [
            column.width if column is not None else w
            for _, key, w in FIXED_COLUMNS
            for column in [table.columns.get(ColumnKey(key))]
        ]
        fixed = sum(widths) + 2 * (len(FIXED_COLUMNS) + 1) + 2
        return max(16, self.app.size.width - fixed)

    def _fit_columns(self, rows: list[tuple[str, ...]]) -> None:
        """Each other column as wide as what it shows (at most its set width); the title takes the rest,
        so that at 80 columns a title is not cut at 23 characters beside half-empty columns."""
        table = self.query_one(DataTable)
        for n, (label, key, most) in enumerate(FIXED_COLUMNS):
            column = table.columns.get(ColumnKey(key))
            if column is not None:
                column.width = min(most, max([len(label), *(len(r[n]) for r in rows)]))
        self.on_resize()

    def on_resize(self) -> None:
        table = self.query_one(DataTable)
        column = table.columns.get(ColumnKey("title"))
        if column is not None and column.width != self._title_width():
            column.width = self._title_width()
            table.refresh(layout=True)

    # Each reload checks every listed record against its log (a fold of its events): behind a screen
    # opened at start (`open ID`, `replay ID`) it is left until home is on top again, when it resumes.
    def on_screen_resume(self) -> None:
        if self.face.service_ready and self.is_active:
            self.reload()

    def on_service_ready(self, _: ServiceReady) -> None:
        if self.is_active:
            self.reload()

    def reload(self) -> None:
        if not self.query_one(DataTable).columns:
            return  # a resume can arrive before on_mount has made the columns; on_mount reloads
        search = self.query_one("#search", Input).value.strip() or None
        try:
            # the Step column is where you left each record: where it opens for you
            rows = self.face.service.list_records(kind="case", search=search, limit=PAGE, where_i_left=True)
        except EthicsdeskError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self._fill(rows, search)
        self._show_due()

    def _show_due(self) -> None:
        """What comes due (`ethicsdesk due`), in two lines at most above the records; nothing when
        nothing is due. Read through the open service, so it never holds up the first paint."""
        banner = self.query_one("#due", Static)
        try:
            lines = due_summary(self.face.service.due_work())
        except EthicsdeskError:
            lines = []  # the list above already said what is wrong with the database
        banner.display = bool(lines)
        banner.update(Text("\n".join(shown(line, one_line=True) for line in lines)))

    def _fill(self, rows: list, search: str | None) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row
        table.clear()
        self._fit_columns(
            [(r.case_code, STATUS_TEXT.get(r.status, r.status), r.step, r.updated_at[5:16]) for r in rows]
        )
        for r in rows:
            table.add_row(  # Text, not str: a DataTable reads a str as markup, and titles are user text
                Text(shown(r.title or "(untitled)", one_line=True)),  # laid out as shown (tui/terminal_safe.py)
                Text(shown(r.case_code, one_line=True)),
                STATUS_TEXT.get(r.status, r.status),
                r.step,
                r.updated_at[5:16].replace("T", " "),
                key=r.id,
            )
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1))
        empty = self.query_one("#empty", Static)
        if rows:
            empty.display = False
        else:
            empty.display = True
            empty.update(
                f"No records match “{search}”. Press escape to clear the search."
                if search
                # commands that work wherever ethicsdesk is installed (dilemmas/ is only in the source tree)
                else "No records yet. Press n to start a new dilemma record, or t to practise on a sample.\n"
                "From a shell: ethicsdesk samples list shows the samples; ethicsdesk train SAMPLE opens one."
            )
        self.query_one("#count", Static).update(f"{len(rows)} record(s)")

    def _highlighted(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        return str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def action_open(self) -> None:
        record_id = self._highlighted()
        if record_id:
            self.face.open_record(record_id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.face.open_record(str(event.row_key.value))

    def action_replay(self) -> None:
        record_id = self._highlighted()
        if record_id:
            self.face.open_replay(record_id)

    def action_insight(self) -> None:
        """The agency's view (a supervisor's covers everyone; anyone else's their own records)."""
        if not self.face.service_ready:
            return
        from ethicsdesk.tui.screens.insight import InsightScreen

        try:
            figures = self.face.service.insight().to_json()
        except EthicsdeskError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self.app.push_screen(InsightScreen(figures))

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        if search.value:
            search.value = ""
            self.reload()
        self.query_one(DataTable).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self.reload()
            self.query_one(DataTable).focus()


def _named(f: FollowUp) -> str:
    name = f.case_code or (f.title[:20] + ("…" if len(f.title) > 20 else "")) or f.record_id
    when = "today" if f.days == 0 else f"in {f.days}d" if f.days > 0 else f"{-f.days}d late"
    return f"{name} {when}"


def due_summary(work: DueWork, most: int = 3) -> list[str]:
    """What comes due as home shows it: a line for follow-ups (overdue, then due within the week,
    naming the first few), a line for open consultation requests with the oldest one's age."""
    lines: list[str] = []
    parts = []
    for label, items in (("overdue", work.overdue), ("due within 7 days", work.due)):
        if items:
            more = f", +{len(items) - most}" if len(items) > most else ""
            parts.append(f"{len(items)} {label} ({', '.join(_named(f) for f in items[:most])}{more})")
    if parts:
        lines.append("Follow-ups: " + "; ".join(parts))
    asks = []
    for label, requests in (("of yours open", work.asked_by_me), ("awaiting your answer", work.asked_of_me)):
        if requests:
            oldest = max(r.age_days for r in requests)
            asks.append(f"{len(requests)} {label} (oldest {oldest} day{'' if oldest == 1 else 's'})")
    if asks:
        lines.append("Consultation requests: " + "; ".join(asks))
    return lines
