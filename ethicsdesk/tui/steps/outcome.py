"""Step 7, Outcome: later, what happened, how it went against the plan made on Decide, and what was
learned."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Label, Static

from ethicsdesk.domain.record import RecordState
from ethicsdesk.tui.steps.base import StepPane, WalkView
from ethicsdesk.tui.widgets.fields import FieldText
from ethicsdesk.tui.widgets.reading import ReadingBox


def plan_text(state: RecordState) -> str:
    """The implementation plan as the Outcome step shows it (issue 17c)."""
    parts = (
        ("Who does what, by when", state.text.get("plan_actions", "")),
        ("Communicated, and to whom", state.text.get("plan_communication", "")),
        ("Revisit if", state.text.get("plan_revisit", "")),
        ("Follow-up date", state.decision.get("follow_up", "")),
    )
    lines = [f"{label}: {value.strip()}" for label, value in parts if value.strip()]
    return "\n".join(lines) if lines else "No implementation plan was recorded on the Decide step."


class OutcomePane(StepPane):
    step = "outcome"
    title = "Outcome"
    intro = "Come back when you know how it turned out. Recording an outcome closes the record."

    def compose(self) -> ComposeResult:
        yield self.intro_widget()
        yield Label("What happened")
        yield FieldText("text:outcome", id="f-outcome", classes="tall")
        # Just above the field that compares with it, so that both are in view at 80x24 when that
        # field has the focus.
        yield ReadingBox(id="plan", title="The plan made on Decide (tab here to read it)")
        yield Label("How it went against the plan")
        yield Static("What was done as planned, what was not, and why.", classes="hint")
        yield FieldText("text:against_plan", id="f-against_plan")
        yield Label("What was learned")
        yield Static("For you, the team, or the next case like this one.", classes="hint")
        yield FieldText("text:lessons", id="f-lessons", classes="tall")

    def refresh_view(self, view: WalkView) -> None:
        self.query_one("#plan", ReadingBox).update(plan_text(view.state))

    def first_field(self) -> str | None:
        return "f-outcome"
