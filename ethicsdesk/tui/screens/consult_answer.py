"""Writing in the answer an ethics committee or a colleague gave: they are not users of
ethicsdesk, so the case manager records it, and the record says who wrote it in."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Label, RadioSet, Static, TextArea

from ethicsdesk.domain.record import CONSULTANT_KIND_NAMES, CONSULTATION_OUTCOMES, Consultation
from ethicsdesk.tui.screens.dialog import Dialog
from ethicsdesk.tui.widgets.button import Button
from ethicsdesk.tui.widgets.marked_toggles import MarkedRadioButton, pressed_name
from ethicsdesk.tui.widgets.window_body import WindowBody

OUTCOME_LABELS = {"concur": "Concur", "concur-with-changes": "With changes", "do-not-concur": "Do not concur"}


class ConsultAnswerScreen(Dialog[tuple[str, str, str] | None]):
    """Returns (outcome, answer, conditions); the outcome is "" for advice without a verdict."""

    ENTER_SUBMITS = False  # recorded by the button, once the verdict and the answer are checked
    AUTO_FOCUS = "#answer-notes"  # the verdict's default is set; the answer is what is to write
    # closer set than other dialogs: the window holds all of itself at 80x24
    DEFAULT_CSS = """
    ConsultAnswerScreen > VerticalScroll { width: 74; padding: 0 1; }
    ConsultAnswerScreen RadioSet { layout: horizontal; width: 100%; }
    ConsultAnswerScreen TextArea { height: 5; }
    ConsultAnswerScreen .dialog-buttons { margin-top: 0; }
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
            yield self.error_line()
            yield self.buttons(Button("Record", variant="primary", id="answer-record"), Button("Cancel", id="cancel"))

    def submit(self) -> None:
        outcome = pressed_name(self.query_one("#answer-outcome", RadioSet), "")
        notes = self.query_one("#answer-notes", TextArea).text.strip()
        if not notes:
            self.show_error("Write the answer you were given.")
            return
        if not outcome and not self.consultation.mid_walk:
            self.show_error("Choose concur, with changes, or do not concur.")
            return
        self.dismiss((outcome, notes, self.query_one("#answer-conditions", Input).value.strip()))
