"""Step 5, Decide: the choice, why, what it costs and how that cost is kept small, then the checks.

The justification prompts appear for each principle the chosen option compromises (a score below 0);
the tests of the action and the SURE items are yes/no; quality checks list what is still missing.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Select, Static

from ethicsdesk.domain.checks import decision_questions
from ethicsdesk.domain.client_part import CHOICE_LABELS, CLIENT_PART_LABELS
from ethicsdesk.domain.walk import STEP_TITLES
from ethicsdesk.tui.steps.base import StepPane, WalkView
from ethicsdesk.tui.widgets.caption import Caption
from ethicsdesk.tui.widgets.fields import FieldInput, FieldSelect, FieldText
from ethicsdesk.tui.widgets.reading import ReadingBox

YES_NO = [("Yes", "yes"), ("No", "no")]
# the yes-or-no questions that open a group, and the group's heading shown above them
YES_NO_HEADINGS = {"publicity": "Tests of the action", "sure": "Decisional conflict (SURE)"}
LIKING_WARNING = "Honest and objective (NACM 11, NACM 12, CCMC Principle 3): here a yes is the warning sign."
# Who decides: the two choices that change what is asked next, said where the choice is made.
SURROGATE_AND_DUTY_HINT = (
    "A surrogate: name in the rationale the standard they decide by, the client's known wishes (substituted "
    "judgement) first, best interests only where those cannot be known. A professional duty: a legal or "
    "safety floor makes the step yours, not the client's."
)


class DecidePane(StepPane):
    step = "decide"
    title = "Decide"
    intro = "Your choice and your reasons, in words a supervisor can follow without you in the room."
    DEFAULT_CSS = """
    DecidePane #justifications, DecidePane #yes-no { height: auto; }
    DecidePane #quality { margin-top: 1; }
    DecidePane Select { width: 100%; }
    DecidePane FieldText.answer { height: 5; }
    """

    def compose(self) -> ComposeResult:
        yield self.intro_widget()
        yield Caption("Chosen option")
        yield Select[str]([], prompt="Choose an option", id="chosen")
        yield Caption("Rationale", "Which principles you gave most weight and why; what the analysis showed.")
        yield FieldText("decision:rationale", id="f-rationale", classes="tall")
        yield Caption("Mitigation", "How the harm of what you compromise is kept as small as it can be.")
        yield FieldText("decision:mitigation", id="f-mitigation")
        # The implementation plan, with the follow-up date as its last part.
        yield Caption("Implementation plan: who does what, by when")
        yield FieldText("text:plan_actions", id="f-plan_actions")
        yield Caption(
            "How it is communicated, and to whom",
            "The client, family, team, payer: who is told what, how, and by whom.",
        )
        yield FieldText("text:plan_communication", id="f-plan_communication")
        yield Caption("What would make you revisit the decision")
        yield FieldText("text:plan_revisit", id="f-plan_revisit")
        yield Caption("Follow-up date")
        yield FieldInput("decision:follow_up", id="f-follow_up", placeholder="YYYY-MM-DD")
        yield Vertical(id="justifications")
        yield from self._client_part()
        yield Vertical(id="yes-no")
        yield ReadingBox(id="quality", title="What is missing (tab here to read it)")

    def _client_part(self) -> ComposeResult:
        """Who decides and the client's part. Asked here, not on the Situation step: they
        are about this decision (who makes it, whether the client took part, how the client hears
        of it), which the Situation step's capacity and wishes only prepare. After the justification
        of the choice and before the tests of it, which ask about the same decision."""
        for name in ("decision_maker", "client_involved"):
            yield Caption(CLIENT_PART_LABELS[name], SURROGATE_AND_DUTY_HINT if name == "decision_maker" else "")
            choices = [(label, value) for value, label in CHOICE_LABELS[name].items()]
            yield FieldSelect(f"text:{name}", choices, id=f"f-{name}")
        yield Caption(
            CLIENT_PART_LABELS["client_informed"],
            "When, by whom, in which words or language; or why the client is not told.",
        )
        yield FieldText("text:client_informed", id="f-client_informed")

    def first_field(self) -> str | None:
        return "chosen"

    def load(self, view: WalkView) -> None:
        self._shape: tuple[str, ...] = ()
        self._choices: list[tuple[str, str]] | None = None
        self.query_one("#chosen", Select).disabled = view.read_only
        super().load(view)

    def refresh_view(self, view: WalkView) -> None:
        self._fill_choices(view)
        self._build_questions(view)
        # the same findings as the step line and the report (WalkView.findings), never a list of its own
        findings = view.findings
        text = (
            ("Still missing:\n" + "\n".join(f"- [{STEP_TITLES.get(f.step, f.step)}] {f.text}" for f in findings))
            if findings
            else "Nothing is missing: every check of the walk is complete."
        )
        self.query_one("#quality", ReadingBox).update(text)

    def _fill_choices(self, view: WalkView) -> None:
        """Offer the record's options as they are now, not as they were when the walk opened: options
        added, renamed, moved or removed on the Options step must be choosable here at once."""
        choices = [(f"{n}. {o.label}", o.key) for n, o in enumerate(view.state.options, 1)]
        if choices == getattr(self, "_choices", None):
            return
        self._choices = choices
        chosen = self.query_one("#chosen", Select)
        with chosen.prevent(Select.Changed):
            chosen.set_options([(Text(label), key) for label, key in choices])
            value = view.state.decision.get("chosen")
            chosen.value = value if value and view.state.option(value) else Select.NULL

    def _build_questions(self, view: WalkView) -> None:
        """Rebuild the check widgets only when the set of questions changes (not on every keystroke)."""
        questions = decision_questions(view.state, view.framework)
        shape = tuple(q.key for q in questions)
        if shape == getattr(self, "_shape", None):
            return
        self._shape = shape
        just = self.query_one("#justifications", Vertical)
        yes_no = self.query_one("#yes-no", Vertical)
        just.remove_children()
        yes_no.remove_children()
        widgets_j: list[Widget] = []
        widgets_y: list[Widget] = []
        for q in questions:
            if q.group == "justify":
                assert q.principle is not None
                asked = f"{q.prompt.title}: {q.prompt.question}"
                if q.prompt.id == "good-reason":
                    principle = view.framework.name_of(q.principle)
                    widgets_j.append(Caption(f"Compromising {principle}: is it justified?", asked))
                else:
                    widgets_j.append(Static(asked, classes="hint"))
                # a few wrapping lines: a one-line input showed only the tail of a sentence
                widgets_j.append(FieldText(f"answer:{q.key}", q.answer, read_only=view.read_only, classes="answer"))
            else:
                heading = YES_NO_HEADINGS.get(q.prompt.id)
                if heading:
                    widgets_y.append(Caption(heading, q.prompt.question))
                else:
                    if q.prompt.id == "liking":  # answered the other way round from the three above
                        widgets_y.append(Static(LIKING_WARNING, classes="hint"))
                    widgets_y.append(Static(q.prompt.question, classes="hint"))
                value = q.answer if q.answer in ("yes", "no") else Select.NULL
                widgets_y.append(Select[str](YES_NO, prompt="—", value=value, name=q.key, disabled=view.read_only))
        just.mount_all(widgets_j)
        yes_no.mount_all(widgets_y)

    def on_select_changed(self, event: Select.Changed) -> None:
        if isinstance(event.select, FieldSelect):
            return  # a field of the record: saved by the walk, like any other field
        event.stop()
        value = "" if event.value is Select.NULL else str(event.value)
        view = self.walk.view
        # A Select says it changed when it is given its stored value (on mount, on redraw): that is no
        # change to save, and on a signed record it stacked one "read-only" notice per question.
        if event.select.id == "chosen":
            if view is not None and view.state.decision.get("chosen", "") == value:
                return
            self.walk.change(lambda s, rid: s.editing.decide(rid, "chosen", value))
        elif event.select.name:
            key = event.select.name
            if view is not None and view.state.answers.get(key, "") == value:
                return
            self.walk.change(lambda s, rid: s.editing.answer(rid, key, value))
