"""The supervisor's half of consultation: the queue, the answer, the signature, and addenda.

A signed record is frozen: `ServiceCore._change` refuses every event but an addendum or an export
once the record carries a signature. Only supervisors answer or sign.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError

from ethicsdesk.domain.events.review import (
    ADDENDUM_ADDED,
    CONSULTATION_ANSWERED,
    CONSULTATION_RATED,
    RECORD_SIGNED,
    ConsultationAnswered,
)
from ethicsdesk.domain.record import ADDENDUM_TOPICS, CONSULTATION_OUTCOMES, RecordState
from ethicsdesk.errors import BadInput, CheckFailed, Conflict, DatabaseProblem
from ethicsdesk.service.editing import MAX_TEXT, _text
from ethicsdesk.service.job import Job
from ethicsdesk.store import anchors, consultations, signing_keys
from ethicsdesk.store.engine import first_line

if TYPE_CHECKING:
    from ethicsdesk.service.signing import SigningKey


@dataclass(frozen=True)
class RatingInput:
    """A rating as a supervisor gives it: each domain's mark (domain id -> met | partly | not-met),
    the overall level 1-4 and an optional note."""

    marks: dict[str, str]
    level: int
    note: str = ""


@dataclass(frozen=True)
class QueueItem:
    record_id: str
    title: str
    case_code: str
    supervisor: str
    question: str
    urgent: bool
    requested_by: str
    requested_at: str
    step: str = "consult"  # where the request was asked; "consult" is the sign-off
    number: int = 0  # 0: the sign-off request; else the one asked mid-walk with this number

    @property
    def sign_off(self) -> bool:
        """The sign-off request, not input asked mid-walk."""
        return self.number == 0


# What a signature would cover unsettled, said to the supervisor before they sign (review screen):
# a compromise not fully justified, no choice or rationale, a test of the chosen action failed (the
# liking test answered yes), a decisional-conflict item answered no.
SIGN_WARNINGS = ("no-choice", "no-rationale", "unjustified-compromise", "test-failed", "decisional-conflict")


class Review(Job):
    def _require_supervisor(self, what: str) -> None:
        if self.user.role != "supervisor":
            raise BadInput(f"Only a supervisor can {what}; you are recorded as a {self.user.role}.")

    def review_queue(self, *, everyone: bool = False) -> list[QueueItem]:
        """Every open request, one item each (a record asked both mid-walk and for its sign-off is
        listed twice, each opening its own question), urgent first, then oldest; only those addressed
        to this user unless `everyone`."""
        with self._reading() as s:
            rows = consultations.open_requests(s)
        me = self.user.name.strip().casefold()
        items = [
            QueueItem(
                r.id, r.title, r.case_code, c.supervisor, c.question, c.urgent, c.requested_by, c.requested_at,
                c.step, c.number,
            )
            for c, r in rows
            if (everyone or c.supervisor.strip().casefold() == me) and c.kind == "supervisor"
        ]
        items.sort(key=lambda q: (not q.urgent, q.requested_at))
        refused = {q.record_id for q in items if not self._matches_its_events(q.record_id)}
        return [self._not_shown(q) if q.record_id in refused else q for q in items]

    def _matches_its_events(self, record_id: str) -> bool:
        """Whether the record's tables agree with its events (the queue reads the tables; the events
        are what count)."""
        try:
            self.record(record_id)
        except CheckFailed:
            return False
        return True

    @staticmethod
    def _not_shown(item: QueueItem) -> QueueItem:
        """In place of the item's text, the reason it is not shown: its tables were rewritten outside
        ethicsdesk."""
        why = "not shown: this record's tables differ from its events (ethicsdesk verify says more)"
        return replace(item, title=f"({why})", case_code="", question=f"({why})")

    def answer_consultation(
        self,
        record_id: str,
        outcome: str,
        notes: str,
        conditions: str = "",
        number: int = 0,
        rating: RatingInput | None = None,
    ) -> RecordState:
        """Answer the sign-off request (number 0) or the one asked mid-walk with `number`; advice asked
        mid-walk may leave the outcome empty (there may be no decision yet to concur with). A `rating`
        of the sign-off request's rationale is recorded first, as its own event, once the answer's own
        input has been found good."""
        self._require_supervisor("answer a consultation")
        if outcome not in CONSULTATION_OUTCOMES and not (number and outcome == ""):
            raise BadInput(f"The outcome is one of: {', '.join(CONSULTATION_OUTCOMES)}.")
        if not notes.strip():
            raise BadInput("Write your consultation notes: the case manager and the report need your reasons.")
        if rating is not None:
            if number:
                raise BadInput("A rating is of the rationale put for sign-off; advice asked mid-walk is not rated.")
            rated = self.rate_consultation(record_id, rating)
            if self._expect_head is not None:
                # the answer is held to the record as shown plus this rating: to the rating event's own
                # hash, so that a change anyone else made in between is still refused
                with self._reading() as s:
                    self._expectations.head = anchors.hashes_at(s, [(record_id, rated.events)])[record_id]
        payload: ConsultationAnswered = {
            "outcome": outcome,
            "notes": _text(notes, "The notes").strip(),
            "conditions": _text(conditions, "The conditions").strip(),
        }

        # Said before the change is tried: applying the event to a request that is not open fails in
        # the domain first ("There is no open consultation request to answer."), so a `check` callback
        # would never get to say that the request was withdrawn. That domain refusal still guards a
        # withdrawal landing between this read and the change. A signed record is left to `_change`,
        # which says it is frozen.
        current = self.record(record_id)
        c = current.consultation_numbered(number)
        if not current.frozen and (c is None or c.state != "requested"):
            state = "withdrawn" if c is not None and c.state == "withdrawn" else "not open"
            raise BadInput(f"This consultation request is {state}; there is nothing to answer.")
        if number:
            payload["number"] = number
        return self._change(record_id, CONSULTATION_ANSWERED.new(payload))

    def rate_consultation(self, record_id: str, rating: RatingInput) -> RecordState:
        """Rate the rationale of the open (or last answered) sign-off request on the four domains
        (domain/quality.py). Never required: a record signs without one."""
        from ethicsdesk.domain.quality import rating_problem

        self._require_supervisor("rate a rationale")
        problem = rating_problem(rating.marks, rating.level)
        if problem is not None:
            raise BadInput(problem)
        note = _text(rating.note, "The note", 4_000).strip()
        rated = CONSULTATION_RATED.new({"marks": dict(rating.marks), "level": rating.level, "note": note})
        # said before the change is tried, in words; the domain still refuses a request withdrawn meanwhile
        current = self.record(record_id)
        c = current.consultation
        if not current.frozen and (c is None or c.state not in ("requested", "answered")):
            raise BadInput("There is no sign-off consultation request to rate on this record.")
        return self._change(record_id, rated)

    def why_not_sign(self, record_id: str) -> str | None:
        """Why this user cannot sign the record now, in one sentence; None when they can.

        The review screen asks before it makes a first key, so a refused signature leaves no key behind.
        """
        if self.user.role != "supervisor":
            return f"Only a supervisor can sign a record; you are recorded as a {self.user.role}."
        state = self.record(record_id)
        if state.signature is not None:
            return f"This record was already signed by {state.signature.signer}."
        if not state.decision.get("chosen") or not state.decision.get("rationale", "").strip():
            return "Only a decided record can be signed: it needs a chosen option and a rationale."
        if state.consultation is not None and state.consultation.state == "requested":
            return "Answer the open consultation request before signing."
        # a signed record is frozen: a request asked mid-walk and left open could never be answered
        for c in state.step_consultations:
            if c.state == "requested":
                return (
                    f"The consultation asked of {c.supervisor} at the {c.step} step is still open: "
                    "it must be answered or withdrawn before signing."
                )
        return None

    def sign_warnings(self, state: RecordState) -> list[str]:
        """What the supervisor is told before signing `state` (SIGN_WARNINGS), one sentence each."""
        from ethicsdesk.domain.checks import quality_checks

        findings = quality_checks(state, self.framework_of(state), self.catalogue())
        return [f.text for f in findings if f.id in SIGN_WARNINGS]

    def sign(self, record_id: str, key: SigningKey) -> RecordState:
        """Sign the decided record's current head with the supervisor's key; the record is then frozen."""
        from ethicsdesk.service.signing import signed_message

        if self.user.role == "supervisor" and key.user != self.user.name:
            raise BadInput("That signing key belongs to someone else.")
        # The head is read before the state that is checked: if the record changes in between, the
        # change below (held to this head) is refused, so a state that was never checked is never
        # signed. Read the other way round, an edit landing between the two reads was signed unchecked.
        head = self.head(record_id)
        problem = self.why_not_sign(record_id)
        if problem is not None:
            raise BadInput(problem)
        if self._expect_head is not None and self._expect_head != head:
            # the screen signs what it showed (`expecting(head)`); a change made since was not reviewed
            raise Conflict("The record changed after you opened it; review it again and sign then.")
        self._register_key(key)
        signed = RECORD_SIGNED.new({
            "role": self.user.role,
            "signed_head": head,
            "public_key": key.public_b64,
            "fingerprint": key.fingerprint,
            "signature": key.sign(signed_message(record_id, head)),
        })
        try:
            return self._change(record_id, signed, expect_head=head)
        except Conflict:
            raise Conflict("The record changed while you were signing; review it again and sign then.") from None

    def sign_with_own_key(self, record_id: str, owner: str, passphrase: str | None, *, creating: bool) -> RecordState:
        """Sign with `owner`'s key file on this machine: made now (protected by `passphrase` if one is
        given) when `creating`, else opened with `passphrase` (signing.signing_asks says which)."""
        from ethicsdesk.service import signing

        key = signing.create_key(owner, passphrase) if creating else signing.load_key(owner, passphrase)
        return self.sign(record_id, key)

    def _register_key(self, key: object) -> None:
        from ethicsdesk.service.signing import SigningKey

        assert isinstance(key, SigningKey)
        try:
            with self.db.writing() as s:
                if signing_keys.register(s, key.fingerprint, key.user, key.public_b64, self.clock.now()) != key.user:
                    raise BadInput("That signing key is registered to another user.")
        except DBAPIError as exc:  # the server registers a key only to the login that uses it
            raise DatabaseProblem(f"The database refused the signing key: {first_line(exc)}.") from None

    def registered_key_owner(self, fingerprint: str) -> str | None:
        with self._reading() as s:
            return signing_keys.owner(s, fingerprint)

    def add_addendum(self, record_id: str, topic: str, reason: str, text: str) -> RecordState:
        if topic not in ADDENDUM_TOPICS:
            raise BadInput(f"An addendum is one of: {', '.join(ADDENDUM_TOPICS)}.")
        if not text.strip():
            raise BadInput("An addendum needs its text.")
        if not reason.strip():
            raise BadInput("Say why the addendum is added (for example: the client's situation changed).")
        added = ADDENDUM_ADDED.new({
            "topic": topic,
            "reason": _text(reason, "The reason", 500).strip(),
            "text": _text(text, "The addendum", MAX_TEXT).strip(),
        })

        def check(before: RecordState, _after: RecordState) -> None:
            if not before.frozen:
                raise BadInput("Addenda are for signed records; this one can still be edited directly.")

        return self._change(record_id, added, check=check)
