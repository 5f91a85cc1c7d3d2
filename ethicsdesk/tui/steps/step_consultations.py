"""The consultations asked from one step, shown on that step's pane: whom, the question,
and the answer once given; with buttons to write in a committee's or colleague's answer, or to
withdraw a request still open. Hidden while nothing was asked from the step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from ethicsdesk.domain.record import CONSULTANT_KIND_NAMES, SIGN_OFF_STEP, Consultation
from ethicsdesk.domain.walk import StepId
from ethicsdesk.tui.widgets.button import Button

if TYPE_CHECKING:
    from ethicsdesk.tui.steps.host import WalkView


def consultation_text(c: Consultation) -> str:
    """One consultation in a few lines: number, whom, state, question, answer."""
    kind = CONSULTANT_KIND_NAMES.get(c.kind, c.kind)
    urgent = "URGENT · " if c.urgent and c.state == "requested" else ""
    head = f"{urgent}{c.number or 'Sign-off'}. {c.supervisor} ({kind}), asked {c.requested_at[:16].replace('T', ' ')}"
    lines = [head, f"  Q: {c.question or '(no question written)'}"]
    if c.state == "answered":
        verdict = f" — {c.outcome.replace('-', ' ').upper()}" if c.outcome else ""
        written = f", written in by {c.recorded_by}" if c.recorded_by else ""
        lines.append(f"  Answer ({c.answered_by}{written}){verdict}: {c.notes}")
        if c.conditions:
            lines.append(f"  Conditions: {c.conditions}")
    elif c.state == "withdrawn":
        lines.append("  Withdrawn.")
    elif c.kind == "supervisor":
        lines.append("  Awaiting the supervisor's answer (their review queue).")
    else:
        lines.append("  Awaiting their answer: record it here when they give it.")
    return "\n".join(lines)


class StepConsultations(Vertical):
    DEFAULT_CSS = """
    StepConsultations { height: auto; border: round $accent; padding: 0 1; margin-bottom: 1; }
    StepConsultations #asked-text { height: auto; }
    StepConsultations Horizontal { height: auto; }
    StepConsultations Button { margin-right: 2; min-width: 10; }
    """

    def __init__(self, step: StepId) -> None:
        super().__init__(classes="step-consultations")
        self.step = step
        self.border_title = "Consultation asked here"
        self._to_record: Consultation | None = None
        self._to_withdraw: Consultation | None = None
        self._parts: tuple[Static, Button, Button] | None = None

    def compose(self) -> ComposeResult:
        # Nothing until something is asked from the step (`_built`): every pane holds one of these,
        # mostly hidden, and its four widgets were styled and laid out each time a step was first shown.
        return iter(())

    def _built(self) -> tuple[Static, Button, Button]:
        """The text and the two buttons, mounted the first time there is something to show."""
        if self._parts is None:
            text = Static("", id="asked-text", markup=False)
            record = Button("Record the answer", id="asked-record", compact=True)
            withdraw = Button("Withdraw", id="asked-withdraw", compact=True)
            self.mount_all([text, Horizontal(record, withdraw)])
            self._parts = (text, record, withdraw)
        return self._parts

    def on_mount(self) -> None:
        view = getattr(self.screen, "view", None)  # mounted after the pane first loaded: catch up
        if view is not None:
            self.show(view)

    def show(self, view: WalkView) -> None:
        state = view.state
        asked = [c for c in state.step_consultations if c.step == self.step]
        if self.step == SIGN_OFF_STEP and state.consultation is not None and state.consultation.kind != "supervisor":
            asked.append(state.consultation)  # a committee's sign-off answer is written in here too
        self.display = bool(asked)
        if not asked:
            return
        text, record, withdraw = self._built()
        text.update("\n".join(consultation_text(c) for c in asked))
        open_ = [c for c in asked if c.state == "requested"]
        self._to_record = next((c for c in open_ if c.kind != "supervisor"), None)
        self._to_withdraw = open_[0] if open_ else None
        record.display = self._to_record is not None and not view.read_only
        if self._to_record is not None:
            record.label = f"Record the answer of {self._to_record.supervisor}"
        withdraw.display = self._to_withdraw is not None and not view.read_only

    def on_button_pressed(self, event: Button.Pressed) -> None:
        from ethicsdesk.tui.steps.host import StepHost

        event.stop()
        walk = self.screen
        if not isinstance(walk, StepHost):  # only the walk shows a step's consultations
            return
        if event.button.id == "asked-withdraw" and self._to_withdraw is not None:
            number = self._to_withdraw.number
            walk.change(lambda s, rid: s.editing.withdraw_consultation(rid, number))
        elif event.button.id == "asked-record" and self._to_record is not None:
            from ethicsdesk.tui.screens.consult_answer import ConsultAnswerScreen

            number = self._to_record.number

            def recorded(result: tuple[str, str, str] | None) -> None:
                if result is not None:
                    outcome, notes, conditions = result
                    walk.change(
                        lambda s, rid: s.editing.record_consultation_answer(rid, number, notes, outcome, conditions)
                    )

            self.app.push_screen(ConsultAnswerScreen(self._to_record), recorded)
