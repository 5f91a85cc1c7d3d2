"""Asking for consultation from the step one is on: whom (a supervisor, an ethics committee
or a named colleague) and what. The request records the step; the answer shows on that step's pane."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Input, Label, RadioSet, Static, TextArea

from ethicsdesk.domain.record import CONSULTANT_KINDS, SIGN_OFF_STEP, RecordState
from ethicsdesk.domain.request_drafts import ASK_DRAFT, drafted_kind
from ethicsdesk.domain.walk import STEP_TITLES, StepId
from ethicsdesk.tui.autosave import Autosave
from ethicsdesk.tui.screens.dialog import Dialog
from ethicsdesk.tui.steps.host import StepHost
from ethicsdesk.tui.widgets.button import Button
from ethicsdesk.tui.widgets.consultant_kinds import KIND_LABELS, NAME_HINTS, NOT_A_USER
from ethicsdesk.tui.widgets.fields import KeptInput, cursor_to_end
from ethicsdesk.tui.widgets.marked_toggles import MarkedRadioButton, pressed_name
from ethicsdesk.tui.widgets.window_body import WindowBody


class ConsultRequestScreen(Dialog[tuple[str, str, str] | None]):
    """Returns (kind, name, question), or None when cancelled."""

    ENTER_SUBMITS = False  # the question is still to write when enter ends the name
    AUTO_FOCUS = "#request-name"  # the kind defaults to a supervisor; whom is the first thing to write
    # closer set than other dialogs: the window holds all of itself at 80x24
    DEFAULT_CSS = """
    ConsultRequestScreen > VerticalScroll { width: 74; padding: 0 1; }
    ConsultRequestScreen RadioSet { layout: horizontal; width: 100%; }
    ConsultRequestScreen TextArea { height: 5; }
    ConsultRequestScreen #request-note { color: $text-muted; }
    ConsultRequestScreen .dialog-buttons { margin-top: 0; }
    """

    def __init__(
        self,
        step: StepId,
        question: str = "",
        draft: dict[str, str] | None = None,
        keep: Callable[[str, str], object] | None = None,
    ) -> None:
        """`draft`: what was typed here before (ASK_DRAFT's parts: kind, name, question), shown again;
        `keep(field, text)` saves a part as it is typed (a text field of the record)."""
        super().__init__()
        self.step, self.question = step, question
        self.draft = {part: (draft or {}).get(part, "") for part in ASK_DRAFT}
        self._keep = keep
        # each part as shown or last saved: only a change is saved (the question shown first may be the
        # ethics question, and the kind a supervisor, without anything typed)
        self._kept = {**self.draft, "kind": drafted_kind(self.draft["kind"], CONSULTANT_KINDS, "supervisor")}
        self._kept["question"] = self.draft["question"] or question
        self._drafts = Autosave(self, self._save_part)

    def _save_part(self, part: str, value: str) -> bool:
        if self._keep is not None and value != self._kept[part]:
            self._kept[part] = value
            self._keep(ASK_DRAFT[part], value)
        return True

    def on_input_changed(self, event: Input.Changed) -> None:
        self._drafts.schedule("name", event.value)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self._drafts.schedule("question", event.text_area.text)

    def on_unmount(self) -> None:
        self._drafts.flush()  # asked, cancelled or the app closing: what was typed is kept

    def compose(self) -> ComposeResult:
        where = STEP_TITLES.get(self.step, self.step)
        kind = "the sign-off consultation" if self.step == SIGN_OFF_STEP else "input to your reasoning, not a sign-off"
        with WindowBody():
            yield Static(f"[b]Ask for consultation from {where}[/b] ({kind}).", markup=True)
            kind = self._kept["kind"]
            with RadioSet(id="request-kind"):
                for k in CONSULTANT_KINDS:
                    yield MarkedRadioButton(KIND_LABELS[k], value=k == kind, name=k)
            yield KeptInput(self.draft["name"], placeholder=NAME_HINTS[kind], id="request-name")
            yield Label("What you are asking")
            text = self.draft["question"] or self.question
            question = TextArea(text, id="request-question", soft_wrap=True, tab_behavior="focus")
            cursor_to_end(question)  # what is typed adds to the question, not in front of it
            yield question
            yield Static("", id="request-note", markup=False)
            yield self.error_line()
            yield self.buttons(Button("Ask", variant="primary", id="request-ask"), Button("Cancel", id="cancel"))

    def _kind(self) -> str:
        return pressed_name(self.query_one("#request-kind", RadioSet), "supervisor")

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        kind = self._kind()
        self._save_part("kind", kind)
        self.query_one("#request-name", Input).placeholder = NAME_HINTS[kind]
        self.query_one("#request-note", Static).update("" if kind == "supervisor" else NOT_A_USER)

    def submit(self) -> None:
        name = self.query_one("#request-name", Input).value.strip()
        question = self.query_one("#request-question", TextArea).text.strip()
        if not name:
            self.show_error("Name whom you are asking.")
            return
        if not question and self.step != SIGN_OFF_STEP:
            self.show_error("Write what you are asking.")
            return
        self._drafts.flush()  # saved before the request, which then empties the draft (ask_for_consultation)
        self.dismiss((self._kind(), name, question))


def ask_for_consultation(screen: Screen[Any], step: StepId) -> None:
    """ctrl+o on any step: ask, and record the step it was asked from. `screen` is the walk, known
    here by what a pane asks of it (StepHost), so this window does not import the walk screen."""
    if not isinstance(screen, StepHost):
        return
    walk = screen
    if walk.read_only or (walk.view is not None and walk.view.state.frozen):
        # said before the window opens, so nothing is typed in vain
        screen.notify("This record cannot take a consultation request here (read-only or signed).", severity="warning")
        return
    fields = walk.view.state.text if walk.view is not None else {}
    question = fields.get("question", "")
    draft = {part: fields.get(name, "") for part, name in ASK_DRAFT.items()}

    def keep(name: str, value: str) -> None:
        walk.change(lambda s, rid: s.editing.set_text(rid, name, value))

    def asked(result: tuple[str, str, str] | None) -> None:
        if result is None:
            return
        kind, name, text = result

        def done(ok: bool, state: object) -> None:
            if ok:
                screen.notify(f"Consultation asked of {name} from {STEP_TITLES[step]}.", markup=False)
                # asked: the next request from this window starts empty
                drafts = state.text if isinstance(state, RecordState) else {}
                for field in ASK_DRAFT.values():
                    if drafts.get(field):
                        keep(field, "")

        walk.change(lambda s, rid: s.editing.request_consultation(rid, name, text, kind=kind, step=step), done=done)

    screen.app.push_screen(ConsultRequestScreen(step, question, draft, keep), asked)
