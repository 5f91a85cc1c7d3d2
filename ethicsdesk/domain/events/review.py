"""Consultation asked, withdrawn, answered and rated; a trainer's rating; the signature; addenda."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NotRequired, TypedDict

from ethicsdesk.domain.events.kind import EventKind, OptionName, require, short
from ethicsdesk.domain.quality import LEVEL_NAMES, rating_from_payload
from ethicsdesk.domain.record import (
    ADDENDUM_TOPICS,
    CONSULTANT_KINDS,
    CONSULTATION_OUTCOMES,
    SIGN_OFF_STEP,
    Addendum,
    Consultation,
    DomainError,
    Event,
    RecordState,
    Signature,
)


class ConsultationRequested(TypedDict):
    supervisor: str  # the name of whom is consulted
    question: str
    urgent: bool
    # written only where they say something: a supervisor asked at sign-off logs without them
    kind: NotRequired[str]  # one of record.py's CONSULTANT_KINDS
    step: NotRequired[str]  # the step of the walk it was asked from


class ConsultationWithdrawn(TypedDict):
    number: NotRequired[int]  # a request asked mid-walk; absent: the sign-off one


class ConsultationAnswered(TypedDict):
    outcome: str  # one of CONSULTATION_OUTCOMES; advice asked mid-walk may have none ("")
    notes: str
    conditions: str
    number: NotRequired[int]  # as for a withdrawal
    recorded: NotRequired[bool]  # written in by the case manager for a committee or a colleague


class Rated(TypedDict):
    marks: dict[str, str]  # each of the four domains (quality.py) -> its mark
    level: int  # 1-4
    note: str


class RecordSigned(TypedDict):
    role: str
    signed_head: str
    public_key: str
    fingerprint: str
    signature: str


class AddendumAdded(TypedDict):
    topic: str  # one of record.py's ADDENDUM_TOPICS
    reason: str
    text: str


def _consultation_requested(s: RecordState, p: ConsultationRequested, event: Event) -> None:
    # `step` and `kind` are optional: an old request was the sign-off one, to a supervisor
    step = p.get("step") or SIGN_OFF_STEP
    kind = p.get("kind") or "supervisor"
    if kind not in CONSULTANT_KINDS:
        raise DomainError(f"'{kind}' is not someone a case manager consults")
    asked = Consultation(
        supervisor=require(p, "supervisor"),
        question=p.get("question", ""),
        urgent=bool(p.get("urgent", False)),
        requested_by=event.actor,
        requested_at=event.at,
        kind=kind,
        step=step,
    )
    if step == SIGN_OFF_STEP:
        s.consultation = asked
        s.rating = None  # a rating belongs to the request it was given with
    else:
        asked.number = len(s.step_consultations) + 1
        s.step_consultations.append(asked)


def _consultation_withdrawn(s: RecordState, p: ConsultationWithdrawn, _event: Event) -> None:
    withdrawn = s.consultation_numbered(int(p.get("number", 0)))
    if withdrawn is not None:
        withdrawn.state = "withdrawn"


def _consultation_answered(s: RecordState, p: ConsultationAnswered, event: Event) -> None:
    c = s.consultation_numbered(int(p.get("number", 0)))
    if c is None or c.state != "requested":
        raise DomainError("there is no open consultation request to answer")
    outcome = require(p, "outcome")
    # advice asked mid-walk may carry no verdict; the sign-off answer always does
    if outcome not in CONSULTATION_OUTCOMES and not (c.mid_walk and outcome == ""):
        raise DomainError(f"'{outcome}' is not a consultation outcome")
    c.state = "answered"
    c.outcome = outcome
    c.notes = p.get("notes", "")
    c.conditions = p.get("conditions", "")
    c.answered_at = event.at
    if p.get("recorded"):  # a committee's or colleague's answer, written in by the case manager
        c.answered_by, c.recorded_by = c.supervisor, event.actor
    else:
        c.answered_by = event.actor


def _consultation_rated(s: RecordState, p: Rated, event: Event) -> None:
    if s.consultation is None or s.consultation.state not in ("requested", "answered"):
        raise DomainError("there is no sign-off consultation request to rate")
    s.rating = rating_from_payload(p, event.actor, event.at)


def _training_rated(s: RecordState, p: Rated, event: Event) -> None:
    if s.kind != "training":
        raise DomainError("only a training attempt is rated by a trainer")
    s.trainer_rating = rating_from_payload(p, event.actor, event.at)


def _record_signed(s: RecordState, p: RecordSigned, event: Event) -> None:
    if s.signature is not None:
        raise DomainError("the record is already signed")
    s.signature = Signature(
        signer=event.actor,
        role=p.get("role", ""),
        at=event.at,
        signed_head=require(p, "signed_head"),
        public_key=require(p, "public_key"),
        fingerprint=require(p, "fingerprint"),
        signature=require(p, "signature"),
    )


def _addendum_added(s: RecordState, p: AddendumAdded, event: Event) -> None:
    topic = require(p, "topic")
    if topic not in ADDENDUM_TOPICS:
        raise DomainError(f"'{topic}' is not a kind of addendum")
    s.addenda.append(Addendum(topic, p.get("reason", ""), require(p, "text"), event.actor, event.at))


def _article(word: str) -> str:
    """'a' or 'an' before `word`, by its first letter (the addendum topics and kinds are plain words)."""
    return "an" if word[:1].lower() in "aeiou" else "a"


def _requested_words(p: ConsultationRequested, _option: OptionName) -> str:
    urgent = "urgent " if p.get("urgent") else ""
    kind = p.get("kind", "supervisor")
    whom = p.get("supervisor") if kind == "supervisor" else f"{p.get('supervisor')} ({kind})"
    at = f" at the {str(p['step']).replace('-', ' ')} step" if p.get("step", "consult") != "consult" else ""
    return f"requested {urgent}consultation from {whom}{at}"


def _withdrawn_words(p: ConsultationWithdrawn, _option: OptionName) -> str:
    which = f" {p['number']}" if p.get("number") else ""
    return f"withdrew the consultation request{which}"


def _answered_words(p: ConsultationAnswered, _option: OptionName) -> str:
    outcome = str(p.get("outcome", "")).replace("-", " ") or "advice"
    which = f" {p['number']}" if p.get("number") else ""
    verb = "recorded the answer to" if p.get("recorded") else "answered"
    return f"{verb} the consultation{which}: {outcome}"


def _rating_words(what: str) -> Callable[[Rated, OptionName], str]:
    """The words of a rating, of the rationale or of a training attempt: `what` was rated."""

    def words(p: Rated, _option: OptionName) -> str:
        level = p.get("level")
        name = LEVEL_NAMES.get(level, "") if isinstance(level, int) else ""
        return f"rated {what}: level {level}" + (f" ({name})" if name else "")

    return words


def _signed_words(p: RecordSigned, _option: OptionName) -> str:
    return f"signed the record (key {str(p.get('fingerprint', ''))[:16]})"


def _addendum_words(p: AddendumAdded, _option: OptionName) -> str:
    topic = str(p.get("topic", "")).replace("-", " ")
    return f"added {_article(topic)} {topic} addendum: '{short(p.get('text', ''))}'"


CONSULTATION_REQUESTED = EventKind[ConsultationRequested](
    "consultation.requested", _consultation_requested, _requested_words
)
CONSULTATION_WITHDRAWN = EventKind[ConsultationWithdrawn](
    "consultation.withdrawn", _consultation_withdrawn, _withdrawn_words
)
CONSULTATION_ANSWERED = EventKind[ConsultationAnswered](
    "consultation.answered", _consultation_answered, _answered_words
)
CONSULTATION_RATED = EventKind[Rated]("consultation.rated", _consultation_rated, _rating_words("the rationale"))
TRAINING_RATED = EventKind[Rated]("training.rated", _training_rated, _rating_words("the attempt"))
RECORD_SIGNED = EventKind[RecordSigned]("record.signed", _record_signed, _signed_words)
# what happened after a signature is written beside the signed record, never into it
ADDENDUM_ADDED = EventKind[AddendumAdded]("addendum.added", _addendum_added, _addendum_words, on_signed=True)

KINDS: tuple[EventKind[Any], ...] = (
    CONSULTATION_REQUESTED,
    CONSULTATION_WITHDRAWN,
    CONSULTATION_ANSWERED,
    CONSULTATION_RATED,
    TRAINING_RATED,
    RECORD_SIGNED,
    ADDENDUM_ADDED,
)
