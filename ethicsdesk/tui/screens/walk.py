"""The walk: seven steps down the left, the current step's pane on the right.

Every change goes through the service as it is made (`change`), text after a short pause
(`Autosave`). The screen rereads the record after each change and lets the panes redraw what is
derived from it; it never writes into the field the user is typing in.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Header, Input, ListView, Static, TextArea

from ethicsdesk.domain.analysis import analyse_record
from ethicsdesk.domain.checks import BLOCKING, missing_by_step, quality_checks
from ethicsdesk.domain.walk import STEP_TITLES, STEPS
from ethicsdesk.errors import EthicsdeskError
from ethicsdesk.tui.autosave import Autosave
from ethicsdesk.tui.steps.base import StepPane, WalkView
from ethicsdesk.tui.steps.consult import ConsultPane
from ethicsdesk.tui.steps.decide import DecidePane
from ethicsdesk.tui.steps.obligations import ObligationsPane
from ethicsdesk.tui.steps.options import OptionsPane
from ethicsdesk.tui.steps.outcome import OutcomePane
from ethicsdesk.tui.steps.situation import SituationPane
from ethicsdesk.tui.steps.weigh import WeighPane
from ethicsdesk.tui.widgets.fields import FieldInput, FieldText
from ethicsdesk.tui.widgets.keys_footer import KeysFooter
from ethicsdesk.tui.widgets.step_list import StepList

if TYPE_CHECKING:
    from ethicsdesk.service import Service

TRAINING_GIVEN = frozenset({"situation", "options"})
PANES: tuple[type[StepPane], ...] = (
    SituationPane,
    ObligationsPane,
    OptionsPane,
    WeighPane,
    DecidePane,
    ConsultPane,
    OutcomePane,
)


class WalkScreen(Screen[None]):
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
    ]
    DEFAULT_CSS = """
    WalkScreen #walk-body { height: 1fr; }
    WalkScreen #step-head {
        height: auto; padding: 0 1; background: $panel; text-wrap: nowrap; text-overflow: ellipsis;
    }
    WalkScreen ContentSwitcher { height: 1fr; }
    """

    def __init__(
        self, record_id: str, *, read_only: bool = False, training: bool = False, at_event: int | None = None
    ) -> None:
        super().__init__()
        self.record_id = record_id
        # replay: the walk as the record stood after event `at_event` (the fold of the log up to it)
        self.at_event = at_event
        self.read_only = read_only or at_event is not None
        self.training = training
        self.current = "situation"
        self.view: WalkView | None = None
        self.head: str | None = None  # the chain head this screen last read
        self.closing = False
        self._stale: set[str] = set()  # panes to redraw when next shown
        self.autosave = Autosave(self, self._save_field)

    @property
    def service(self) -> Service:
        return self.app.service  # type: ignore[attr-defined,no-any-return]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="walk-body"):
            yield StepList()
            with Vertical():
                yield Static("", id="step-head", markup=False)
                with ContentSwitcher(initial="pane-situation"):
                    for pane in PANES:
                        yield pane(id=f"pane-{pane.step}")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.view = self._read_view()
        for pane in self.query(StepPane).results():
            pane.load(self.view)
        step, field = self.service.cursor(self.record_id) or ("situation", "")
        self.go_to(step if step in STEPS else "situation", focus=field or None, remember=False)

    # --- reading and changing the record -------------------------------------------------------
    def _read_view(self) -> WalkView:
        self.head = self.service.head(self.record_id)
        if self.at_event is not None:
            state = self.service.replay(self.record_id, self.at_event)
        else:
            state = self.service.record(self.record_id)
        framework = self.service.framework_of(state)
        catalogue = self.service.catalogue()
        findings = quality_checks(state, framework, catalogue)
        return WalkView(
            state=state,
            framework=framework,
            catalogue=catalogue,
            analysis=analyse_record(state, framework, catalogue),
            lacks={step: [f.text for f in found] for step, found in missing_by_step(findings).items()},
            findings=tuple(findings),
            read_only=self.read_only,
            locked=TRAINING_GIVEN if self.training else frozenset(),
        )

    def change(self, operation: Callable[[Service, str], Any]) -> bool:
        """Run one service operation on this record, then redraw; say why in one sentence if not."""
        if self.read_only:
            self.notify("This record is read-only here.", severity="warning")
            return False
        try:
            # Against the head this screen last read: if someone else changed the record since, the
            # service refuses and what was typed stays on screen (optimistic concurrency).
            with self.service.expecting(self.head):
                operation(self.service, self.record_id)
        except EthicsdeskError as exc:
            self.notify(exc.message, title="Not saved", severity="error", markup=False)
            return False
        if not self.closing:
            self.refresh_view()
        return True

    def refresh_view(self) -> None:
        try:
            self.view = self._read_view()
        except EthicsdeskError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        # Only the pane in view is redrawn now; the others when they are next shown (go_to). On a
        # key press in the matrix that halves the redraw (bench/).
        for pane in self.query(StepPane).results():
            if pane.step == self.current:
                pane.refresh_view(self.view)
            else:
                self._stale.add(pane.step)
        self._show_step_head()

    def _save_field(self, key: str, value: str) -> bool:
        kind, _, name = key.partition(":")
        ops: dict[str, Callable[[Service, str], Any]] = {
            "text": lambda s, rid: s.set_text(rid, name, value),
            "list": lambda s, rid: s.set_list(rid, name, [v for v in value.replace("\n", ",").split(",")]),
            "stakeholders": lambda s, rid: s.set_stakeholders(rid, _stakeholder_lines(value)),
            "decision": lambda s, rid: s.decide(rid, name, value),
            "answer": lambda s, rid: s.answer(rid, name, value),
        }
        return self.change(ops[kind])

    def on_input_changed(self, event: Input.Changed) -> None:
        if isinstance(event.input, FieldInput) and not self.read_only:
            self.autosave.schedule(event.input.save_key, event.value)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if isinstance(event.text_area, FieldText) and not self.read_only:
            self.autosave.schedule(event.text_area.save_key, event.text_area.text)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        key = getattr(event.widget, "save_key", None)
        if key is not None:
            self.autosave.flush(key)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        widget_id = event.widget.id
        if widget_id and not self.read_only:
            # where the cursor was is a convenience, never worth an error on screen
            with suppress(EthicsdeskError):
                self.service.save_cursor(self.record_id, self.current, widget_id)

    def action_save_now(self) -> None:
        if self.autosave.flush():
            self.notify("Saved.", timeout=1.5)  # a refusal has already said why in its own notice

    def on_screen_suspend(self) -> None:
        self.autosave.flush()

    def on_screen_resume(self) -> None:
        if self.view is not None:
            self.refresh_view()  # an export or an addendum from a dialog moved the head on

    def on_unmount(self) -> None:
        self.closing = True  # save what is pending, but there is no screen left to redraw
        self.autosave.flush()

    # --- moving through the steps ----------------------------------------------------------------
    def go_to(self, step: str, *, focus: str | None = None, remember: bool = True) -> None:
        self.autosave.flush()
        self.current = step
        if step in self._stale and self.view is not None:
            self._stale.discard(step)
            self.query_one(f"#pane-{step}", StepPane).refresh_view(self.view)
        self.query_one(ContentSwitcher).current = f"pane-{step}"
        self._show_step_head()
        pane = self.query_one(f"#pane-{step}", StepPane)
        target = focus or pane.first_field()
        if target:
            found = pane.query(f"#{target}")
            if found:
                self.call_after_refresh(found.first().focus)
        if remember and not self.read_only:
            with suppress(EthicsdeskError):
                self.service.save_cursor(self.record_id, step, target or "")

    def _show_step_head(self) -> None:
        if self.view is None:
            return
        self.query_one(StepList).show(self.current, self.view.lacks)
        n = STEPS.index(self.current) + 1
        lacks = self.view.lacks.get(self.current, [])
        state = self.view.state
        head = f"Step {n} of 7 · {STEP_TITLES[self.current]} · {state.title or '(untitled)'}"
        if self.at_event is not None:
            head += f" · replay: as it stood after event {self.at_event} (read-only)"
        elif state.frozen and state.signature is not None:
            head += f" · signed by {state.signature.signer}, frozen (ctrl+a adds an addendum)"
        elif self.read_only:
            head += " · read-only"
        elif self.training:
            head += " · training (situation and options are given)"
        if lacks:
            head += f"\nStill missing here ({len(lacks)}): " + " ".join(lacks)
        else:
            head += "\nNothing is missing on this step."
        self.query_one("#step-head", Static).update(head)
        self.sub_title = f"{state.case_code or state.id} · {state.status}"

    def _blocked(self, target: str) -> list[str]:
        """What stops a move forward to `target`: the required parts of each step before it."""
        assert self.view is not None
        before = STEPS[: STEPS.index(target)]
        return [f.text for f in self.view.findings if f.id in BLOCKING and f.step in before]

    def _move(self, target: str) -> None:
        if STEPS.index(target) > STEPS.index(self.current):
            self.autosave.flush()
            self.refresh_view()
            missing = self._blocked(target)
            if missing and not self.read_only:
                self.notify("Before moving on: " + " ".join(missing), title="Not yet", severity="warning")
                self.query_one(StepList).show(self.current, self.view.lacks if self.view else {})
                return
        self.go_to(target)

    def action_next_step(self) -> None:
        i = STEPS.index(self.current)
        if i + 1 < len(STEPS):
            self._move(STEPS[i + 1])

    def action_previous_step(self) -> None:
        i = STEPS.index(self.current)
        if i > 0:
            self.go_to(STEPS[i - 1])

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        if isinstance(event.list_view, StepList) and event.item.id:
            event.stop()
            self._move(event.item.id.removeprefix("step-"))

    def action_home(self) -> None:
        self.autosave.flush()
        self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "debrief":
            return self.training
        if action == "addendum":
            return self.at_event is None and self.view is not None and self.view.state.frozen
        return True

    def action_addendum(self) -> None:
        """Signed records take additions beside the signed reasoning, never edits to it."""
        from ethicsdesk.tui.screens.addendum import AddendumScreen

        def add(result: tuple[str, str, str] | None) -> None:
            if result is None:
                return
            try:
                self.service.add_addendum(self.record_id, *result)
            except EthicsdeskError as exc:
                self.notify(exc.message, title="Not added", severity="error", markup=False)
                return
            self.notify("Addendum added.")
            self.refresh_view()

        self.app.push_screen(AddendumScreen(), add)

    def action_debrief(self) -> None:
        """Compare this training attempt with the sample's reference (once a choice is made)."""
        from ethicsdesk.tui.screens.debrief import DebriefScreen

        self.autosave.flush()
        self.refresh_view()
        assert self.view is not None
        if not any(o.key == self.view.state.decision.get("chosen") for o in self.view.state.options):
            self.notify(
                "Choose an option on the Decide step first; then the debrief compares your work.",
                title="Not yet",
                severity="warning",
            )
            return
        self.app.push_screen(DebriefScreen(self.record_id))

    def action_export(self) -> None:
        from ethicsdesk.tui.screens.export import ExportScreen

        self.autosave.flush()
        self.app.push_screen(ExportScreen(self.record_id))

    def palette_commands(self):  # type: ignore[no-untyped-def]
        from textual.app import SystemCommand

        yield SystemCommand("Export report", "Write the rationale report to a file", self.action_export)
        for step in STEPS:
            yield SystemCommand(
                f"Go to {STEP_TITLES[step]}", f"Step {STEPS.index(step) + 1} of the walk", lambda s=step: self._move(s)
            )


def _stakeholder_lines(text: str) -> list[tuple[str, str]]:
    out = []
    for line in text.splitlines():
        name, _, interest = line.partition(":")
        if name.strip():
            out.append((name.strip(), interest.strip()))
    return out
