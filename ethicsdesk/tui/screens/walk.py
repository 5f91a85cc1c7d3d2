"""The walk: seven steps down the left, the current step's pane on the right.

Every change goes through the service as it is made (`change`), text after a short pause or a burst
(`Autosave`), one after another in a worker thread (`Writer`), so the screen keeps answering while the
database is busy. After its own change the screen redraws from the state it holds with that change
applied; when another process moved the record on, it reads the record again.

A change is refused only when someone else changed the same part of the record since the screen read
it (`expecting_since`): per text field, the state its text was last read or saved from. Then the
typed text stays on screen and the conflict window says whose change came in (screens/conflict.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ComposeResult, SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Header, Input, OptionList, Select, TextArea

from ethicsdesk.domain.record import RecordState
from ethicsdesk.domain.walk import STEP_TITLES, STEPS, StepId, is_step
from ethicsdesk.errors import EditConflict, EthicsdeskError
from ethicsdesk.tui.autosave import Autosave
from ethicsdesk.tui.field_notes import FOLLOW_UP, date_refusal, note_field, refused_note, saved_note
from ethicsdesk.tui.steps.base import StepPane, WalkView
from ethicsdesk.tui.steps.host import TRAINEE_JUDGEMENTS, TRAINING_GIVEN, step_head_text, walk_view
from ethicsdesk.tui.steps.panes import pane_of
from ethicsdesk.tui.widgets.fields import FieldInput, FieldSelect, FieldText, stored_value, write_field
from ethicsdesk.tui.widgets.keys_footer import KeysFooter
from ethicsdesk.tui.widgets.step_head import StepHead
from ethicsdesk.tui.widgets.step_list import StepList
from ethicsdesk.tui.writer import Writer

if TYPE_CHECKING:
    from ethicsdesk.service import Service
    from ethicsdesk.service.records import RecordAccess
    from ethicsdesk.tui.app import EthicsdeskApp


class WalkScreen(Screen[None]):
    app: EthicsdeskApp  # declared for the type checker: every screen is pushed on it (build_app)
    BINDINGS = [
        Binding("ctrl+n", "next_step", "Next step"),
        Binding("ctrl+b", "previous_step", "Back a step"),
        # priority: text boxes take ctrl+e as "end of line", ctrl+d as "delete the next character" and
        # ctrl+a as "start of line", so the walk's keys must come first; check_action leaves ctrl+d to
        # the text box outside training and ctrl+a outside signed records ("end" still ends a line).
        Binding("ctrl+e", "export", "Export", priority=True),
        Binding("ctrl+s", "save_now", "Save", show=False),
        Binding("ctrl+d", "debrief", "Debrief", priority=True),
        Binding("ctrl+a", "addendum", "Addendum", priority=True),
        Binding("escape", "home", "Records"),
        Binding("ctrl+o", "consult", "Consult", priority=True),  # from any step
        Binding("f2", "missing", "What is missing", show=False),  # the step line, whole (widgets/step_head.py)
    ]
    DEFAULT_CSS = """
    WalkScreen #walk-body { height: 1fr; }
    WalkScreen ContentSwitcher { height: 1fr; }
    """

    def __init__(
        self, record_id: str, *, read_only: bool = False, training: bool = False, at_event: int | None = None,
        read: tuple[str, RecordState] | None = None,
    ) -> None:
        super().__init__()
        self.record_id = record_id
        self._read = read  # the head and the record as the opener just read them: it is drawn from them
        if read is not None:
            read_only, training = read_only or read[1].frozen, training or read[1].kind == "training"
        # replay: the walk as the record stood after event `at_event` (the fold of the log up to it)
        self.at_event = at_event
        self.read_only = read_only or at_event is not None
        self.training = training
        self.current: StepId = "situation"
        self._opening_field = ""
        self.view: WalkView | None = None
        self.head: str | None = None  # the chain head this screen last read
        self.closing = False
        self._stale: set[StepId] = set()  # panes to redraw when next shown
        self.autosave = Autosave(self, self._save_field)
        self.writer = Writer(self)
        # What each text field's text was read or last saved from (by save key); the latest state this
        # screen read or wrote, for everything else. Set on the UI thread, and by the writer's thread
        # between writes; each is one assignment.
        self.seen_of: dict[str, RecordState] = {}
        self._latest: RecordState | None = None
        self._loaded: RecordState | None = None
        self._refusals = 0  # changes refused so far (ctrl+s says "Saved." only if none was)
        self.asking = False  # a conflict window is open
        self.quitting = False  # saving on the app's way out
        self._covered = False  # another screen was over this one since it was read
        self._opened_pane: StepPane | None = None  # the pane composed with the screen

    @property
    def service(self) -> Service:
        return self.app.service  # once open: under `open ID` the windows that need it wait for it

    @property
    def takes_keys(self) -> bool:
        """False while the step it opened at mounts its part below the first paint: keys wait for it."""
        return self._opened_pane is None or self._opened_pane.complete

    @property
    def reader(self) -> RecordAccess:
        """On the UI thread, under `open ID`, the light service until the service is open (tui/app.py)."""
        return self.app.reader

    def compose(self) -> ComposeResult:
        # only the step it opens at: each other when first shown (all seven delayed the first paint)
        step, self._opening_field = self.reader.cursor(self.record_id) or ("situation", "")
        self.current = step if is_step(step) else "situation"
        yield Header()
        with Horizontal(id="walk-body"):
            yield StepList()
            with Vertical():
                yield StepHead(id="step-head")
                with ContentSwitcher(initial=f"pane-{self.current}") as self._switcher:
                    self._opened_pane = pane_of(self.current)(id=f"pane-{self.current}")
                    yield self._opened_pane.first_part_first(self._opening_field or None)  # steps/base.py
        yield KeysFooter()

    def on_mount(self) -> None:
        self.view = self._read_view(self.reader)
        self._latest = self._loaded = self.view.state
        for pane in self.query(StepPane).results():
            pane.load(self.view)
        self.go_to(self.current, focus=self._opening_field or None, remember=False)
        if not self.app.service_ready:
            self.call_after_refresh(self.app.open_service_now)  # drawn from the light service: now the rest

    # --- reading and changing the record -------------------------------------------------------
    def _read_view(self, reader: RecordAccess | None = None) -> WalkView:
        """The record and what is derived from it; on the writer's thread through the service (no widgets)."""
        if self._read is not None:  # the opener's read, just made: not read again
            (self.head, state), self._read = self._read, None
            return self._view_of(state)
        source = reader if reader is not None else self.app.service_when_open()
        self.head = source.head(self.record_id)
        if self.at_event is not None:
            state = self.app.service_when_open().integrity.replay(self.record_id, self.at_event)
        else:
            state = source.record(self.record_id)
        return self._view_of(state)

    def _view_of(self, state: RecordState) -> WalkView:
        locked, open_fields = (TRAINING_GIVEN, TRAINEE_JUDGEMENTS) if self.training else (frozenset(), frozenset())
        return walk_view(state, self.reader, read_only=self.read_only, locked=locked, open_fields=open_fields)

    def change(
        self,
        operation: Callable[[Service, str], Any],
        *,
        seen: Callable[[], RecordState | None] | None = None,
        done: Callable[[bool, Any], None] | None = None,
        conflict: Callable[[EditConflict], None] | None = None,
        refused: Callable[[EthicsdeskError], None] | None = None,
        landed: Callable[[Any], None] | None = None,
    ) -> None:
        """Run one service operation on this record in the writer, then redraw; say why if not.

        `seen()` (called when the write runs, after the writes before it) is the state the change was
        made from; by default the latest state this screen read or wrote. `landed(result)` runs on the
        writer's thread as soon as it is saved, before the next write; `done(ok, result)`,
        `conflict(error)` and `refused(error)` (any other refusal) run on the UI thread.

        Text still waiting for its pause is saved first, so the log keeps the order things were done
        in (a question typed, then Request pressed)."""
        if not self.autosave.flushing:  # its own saves come through here
            self.autosave.flush()
        if self.read_only:
            self.notify("This record is read-only here.", severity="warning")
            if done is not None:
                done(False, None)
            return
        record_id = self.record_id

        def work() -> tuple[Any, WalkView]:
            service = self.app.service_when_open()  # under `open ID` a first change may wait for it
            base = seen() if seen is not None else self._latest
            latest, head = self._latest, self.head
            with service.expecting_since(base), service.continuing(latest, head) as known:
                result = operation(service, record_id)
            if landed is not None:
                landed(result)
            if known is not None and known.current and known.head != head:
                # only this screen's own changes since the state it read (and checked against the log):
                # the record is that state with them applied, and reading it all again is not needed
                self.head = known.head
                view = self._view_of(known.state)
            else:
                view = self._read_view()  # someone else changed it meanwhile, or nothing was saved
            self._latest = view.state
            return result, view

        self.writer.submit(work, lambda outcome, error: self._changed(outcome, error, done, conflict, refused))

    def _changed(
        self, outcome: tuple[Any, WalkView] | None, error: BaseException | None,
        done: Callable[[bool, Any], None] | None,
        conflict: Callable[[EditConflict], None] | None,
        refused: Callable[[EthicsdeskError], None] | None,
    ) -> None:
        """The end of a `change`, on the UI thread: the record redrawn, or why it was not saved."""
        if error is None and outcome is not None and not self.closing:
            self._show(outcome[1])
        if error is not None:
            self._refusals += 1
        if isinstance(error, EditConflict) and conflict is not None:
            conflict(error)
        elif isinstance(error, EthicsdeskError):
            self.notify(error.message, title="Not saved", severity="error", markup=False)
            if refused is not None and not isinstance(error, EditConflict):
                refused(error)
            if isinstance(error, EditConflict):
                self.refresh_view()  # show what came in instead
        elif error is not None:
            raise error
        if done is not None:
            done(error is None, outcome[0] if outcome else None)

    def refresh_view(self, only_if_changed: bool = False) -> None:
        """Reread the record in the writer (after the writes asked for before) and redraw; with
        `only_if_changed`, only when its head moved since this screen read it (one small query)."""

        def work() -> WalkView | None:
            if only_if_changed and self.head == self.app.service_when_open().head(self.record_id):
                return None
            view = self._read_view()
            self._latest = view.state
            return view

        def finished(view: WalkView | None, error: BaseException | None) -> None:
            if isinstance(error, EthicsdeskError):
                self.notify(error.message, severity="error", markup=False)
            elif error is not None:
                raise error
            elif view is not None and not self.closing:
                self._show(view)

        self.writer.submit(work, finished)

    async def settled(self) -> None:
        """Wait, without blocking the screen, until every write asked for has landed or been refused."""
        await self.writer.settled()

    def _show(self, view: WalkView) -> None:
        self.view = view
        # Only the pane in view is redrawn now; the others when they are next shown (go_to). On a
        # key press in the matrix that halves the redraw (bench/).
        for pane in self._switcher.children:  # kept from compose: a query of the screen took a tenth of a press
            if isinstance(pane, StepPane) and pane.step == self.current:
                pane.redraw(self.view)
            elif isinstance(pane, StepPane):
                self._stale.add(pane.step)
        self._show_step_head()

    # --- text fields: saved as typed, conflicts only on the same field ---------------------------
    def _save_field(self, key: str, value: str) -> bool:
        from ethicsdesk.tui.screens.conflict import ask_about_field_conflict  # imported at the first save
        if key == FOLLOW_UP and self.view is not None:
            # a date that is not one day is not sent: it stays in the field, marked, until it reads as one
            refusal = date_refusal(value, self.reader.today(), stored_value(self.view.state, key))
            if refusal is not None:
                self.notify(refusal[0].removeprefix("Not saved: "), title="Not a date yet", severity="warning")
                self.mark_field(key, value, refusal)
                return True

        def from_state() -> RecordState | None:
            return self.seen_of.get(key, self._loaded)  # the state the fields were filled from

        def landed(result: Any) -> None:
            # my own save is the base of my next one, from the moment it is saved: a next save already
            # queued behind it (a burst, then ctrl+q at once) would otherwise be refused as a clash
            # with my own text, and lost on the way out
            if isinstance(result, RecordState):
                self.seen_of[key] = result

        def saved(ok: bool, result: Any) -> None:
            if ok and isinstance(result, RecordState):
                self.mark_field(key, value, saved_note(key, value, result, self.reader.today()))

        self.change(
            lambda s, rid: write_field(s, rid, key, value),
            seen=from_state,
            done=saved,
            conflict=lambda exc: ask_about_field_conflict(self, key, value, exc),
            refused=lambda exc: self.mark_field(key, value, refused_note(exc.message)),
            landed=landed,
        )
        return True

    def mark_field(self, key: str, value: str, note: tuple[str, str]) -> None:
        if not self.closing:
            note_field(self.field_widget(key), value, note)

    def field_widget(self, key: str) -> FieldInput | FieldText | None:
        for widget in self.query(f"{FieldInput.__name__}, {FieldText.__name__}").results():
            if isinstance(widget, FieldInput | FieldText) and widget.save_key == key:
                return widget
        return None

    def on_input_changed(self, event: Input.Changed) -> None:
        if isinstance(event.input, FieldInput) and not self.read_only:
            self.autosave.schedule(event.input.save_key, event.value)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if isinstance(event.text_area, FieldText) and not self.read_only:
            self.autosave.schedule(event.text_area.save_key, event.text_area.text)

    def on_select_changed(self, event: Select.Changed) -> None:
        """A choice field is saved at once; being given its stored value is no change."""
        select = event.select
        if not isinstance(select, FieldSelect) or self.read_only or self.view is None:
            return
        if stored_value(self.view.state, select.save_key) != select.chosen:
            self.autosave.schedule(select.save_key, select.chosen)
            self.autosave.flush(select.save_key)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        key = getattr(event.widget, "save_key", None)
        if key is not None:
            self.autosave.flush(key)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        widget_id = event.widget.id
        if widget_id and not self.read_only:
            self._save_cursor(self.current, widget_id)

    def _save_cursor(self, step: StepId, field: str) -> None:
        """Where the cursor is, saved by the writer: a focus change never waits for the database."""
        record_id, service = self.record_id, self.app.service_when_open  # the writer's thread has no app

        def ignore(_result: object, error: BaseException | None) -> None:
            # where the cursor was is a convenience, never worth an error on screen
            if error is not None and not isinstance(error, EthicsdeskError):
                raise error

        self.writer.submit(lambda: service().editing.save_cursor(record_id, step, field), ignore, key="cursor")

    async def action_save_now(self) -> None:
        refused = self._refusals
        self.autosave.flush()
        await self.writer.settled()
        if self._refusals == refused:
            self.notify("Saved.", timeout=1.5)  # a refusal has already said why in its own notice

    async def save_before_quit(self) -> None:
        """The app is quitting (tui/quitting.py): what was typed is written before it goes; a field
        someone else changed meanwhile is saved with both texts (screens/conflict.py)."""
        self.quitting = True
        for _ in range(2):  # the second round saves such merges
            self.autosave.flush()
            await self.writer.settled()

    def on_screen_suspend(self) -> None:
        self.autosave.flush()
        self._covered = True

    def on_screen_resume(self) -> None:
        # an export or an addendum from a dialog moved the head on (not on the resume after mounting)
        if self.view is not None and self._covered:
            self.refresh_view()

    def on_unmount(self) -> None:
        self.closing = True  # save what is pending, but there is no screen left to redraw
        self.autosave.flush()
        self.writer.finish()  # the app may be quitting: what was typed lands before it goes

    # --- moving through the steps ----------------------------------------------------------------
    def go_to(self, step: StepId, *, focus: str | None = None, remember: bool = True) -> AwaitComplete:
        """Show `step`, composed first if not shown before (await the result to have its widgets)."""
        self.autosave.flush()
        self.current = step
        found = self.query(f"#pane-{step}")
        if found:
            self._show_pane(found.first(StepPane), focus, remember)
            return AwaitComplete(asyncio.sleep(0))
        pane = pane_of(step)(id=f"pane-{step}")
        mounting = self.query_one(ContentSwitcher).mount(pane)

        async def composed() -> None:
            await mounting
            if self.view is not None:
                pane.load(self.view)
            if self.current == step:  # not moved on meanwhile
                self._show_pane(pane, focus, remember)

        return AwaitComplete(composed())

    def _show_pane(self, pane: StepPane, focus: str | None, remember: bool) -> None:
        if pane.step in self._stale and self.view is not None:
            self._stale.discard(pane.step)
            pane.redraw(self.view)
        self.query_one(ContentSwitcher).current = f"pane-{pane.step}"
        self._show_step_head()
        target = focus or pane.first_field()
        found = pane.query(f"#{target}") if target else None
        if found:  # focused now: a key typed as the step appears is for this field, not the step list
            self.set_focus(found.first(), scroll_visible=False)
            self.call_after_refresh(pane.focus_in_view, found.first())  # and into view once laid out
        if remember and not self.read_only:
            self._save_cursor(pane.step, target or "")

    def action_missing(self) -> None:
        self.query_one("#step-head", StepHead).open()

    def _show_step_head(self) -> None:
        if self.view is None:
            return
        self.query_one(StepList).show(self.current, self.view.lacks)
        text = step_head_text(self.view, self.current, self.at_event, read_only=self.read_only, training=self.training)
        self.query_one("#step-head", StepHead).set_text(text)
        self.sub_title = f"{self.view.state.case_code or self.view.state.id} · {self.view.state.status}"

    async def _move(self, target: StepId) -> None:
        if STEPS.index(target) > STEPS.index(self.current):
            # judged on what was just typed (each save rereads the record after it) and on what another
            # process changed meanwhile; the screen answers while the writer reads
            self.autosave.flush()
            self.refresh_view(only_if_changed=True)
            await self.writer.settled()
            missing = self.view.blocking_before(target) if self.view else []
            if missing and not self.read_only:
                self.notify("Before moving on: " + " ".join(missing), title="Not yet", severity="warning")
                self.query_one(StepList).show(self.current, self.view.lacks if self.view else {})
                return
        await self.go_to(target)

    async def action_next_step(self) -> None:
        i = STEPS.index(self.current)
        if i + 1 < len(STEPS):
            await self._move(STEPS[i + 1])

    async def action_previous_step(self) -> None:
        i = STEPS.index(self.current)
        if i > 0:
            await self.go_to(STEPS[i - 1])

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if isinstance(event.option_list, StepList):
            event.stop()
            await self._move(StepList.step_of(event.option))

    async def action_home(self) -> None:
        self.autosave.flush()
        await self.writer.settled()
        if self.asking or self.app.screen is not self:
            return  # a conflict is being settled: the typed text stays until it is
        self.app.leave_walk()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "debrief":
            return self.training
        if action == "addendum":
            return self.at_event is None and self.view is not None and self.view.state.frozen
        return True

    async def action_addendum(self) -> None:
        from ethicsdesk.tui.screens.addendum import add_addendum_to

        if await self.app.service_opened():
            add_addendum_to(self)

    async def action_debrief(self) -> None:
        from ethicsdesk.tui.screens.debrief import open_debrief_of

        if await self.app.service_opened():
            await open_debrief_of(self)

    async def action_consult(self) -> None:
        from ethicsdesk.tui.screens.consult_request import ask_for_consultation

        await self.writer.settled()  # the window shows what was last typed in it, saved by now
        if await self.app.service_opened():
            ask_for_consultation(self, self.current)

    async def action_export(self) -> None:
        from ethicsdesk.tui.screens.export import ExportScreen

        self.autosave.flush()
        await self.writer.settled()  # the report holds what was just typed
        if await self.app.service_opened():
            self.app.push_screen(ExportScreen(self.record_id))

    def palette_commands(self) -> Iterator[SystemCommand]:
        yield SystemCommand("Export report", "Write the rationale report to a file", self.action_export)
        yield SystemCommand("Ask for consultation", "From this step (ctrl+o)", self.action_consult)
        for step in STEPS:
            where = f"Step {STEPS.index(step) + 1} of the walk"
            yield SystemCommand(f"Go to {STEP_TITLES[step]}", where, lambda s=step: self.call_later(self._move, s))
