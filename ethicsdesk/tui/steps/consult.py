"""Step 6, Consult: ask a named supervisor for consultation (their side is the review queue)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, RadioSet, Static

from ethicsdesk.domain.non_concurrence import non_concurrence_text
from ethicsdesk.domain.quality import DomainCheck, self_check
from ethicsdesk.domain.record import CONSULTANT_KINDS
from ethicsdesk.domain.request_drafts import SIGN_OFF_DRAFT, drafted_kind
from ethicsdesk.domain.walk import STEP_TITLES
from ethicsdesk.tui.steps.base import StepPane, WalkView
from ethicsdesk.tui.widgets.button import Button
from ethicsdesk.tui.widgets.caption import Caption
from ethicsdesk.tui.widgets.consultant_kinds import KIND_LABELS, NAME_HINTS, NOT_A_USER
from ethicsdesk.tui.widgets.fields import FieldInput, FieldText, set_quietly
from ethicsdesk.tui.widgets.marked_toggles import MarkedRadioButton, pressed_name

# the save keys of the form's fields: the draft of the sign-off request (domain/request_drafts.py)
SAVED = {part: f"text:{name}" for part, name in SIGN_OFF_DRAFT.items()}

# the self-check's words for a mark: a hint about what is written, so "not yet" rather than "not met"
SELF_CHECK_MARKS = {"met": "Done", "partly": "Partly", "not-met": "Not yet"}


def self_check_text(checks: list[DomainCheck]) -> str:
    """The self-check as the pane shows it: one line a domain, its mark in words (not only colour),
    what it lacks and the step to mend."""
    lines = ["Self-check before you ask (a hint from what the record holds, not a verdict):"]
    for c in checks:
        line = f"{SELF_CHECK_MARKS[c.mark]:<8}{c.name}"
        if c.lacking:
            line += f": add {', '.join(c.lacking)} ({STEP_TITLES.get(c.mend_step or '', c.mend_step)})"
        lines.append(line)
    return "\n".join(lines)


class ConsultPane(StepPane):
    step = "consult"
    title = "Consult"
    intro = (
        "Ask a supervisor to consult on your reasoning before you act, or now if a floor applies "
        "(never instead of a report or emergency call you owe). They see the record as the report "
        "reads, with your analysis."
    )
    DEFAULT_CSS = """
    ConsultPane #consult-status { border: round $primary; padding: 0 1; height: auto; margin-top: 1; }
    ConsultPane #consult-status.urgent { border: heavy $warning; }
    ConsultPane #non-concurrence { border: round $warning; padding: 0 1; height: auto; }
    ConsultPane Horizontal { height: auto; margin-top: 1; }
    ConsultPane Button { margin-right: 2; }
    ConsultPane #consult-question { height: 6; }
    ConsultPane #consult-self-check { height: auto; margin-top: 1; padding: 0 1; border: round $panel-lighten-2; }
    ConsultPane #consult-kind { layout: horizontal; width: 100%; }
    /* each as wide as its label: in equal thirds of an 80-column pane "Ethics committee" was cut */
    ConsultPane #consult-kind > RadioButton { width: auto; margin-right: 1; }
    """

    _following: str | None = None  # the question the box was filled with while nobody typed in it
    _shown_kind = "supervisor"  # whom the form showed as asked, as loaded or last saved
    _self_check_shown = ""

    def compose(self) -> ComposeResult:
        yield self.intro_widget()
        yield Static("", id="consult-status", markup=False)
        # where the one consulted did not concur: escalation, the ethics committee, the disagreement recorded
        yield Static("", id="non-concurrence", markup=False)
        yield Caption("Whom you ask")
        with RadioSet(id="consult-kind"):  # a committee or a colleague may be asked as well as a supervisor
            for kind in CONSULTANT_KINDS:
                yield MarkedRadioButton(KIND_LABELS[kind], value=kind == "supervisor", name=kind)
        yield FieldInput(SAVED["name"], placeholder="The supervisor's name", id="consult-supervisor")
        yield Static("", id="consult-kind-note", classes="hint", markup=False)
        yield Caption("What you are asking", "For example: is the safety plan enough to justify honouring his refusal?")
        yield FieldText(SAVED["question"], id="consult-question")
        # read last before the request is sent, beside the button that sends it
        yield Static("", id="consult-self-check", markup=False)
        with Horizontal():
            yield Button("Request consultation", variant="primary", id="consult-request")
            yield Button("Withdraw request", id="consult-withdraw")

    def first_field(self) -> str | None:
        return "consult-supervisor"

    def load(self, view: WalkView) -> None:
        """The form as it was left: what was typed (its draft, base.load), else what the last request
        asked; the question, never typed in, follows the ethics question (`_follow_question`)."""
        self._following = None
        super().load(view)
        c, text = view.state.consultation, view.state.text
        kind = drafted_kind(text.get(SIGN_OFF_DRAFT["kind"], ""), CONSULTANT_KINDS, c.kind if c else "supervisor")
        self._shown_kind = kind  # set here, so the change it makes below is not saved as an edit
        for button in self.query(MarkedRadioButton).results():
            button.value = button.name == kind
        supervisor = self.query_one("#consult-supervisor", FieldInput)
        if not text.get(SIGN_OFF_DRAFT["name"]):
            set_quietly(supervisor, c.supervisor if c else "")
        question = self.query_one("#consult-question", FieldText)
        if not text.get(SIGN_OFF_DRAFT["question"]):
            self._following = ""  # not typed in: filled below, from the request or the ethics question
            self._follow_question(view)
        # typing adds to the pre-filled question, after it, not in front of it unseen
        question.move_cursor(question.document.end)

    def _follow_question(self, view: WalkView) -> None:
        """Until the user types in it, the question box shows what the sign-off request asked, or
        else the ethics question as it stands now (it was filled once, and went stale)."""
        box = self.query_one("#consult-question", FieldText)
        if self._following is None or box.text != self._following:
            self._following = None  # typed in since: the box is theirs, saved as a draft
            return
        c = view.state.consultation
        wanted = c.question if c is not None else view.state.text.get("question", "")
        if wanted != box.text:
            set_quietly(box, wanted)
            box.move_cursor(box.document.end)
        self._following = wanted

    def refresh_view(self, view: WalkView) -> None:
        c = view.state.consultation
        self._follow_question(view)
        status = self.query_one("#consult-status", Static)
        floors = view.analysis.rules.floors
        if c is None or c.state == "withdrawn":
            text = "No consultation requested." if c is None else "The last request was withdrawn."
            # a legal or safety floor makes consultation due now; a code rule alone asks for it
            # before acting (it puts no one in danger today)
            due_now = any(view.catalogue.obligation(f).floor != "rule" for f in floors)
            if due_now:
                text += " A floor is ticked: consultation is due now."
            elif floors:
                text += " A code rule is ticked: consult before acting on it."
            status.set_class(due_now, "urgent")
        elif c.state == "answered":
            outcome = c.outcome.replace("-", " ").upper()
            text = f"{c.answered_by} answered on {c.answered_at[:16].replace('T', ' ')}: {outcome}.\n{c.notes}"
            if c.conditions:
                text += f"\nConditions: {c.conditions}"
            status.set_class(c.outcome == "do-not-concur", "urgent")
        else:
            urgent = "URGENT — " if c.urgent else ""
            text = (
                f"{urgent}Awaiting consultation from {c.supervisor}, "
                f"requested {c.requested_at[:16].replace('T', ' ')} by {c.requested_by}."
            )
            status.set_class(c.urgent, "urgent")
        sig = view.state.signature
        if sig is not None:
            from ethicsdesk.service.signing import short_fingerprint

            when = sig.at[:16].replace("T", " ")
            text += (
                f"\nSigned by {sig.signer} on {when} (key {short_fingerprint(sig.fingerprint)}); the record is frozen."
            )
        for a in view.state.addenda:
            text += f"\nAddendum ({a.topic}, {a.author}, {a.at[:10]}): {a.text}"
        asked = view.state.step_consultations
        if asked:  # input asked during the walk: each answer shows on the step it was asked from
            steps = ", ".join(dict.fromkeys(STEP_TITLES.get(c.step, c.step) for c in asked))
            answered = sum(c.state == "answered" for c in asked)
            text += f"\nAsked during the walk: {len(asked)} ({answered} answered), from {steps}; ctrl+o asks again."
        status.update(text)
        steps = non_concurrence_text(view.state)
        box = self.query_one("#non-concurrence", Static)
        box.display = bool(steps)
        box.update(steps)
        self._show_self_check(view)
        requested = c is not None and c.state == "requested"
        self.query_one("#consult-withdraw", Button).disabled = view.read_only or not requested
        self.query_one("#consult-request", Button).disabled = view.read_only

    def _show_self_check(self, view: WalkView) -> None:
        """The four domains a supervisor rates, as far as the record fills them: a hint before asking,
        never a verdict; gone once the record is signed. Updated only when its text changes (an update
        reflows the pane)."""
        box = self.query_one("#consult-self-check", Static)
        box.display = view.state.signature is None
        if not box.display:
            return
        text = self_check_text(self_check(view.state, view.framework.ids, (f.id for f in view.catalogue.floors)))
        if text != self._self_check_shown:
            self._self_check_shown = text
            box.update(text)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "consult-request":
            supervisor = self.query_one("#consult-supervisor", Input).value
            question = self.query_one("#consult-question", FieldText).text
            kind = self._kind()

            def requested(ok: bool, _result: object) -> None:
                if ok:
                    self.notify(f"Consultation requested from {supervisor.strip()}.", markup=False)

            self.walk.change(
                lambda s, rid: s.editing.request_consultation(rid, supervisor, question, kind=kind), done=requested
            )
        elif event.button.id == "consult-withdraw":
            self.walk.change(lambda s, rid: s.editing.withdraw_consultation(rid))

    def _kind(self) -> str:
        return pressed_name(self.query_one("#consult-kind", RadioSet), "supervisor")

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        kind = self._kind()
        self.query_one("#consult-supervisor", Input).placeholder = NAME_HINTS[kind]
        # said beside the field, not as a notice: loading a committee's request sets the choice too
        self.query_one("#consult-kind-note", Static).update("" if kind == "supervisor" else NOT_A_USER)
        view = self.walk.view
        if kind != self._shown_kind and view is not None and view.editable(self.step):
            self._shown_kind = kind  # whom is asked is kept with the name and the question
            self.walk.change(lambda s, rid: s.editing.set_text(rid, SIGN_OFF_DRAFT["kind"], kind))
