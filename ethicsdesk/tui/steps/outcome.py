"""Step 7, Outcome: later, what happened and what was learned."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Label, Static

from ethicsdesk.tui.steps.base import StepPane
from ethicsdesk.tui.widgets.fields import FieldText


class OutcomePane(StepPane):
    step = "outcome"
    title = "Outcome"
    intro = "Come back when you know how it turned out. Recording an outcome closes the record."

    def compose(self) -> ComposeResult:
        yield self.intro_widget()
        yield Label("What happened")
        yield FieldText("text:outcome", id="f-outcome", classes="tall")
        yield Label("What was learned")
        yield Static("For you, the team, or the next case like this one.", classes="hint")
        yield FieldText("text:lessons", id="f-lessons", classes="tall")

    def first_field(self) -> str | None:
        return "f-outcome"
