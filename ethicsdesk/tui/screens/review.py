"""Reviewing one record: the record read-only as the report reads it, with the analysis, then the
supervisor's rating of the rationale (optional), answer (notes, outcome, conditions) and, for a
decided record, the signature."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Input, Label, RadioSet, Static, TextArea

from ethicsdesk.domain.record import CONSULTATION_OUTCOME_NAMES, CONSULTATION_OUTCOMES, Consultation, RecordState
from ethicsdesk.domain.walk import STEP_TITLES
from ethicsdesk.errors import Conflict, EthicsdeskError
from ethicsdesk.tui.screens.consult_answer import OUTCOME_LABELS
from ethicsdesk.tui.screens.review_rating import RatingForm
from ethicsdesk.tui.widgets.button import Button
from ethicsdesk.tui.widgets.keys_footer import KeysFooter
from ethicsdesk.tui.widgets.marked_toggles import MarkedRadioButton, pressed_name

if TYPE_CHECKING:
    from ethicsdesk.service import Service
    from ethicsdesk.settings import User
    from ethicsdesk.tui.app import EthicsdeskApp


class ReviewScreen(Screen[None]):
    app: EthicsdeskApp  # declared for the type checker: every screen is pushed on it (build_app)
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+s", "send", "Send answer"),
        Binding("ctrl+g", "sign", "Sign"),
    ]
    DEFAULT_CSS = """
    ReviewScreen #record-text { height: 2fr; padding: 0 1; border-bottom: solid $panel-lighten-2; }
    ReviewScreen #form { height: 1fr; min-height: 7; padding: 0 1; }
    ReviewScreen RadioSet { layout: horizontal; width: 100%; }
    ReviewScreen TextArea { height: 4; }
    ReviewScreen Horizontal { height: auto; }
    ReviewScreen Button { margin-right: 2; }
    ReviewScreen #review-ask { height: auto; max-height: 5; padding: 0 1; background: $panel; }
    ReviewScreen #review-state { height: auto; }
    """

    def __init__(self, record_id: str, number: int | None = None) -> None:
        """`number`: the request to answer (0 the sign-off one, else one asked mid-walk), as the queue
        row chose it; None for the oldest open one. Once it is answered the next open one follows."""
        super().__init__()
        self.record_id = record_id
        self.number = number
        self.head: str | None = None  # the chain head of the record as this screen shows it
        self.answering: Consultation | None = None  # the request the form answers
        # which request the form's verdict, notes and conditions were typed for: another one starts empty
        self._form_for: tuple[int, str] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="record-text"):
            yield Static("", id="record-body", markup=False)
        # The question answered stays above the form, out of its scrolling: inside it, tab to the notes
        # scrolled it away at 80x24, and the supervisor wrote notes to a question no longer in view.
        with VerticalScroll(id="review-ask"):
            yield Static("", id="review-state", markup=False)
        # The form scrolls on its own (focus brings each field into view), so the record keeps two thirds
        # of the screen: at 80x24 it had 5 lines beside a form of 16.
        with VerticalScroll(id="form"):
            with RadioSet(id="outcome"):
                for key in CONSULTATION_OUTCOMES:  # the answer window's short labels: four fit at 80 columns
                    yield MarkedRadioButton(OUTCOME_LABELS[key], name=key)
                # a verdict chosen can be taken back; advice asked mid-walk may be sent without one
                yield MarkedRadioButton("No verdict", value=True, name="", id="no-verdict")
            yield Label("Consultation notes")
            yield TextArea(id="notes", soft_wrap=True, tab_behavior="focus")
            yield Input(placeholder="Conditions or follow-up (optional)", id="conditions")
            # sent with the answer, in its own event; tab reaches it after the conditions
            yield RatingForm(id="rating")
            with Horizontal():
                yield Button("Send answer (ctrl+s)", variant="primary", id="send")
                yield Button("Sign (ctrl+g)", variant="success", id="sign")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.reload()
        # the verdict has the focus as the form appears (a Space typed then chooses it); with no open
        # request, the record text, which the arrows scroll
        outcome = self.query_one("#outcome", RadioSet)
        (self.query_one("#record-text") if outcome.disabled else outcome).focus()

    def reload(self) -> None:
        from ethicsdesk.reporting.plain_text import record_summary

        service = self.app.service
        try:
            head = service.head(self.record_id)  # before the record: a change in between shows as a conflict
            state = service.record(self.record_id)
            framework, catalogue = service.framework_of(state), service.catalogue()
            # wrapped once, to the pane: its padding and scrollbar take 4 columns
            body = record_summary(state, framework, catalogue, head, width=max(30, self.app.size.width - 4))
        except EthicsdeskError as exc:
            self.notify(exc.message, severity="error", markup=False)
            return
        self.state = state
        self.head = head
        self.sub_title = f"review · {state.case_code or state.id} · {state.status}"
        self.query_one("#record-body", Static).update(body)
        c = self.answering = self._answering(state)
        if c is not None and (c.number, c.requested_at) != self._form_for:
            self._clear_form()  # nothing typed for one request carries over to another
            self._form_for = (c.number, c.requested_at)
        if state.signature is not None:
            line = f"Signed by {state.signature.signer} on {state.signature.at[:16].replace('T', ' ')}; frozen."
        elif c is None or c.state == "withdrawn":
            line = "No open consultation request" + (" (it was withdrawn)." if c else ".")
        elif c.state == "answered":
            line = f"Answered by {c.answered_by}: {CONSULTATION_OUTCOME_NAMES.get(c.outcome, c.outcome)}."
        else:
            urgent = "URGENT: " if c.urgent else ""
            # asked mid-walk: input to the reasoning, where a verdict is optional
            where = f" (from {STEP_TITLES.get(c.step, c.step)}; a verdict is optional)" if c.mid_walk else ""
            line = f"{urgent}{c.requested_by} asks {c.supervisor}{where}: {c.question or '(no question written)'}"
            more = len(self._open_requests(state)) - 1
            if more:
                plural = "s" if more > 1 else ""
                line += f"\n({more} more open request{plural} on this record: answered after this one.)"
        self.query_one("#review-state", Static).update(line)
        open_request = c is not None and c.state == "requested" and state.signature is None
        for widget_id in ("#outcome", "#notes", "#conditions", "#send"):
            self.query_one(widget_id).disabled = not open_request
        # only the sign-off request's rationale is rated: advice asked mid-walk has no rationale yet
        self.query_one("#rating", RatingForm).display = open_request and c is not None and not c.mid_walk
        self.query_one("#sign", Button).disabled = state.signature is not None

    @staticmethod
    def _open_requests(state: RecordState) -> list[Consultation]:
        """The open requests a supervisor answers here, oldest first: the sign-off one (whoever was
        asked) and those asked of a supervisor from a step of the walk."""
        return [c for c in state.consultations if c.state == "requested" and (c.kind == "supervisor" or not c.mid_walk)]

    def _answering(self, state: RecordState) -> Consultation | None:
        """The request this screen answers: the one chosen in the queue while it is open, else the
        oldest open one, else the chosen one (or the sign-off one) as it stands."""
        open_requests = self._open_requests(state)
        chosen = state.consultation_numbered(self.number) if self.number is not None else None
        if chosen is not None and (chosen.state == "requested" or not open_requests):
            return chosen
        return open_requests[0] if open_requests else state.consultation

    def _clear_form(self) -> None:
        self.query_one("#rating", RatingForm).clear()
        self.query_one("#no-verdict", MarkedRadioButton).value = True
        self.query_one("#notes", TextArea).load_text("")
        self.query_one("#conditions", Input).value = ""

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "send":
            self.action_send()
        elif event.button.id == "sign":
            self.action_sign()

    def action_send(self) -> None:
        asked = self.answering
        number = asked.number if asked is not None else 0
        outcome = pressed_name(self.query_one("#outcome", RadioSet), "")
        if not outcome and not number:
            self.notify("Choose concur, concur with changes, or do not concur.", severity="warning")
            return
        notes = self.query_one("#notes", TextArea).text
        conditions = self.query_one("#conditions", Input).value
        rating = self.query_one("#rating", RatingForm).chosen() if not number else None
        if isinstance(rating, str):
            self.notify(rating, title="Not sent", severity="warning", markup=False)
            return
        # held to the record as shown: an answer to reasoning the supervisor has not seen is refused
        sent = self._change_as_shown(
            lambda service: service.review.answer_consultation(
                self.record_id, outcome, notes, conditions, number, rating
            ),
            "Not sent",
            "Your answer is recorded; the case manager sees it on the step it was asked from."
            if number
            else "Your answer is recorded; the case manager sees it on their home screen.",
        )
        if sent:  # the next open request, if any, starts from an empty form
            self._clear_form()

    def _change_as_shown(self, change: Callable[[Service], object], refused: str, done: str) -> bool:
        """`change` the record through the service, held to the head this screen showed (a change
        someone made since is a Conflict); a refusal is a notification titled `refused`, success one
        saying `done`. True when the change was made."""
        service = self.app.service
        try:
            with service.expecting(self.head):
                change(service)
        except Conflict as exc:
            self.notify(exc.message, title=refused, severity="error", markup=False)
            self.reload()  # shows their change; the notes typed here stay in their fields
            return False
        except EthicsdeskError as exc:
            self.notify(exc.message, title=refused, severity="error", markup=False)
            return False
        self.notify(done)
        self.reload()
        return True

    def action_sign(self) -> None:
        user = self.app.user
        if user is None or user.role != "supervisor":
            self.notify("Only a supervisor can sign a record.", severity="error")
            return
        try:
            problem = self.app.service.review.why_not_sign(self.record_id)
        except EthicsdeskError as exc:
            problem = exc.message
        if problem is not None:  # asked before a first key is made, so a refusal leaves none behind
            self.notify(problem, title="Not signed", severity="error", markup=False)
            return
        state = getattr(self, "state", None)
        try:
            gaps = self.app.service.review.sign_warnings(state) if state is not None else []
        except EthicsdeskError as exc:
            self.notify(exc.message, title="Not signed", severity="error", markup=False)
            return
        if gaps:
            from ethicsdesk.tui.screens.confirm import ConfirmScreen

            question = (
                "Before you sign, note what the case manager left unsettled:\n"
                + "\n".join(f"- {g}" for g in gaps)
                + "\nSign anyway? Your signature freezes the record as it is."
            )
            self.app.push_screen(ConfirmScreen(question), lambda yes: self._sign_checked(user) if yes else None)
            return
        self._sign_checked(user)

    def _sign_checked(self, user: User) -> None:
        from ethicsdesk.service.signing import signing_asks
        from ethicsdesk.tui.screens.passphrase import PassphraseScreen

        creating, asks = signing_asks(user.name)
        if not asks:
            self._sign_with(user, None)
            return
        self.app.push_screen(
            PassphraseScreen(creating), lambda p: self._sign_with(user, p, creating) if p is not None else None
        )

    def _sign_with(self, user: User, passphrase: str | None, creating: bool = False) -> None:
        def sign(service: Service) -> None:
            service.review.sign_with_own_key(self.record_id, user.name, passphrase or None, creating=creating)

        # sign what this screen showed, never a later change
        self._change_as_shown(sign, "Not signed", "Signed. The record is frozen; later information goes in as addenda.")
