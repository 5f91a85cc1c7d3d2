"""Step 7, Outcome: later, what happened, how it went against the plan made on Decide, and what was
learned. On a signed record the fields are frozen with the rest: the outcome is added beside the
signed reasoning as an addendum, which this step offers and lists."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from ethicsdesk.domain.non_concurrence import (
    MORAL_DISTRESS,
    MORAL_DISTRESS_HINT,
    MORAL_DISTRESS_LABEL,
    non_concurrence_text,
)
from ethicsdesk.domain.record import Addendum, RecordState
from ethicsdesk.tui.steps.base import StepPane, WalkView
from ethicsdesk.tui.widgets.button import Button
from ethicsdesk.tui.widgets.caption import Caption
from ethicsdesk.tui.widgets.fields import FieldText
from ethicsdesk.tui.widgets.reading import ReadingBox


def plan_text(state: RecordState) -> str:
    """The implementation plan as the Outcome step shows it."""
    parts = (
        ("Who does what, by when", state.text.get("plan_actions", "")),
        ("Communicated, and to whom", state.text.get("plan_communication", "")),
        ("Revisit if", state.text.get("plan_revisit", "")),
        ("Follow-up date", state.decision.get("follow_up", "")),
    )
    lines = [f"{label}: {value.strip()}" for label, value in parts if value.strip()]
    return "\n".join(lines) if lines else "No implementation plan was recorded on the Decide step."


def addenda_text(addenda: list[Addendum]) -> str:
    """The outcome addenda as the signed record's Outcome step lists them, oldest first."""
    if not addenda:
        return "No outcome has been added since the record was signed."
    return "\n\n".join(f"{a.at[:10]} · {a.author} · {a.reason}\n{a.text}" for a in addenda)


class OutcomePane(StepPane):
    step = "outcome"
    title = "Outcome"
    intro = "Come back when you know how it turned out. Recording an outcome closes the record."
    SIGNED_INTRO = (
        "This record is signed, so what happened is added beside the signed reasoning as an outcome "
        "addendum, with your name and the time."
    )
    DEFAULT_CSS = """
    OutcomePane #signed-outcome { height: auto; }
    OutcomePane #add-outcome { margin-top: 1; }
    OutcomePane #non-concurrence { border: round $warning; padding: 0 1; height: auto; margin-top: 1; }
    """

    def compose(self) -> ComposeResult:
        yield self.intro_widget()
        # first on a signed record, so the way to add the outcome and what was added are in view
        with Vertical(id="signed-outcome"):
            yield Button("Record the outcome (addendum, ctrl+a)", id="add-outcome")
            yield ReadingBox(id="outcome-addenda", title="Outcome addenda (tab here to read them)")
        yield Caption("What happened")
        yield FieldText("text:outcome", id="f-outcome", classes="tall")
        # Just above the field that compares with it, so that both are in view at 80x24 when that
        # field has the focus.
        yield ReadingBox(id="plan", title="The plan made on Decide (tab here to read it)")
        yield Caption("How it went against the plan", "What was done as planned, what was not, and why.")
        yield FieldText("text:against_plan", id="f-against_plan")
        yield Caption("What was learned", "For you, the team, or the next case like this one.")
        yield FieldText("text:lessons", id="f-lessons", classes="tall")
        # after what was learned about the case: what the case cost the case manager (NACM 14)
        yield Caption(MORAL_DISTRESS_LABEL, MORAL_DISTRESS_HINT)
        yield FieldText(f"text:{MORAL_DISTRESS}", id="f-moral_distress")
        yield Static("", id="non-concurrence", markup=False)

    def refresh_view(self, view: WalkView) -> None:
        self.query_one("#plan", ReadingBox).update(plan_text(view.state))
        steps = non_concurrence_text(view.state)
        box = self.query_one("#non-concurrence", Static)
        box.display = bool(steps)
        box.update(steps)
        signed = view.state.frozen
        self.query_one("#signed-outcome").display = signed
        self.query_one(".intro", Static).update(self.SIGNED_INTRO if signed else self.intro)
        if signed:
            # an addendum is offered where ctrl+a is (not in a replay of the record as it stood)
            self.query_one("#add-outcome").display = self._can_add()
            outcomes = [a for a in view.state.addenda if a.topic == "outcome"]
            self.query_one("#outcome-addenda", ReadingBox).update(addenda_text(outcomes))

    def _can_add(self) -> bool:
        return self.screen.check_action("addendum", ()) is True

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "add-outcome":
            event.stop()
            await self.screen.run_action("addendum")

    def first_field(self) -> str | None:
        view = self.walk.view
        if view is not None and view.state.frozen:
            return "add-outcome" if self._can_add() else "outcome-addenda"
        return "f-outcome"
