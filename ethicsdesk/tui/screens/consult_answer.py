"""Writing in the answer an ethics committee or a colleague gave (issue 17): they are not users of
ethicsdesk, so the case manager records it, and the record says who wrote it in."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioSet, Static, TextArea

from ethicsdesk.domain.record import CONSULTANT_KIND_NAMES, CONSULTATION_OUTCOMES, Consultation
from ethicsdesk.tui.widgets.marked_toggles import MarkedRadioButton
from ethicsdesk.tui.widgets.window_body import WindowBody

OUTCOME_LABELS = {"concur": "Concur", "concur-with-changes": "With changes", "do-not-concur": "Do not concur"}


class ConsultAnswerScreen(ModalScreen[tuple[str, str, str] | None]):
    """Returns (outcome, answer, conditions); the outcome is "" for advice without a verdict."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    ConsultAnswerScreen { align: center middle; }
    ConsultAnswerScreen > VerticalScroll {
        width: 74; max-width: 100%; height: auto; max-height: 100%; border: round $primary; padding: 0 1;
    }
    ConsultAnswerScreen RadioSet { layout: horizontal; width: 100%; }
    ConsultAnswerScreen TextArea { height: 5; }
    ConsultAnswerScreen #answer-error { color: $error; }
    ConsultAnswerScreen Horizontal { height: auto; }
    ConsultAnswerScreen Button { margin-right: 2; }
    """

    def __init__(self, consultation: Consultation) -> None:
        super().__init__()
        self.consultation = consultation

    def compose(self) -> ComposeResult:
        c = self.consultation
        kind = CONSULTANT_KIND_NAMES.get(c.kind, c.kind)
        with WindowBody():
            yield Static(
                f"The answer {c.supervisor} ({kind}) gave you. They do not use ethicsdesk, so you record it; "
                "the record says you wrote it in.",
                markup=False,
            )
            yield Static(f"Asked: {c.question}", markup=False, classes="hint")
            with RadioSet(id="answer-outcome"):
                if c.mid_walk:  # advice asked mid-walk may carry no verdict
                    yield MarkedRadioButton("Advice only", value=True, name="")
                for key in CONSULTATION_OUTCOMES:
                    yield MarkedRadioButton(OUTCOME_LABELS[key], name=key)
            yield Label("Their answer")
            yield TextArea(id="answer-notes", soft_wrap=True, tab_behavior="focus")
            yield Input(placeholder="Changes or conditions they asked for (optional)", id="answer-conditions")
            yield Static("", id="answer-error", markup=False)
            with Horizontal():
                yield Button("Record", variant="primary", id="answer-record")
                yield Button("Cancel", id="answer-cancel")

    def on_mount(self) -> None:
        self.query_one("#answer-notes", TextArea).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id != "answer-record":
            self.dismiss(None)
            return
        pressed = self.query_one("#answer-outcome", RadioSet).pressed_button
        outcome = pressed.name if pressed is not None and pressed.name else ""
        notes = self.query_one("#answer-notes", TextArea).text.strip()
        if not notes:
            self.query_one("#answer-error", Static).update("Write the answer you were given.")
            return
        if not outcome and not self.consultation.mid_walk:
            self.query_one("#answer-error", Static).update("Choose concur, with changes, or do not concur.")
            return
        self.dismiss((outcome, notes, self.query_one("#answer-conditions", Input).value.strip()))

    def action_cancel(self) -> None:
        self.dismiss(None)
