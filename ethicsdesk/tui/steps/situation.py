"""Step 1, Situation: facts kept apart from assumptions and unknowns, the client's voice, the context,
the people with a stake, and the ethics question the rest of the walk answers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from ethicsdesk.domain.problem_framing import (
    DANGER_BANNER,
    DANGER_CHOICES,
    DANGER_HINT,
    DANGER_QUESTION,
    DILEMMA_TYPE,
    DILEMMA_TYPE_HINT,
    DILEMMA_TYPE_QUESTION,
    DILEMMA_TYPES,
    IMMEDIATE_DANGER,
    PROBLEM_KIND_LABELS,
    PROBLEM_KINDS,
    PROBLEM_KINDS_FIELD,
    PROBLEM_KINDS_HINT,
    PROBLEM_KINDS_QUESTION,
    RIGHT_VS_WRONG_STEPS,
    danger_raised,
    danger_steps,
    kinds_value,
    problem_kinds,
)
from ethicsdesk.tui.steps.base import StepPane, WalkView
from ethicsdesk.tui.widgets.caption import Caption
from ethicsdesk.tui.widgets.fields import FieldInput, FieldSelect, FieldText
from ethicsdesk.tui.widgets.marked_toggles import MarkedSelectionList

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
    # Opened on, the walk mounts the danger question and the facts first (what 80x24 shows), the
    # other fourteen fields right after the first paint (steps/base.py).
    FIRST_PART = 6
    DEFAULT_CSS = """
    SituationPane #danger-steps { height: auto; border: heavy $error; padding: 0 1; margin-top: 1; }
    SituationPane #problem-kinds { height: auto; }
    SituationPane #right-vs-wrong { height: auto; border: round $warning; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield self.intro_widget()
        # Asked before anything else: a yes is not a dilemma to think through, it is the safety floor now.
        yield Caption(DANGER_QUESTION, DANGER_HINT)
        yield FieldSelect(f"text:{IMMEDIATE_DANGER}", _choices(DANGER_CHOICES), id="f-immediate_danger")
        yield Static("", id="danger-steps", markup=False)
        for key, label, hint, tall in FIELDS:
            yield Caption(label, hint)
            yield FieldText(key, id="f-" + key.replace(":", "-"), classes="tall" if tall else "")
        yield Caption(
            "Identifiers to mask in reports", "Names, numbers and dates that identify the client, separated by commas."
        )
        yield FieldInput("list:identifiers", id="f-identifiers")
        yield from self._classification()
        yield Caption("The ethics question", "Given …, is it ethically justifiable to …?")
        yield FieldText("text:question", id="f-question")
        # the title and case code last: both are given when the record is made, and above the facts they
        # pushed the danger question out of view at 80x24 when the step opened on the facts
        yield Caption("Title")
        yield FieldInput("text:title", id="f-title", placeholder="What the dilemma is about (no client name)")
        yield Caption("Case code")
        yield FieldInput("text:case_code", id="f-case_code", placeholder="How reports name the client, e.g. C-1042")

    def _classification(self) -> ComposeResult:
        """What kind of problem it is, just before the ethics question it shapes: a legal, clinical or
        practice question is answered elsewhere, and right against wrong needs no weighing at all. Here
        rather than on Options because it decides whether options are to be weighed in the first place."""
        yield Caption(PROBLEM_KINDS_QUESTION, PROBLEM_KINDS_HINT)
        yield MarkedSelectionList(
            *(Selection(label, kind) for kind, label in PROBLEM_KIND_LABELS.items()), id="problem-kinds"
        )
        yield Caption(DILEMMA_TYPE_QUESTION, DILEMMA_TYPE_HINT)
        yield FieldSelect(f"text:{DILEMMA_TYPE}", _choices(DILEMMA_TYPES), id="f-dilemma_type")
        yield Static("", id="right-vs-wrong", markup=False)

    def load(self, view: WalkView) -> None:
        # the kinds and the note below them are not mounted yet while the pane's first part is drawn
        for kinds in self.query("#problem-kinds").results(SelectionList):
            kinds.disabled = not view.field_editable(self.step, f"text:{PROBLEM_KINDS_FIELD}")
            # the first kind highlighted, so space ticks it at once (with none, space did nothing)
            if kinds.highlighted is None and kinds.option_count:
                kinds.highlighted = 0
        super().load(view)

    def refresh_view(self, view: WalkView) -> None:
        steps = danger_steps(view.catalogue) if danger_raised(view.state.text) else []
        banner = self.query_one("#danger-steps", Static)
        banner.display = bool(steps)
        if steps:
            lines = [DANGER_BANNER, "The imminent-risk safety floor is ticked (Obligations). Its steps:"]
            banner.update("\n".join(lines + [f"{n}. {s}" for n, s in enumerate(steps, 1)]))
        for kinds in self.query("#problem-kinds").results(SelectionList):
            stored = set(problem_kinds(view.state.text.get(PROBLEM_KINDS_FIELD, "")))
            if set(kinds.selected) != stored:
                with kinds.prevent(SelectionList.SelectedChanged, SelectionList.SelectionToggled):
                    for kind in PROBLEM_KINDS:
                        (kinds.select if kind in stored else kinds.deselect)(kind)
        wrong = view.state.text.get(DILEMMA_TYPE, "") == "right-vs-wrong"
        for note in self.query("#right-vs-wrong").results(Static):
            note.display = wrong
            note.update("\n".join(f"- {s}" for s in RIGHT_VS_WRONG_STEPS) if wrong else "")

    def on_selection_list_selection_toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        event.stop()
        value = kinds_value(str(kind) for kind in event.selection_list.selected)
        self.walk.change(lambda s, rid: s.editing.set_text(rid, PROBLEM_KINDS_FIELD, value))

    def first_field(self) -> str | None:
        return "f-text-facts"


def _choices(labels: dict[str, str]) -> list[tuple[str, str]]:
    return [(label, value) for value, label in labels.items()]
