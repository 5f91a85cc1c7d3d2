"""Step 1, Situation: facts kept apart from assumptions and unknowns, the client's voice, the context,
the people with a stake, and the ethics question the rest of the walk answers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Label, Static

from ethicsdesk.tui.steps.base import StepPane
from ethicsdesk.tui.widgets.fields import FieldInput, FieldText

# (save key, label, hint, tall)
FIELDS = (
    ("text:facts", "Facts", "What is known and documented. Keep guesses for the next field.", True),
    ("text:assumptions", "Assumptions", "What you or others take for granted but have not checked.", False),
    ("text:unknowns", "Unknowns", "What you would need to know; who could tell you.", False),
    (
        "text:medical_facts",
        "Medical or service facts",
        "Diagnosis, prognosis, treatment or service and its limits: the facts a clinician would give.",
        False,
    ),
    ("text:client_wishes", "The client's wishes", "In the client's own words where possible.", False),
    ("text:capacity", "Decision-making capacity", "Assessed? By whom, for which decision? Who decides if not?", False),
    ("text:quality_of_life", "Quality of life", "What a good life means to this client.", False),
    ("text:context", "Context", "Family, payer, agency policy, law.", False),
    ("text:cultural", "Cultural factors", "Beliefs, language, community, faith.", False),
    (
        "text:own_values",
        "Your own values and feelings",
        "What you feel about this client or case, and what of your own values or bias might lean on it.",
        False,
    ),
    (
        "stakeholders",
        "Stakeholders",
        "One per line: who: what they want (for example  Daughter: her father safe).",
        False,
    ),
)


class SituationPane(StepPane):
    step = "situation"
    title = "Situation"
    intro = "Set out what is happening before judging it. Every field saves as you type."

    def compose(self) -> ComposeResult:
        yield self.intro_widget()
        yield Label("Title")
        yield FieldInput("text:title", id="f-title", placeholder="What the dilemma is about (no client name)")
        yield Label("Case code")
        yield FieldInput("text:case_code", id="f-case_code", placeholder="How reports name the client, e.g. C-1042")
        for key, label, hint, tall in FIELDS:
            yield Label(label)
            yield Static(hint, classes="hint")
            yield FieldText(key, id="f-" + key.replace(":", "-"), classes="tall" if tall else "")
        yield Label("Identifiers to mask in reports")
        yield Static("Names, numbers and dates that identify the client, separated by commas.", classes="hint")
        yield FieldInput("list:identifiers", id="f-identifiers")
        yield Label("The ethics question")
        yield Static("Given …, is it ethically justifiable to …?", classes="hint")
        yield FieldText("text:question", id="f-question")

    def first_field(self) -> str | None:
        return "f-text-facts"
