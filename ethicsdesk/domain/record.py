"""A dilemma record: its shape (RecordState and its parts) and vocabulary (fields, statuses, kinds).

The event log is the source of truth; each event says what it does to a record where it is declared
(domain/events/), and domain/fold.py applies them (`apply`, `fold`). Pure Python: no I/O, no store,
no faces.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, NamedTuple

from ethicsdesk.domain.client_part import CLIENT_PART_FIELDS
from ethicsdesk.domain.problem_framing import FRAMING_FIELDS
from ethicsdesk.domain.request_drafts import REQUEST_DRAFT_FIELDS

SCORE_MIN, SCORE_MAX = -2, 2
WEIGHT_MIN, WEIGHT_MAX, WEIGHT_DEFAULT = 0, 3, 1

# The most a record holds of each list: numbers a person can weigh and a reader can take in. A file
# of 30,000 options imported, and `show` then took 66 s. Dilemma files (library.py) and
# edits (service/editing.py) are held to them; events already logged still fold whatever they hold.
MAX_ITEMS = {
    "options": 12,
    "stakeholders": 30,
    "identifiers": 50,
    "tags": 20,
    "obligations": 30,
    "discussion": 20,
    "sources": 30,
}

KINDS = ("case", "training")

# Free-text fields of the walk, by step. Their order is the order the walk and the reports show.
SITUATION_FIELDS = (
    "summary",
    "facts",
    "assumptions",
    "unknowns",
    "medical_facts",
    "client_wishes",
    "capacity",
    "quality_of_life",
    "context",
    "cultural",
    "own_values",
    "setting",
    "question",
)
# --- the implementation plan (Decide) and how the outcome went against it -------------
# The plan's parts are text fields (rows of record_texts: no schema change); the follow-up date stays a
# decision field and is shown as part of the plan. SOURCE_KINDS: what a case manager consults; a
# `document` is one of the case file's own papers (a proxy form, an occupational therapist's report).
PLAN_FIELDS = ("plan_actions", "plan_communication", "plan_revisit")
SOURCE_KINDS = ("code", "policy", "law", "literature", "colleague", "document", "other")
OUTCOME_FIELDS = ("outcome", "against_plan", "lessons", "moral_distress")
HEADER_FIELDS = ("title", "case_code")

# Who decides and the client's part: domain/client_part.py; requests being written: request_drafts.py.
TEXT_FIELDS = (
    HEADER_FIELDS
    + FRAMING_FIELDS
    + SITUATION_FIELDS
    + PLAN_FIELDS
    + OUTCOME_FIELDS
    + CLIENT_PART_FIELDS
    + REQUEST_DRAFT_FIELDS
)
LIST_FIELDS = ("tags", "identifiers")
DECISION_FIELDS = ("chosen", "rationale", "mitigation", "follow_up")

STATUSES = ("draft", "decided", "awaiting-consultation", "consulted", "signed", "closed")


class DomainError(ValueError):
    """An event or an input that a record cannot take; the message is one sentence for a user."""


@dataclass
class Option:
    key: str
    label: str
    description: str = ""


@dataclass
class Stakeholder:
    name: str
    interest: str = ""


@dataclass
class Source:
    """One source consulted: its kind (SOURCE_KINDS) and what or who it was."""

    kind: str
    detail: str


def sources_of(items: list[dict[str, Any]]) -> list[Source]:
    return [Source(i.get("kind", "other"), i["detail"]) for i in items]


CONSULTATION_OUTCOMES = ("concur", "concur-with-changes", "do-not-concur")
# an outcome as a report and the supervisor's review screen name it
CONSULTATION_OUTCOME_NAMES = {
    "concur": "Concur",
    "concur-with-changes": "Concur with changes",
    "do-not-concur": "Do not concur",
}
ADDENDUM_TOPICS = ("outcome", "new-information", "correction", "follow-up")


# --- consultation from any step -------------------------------------------------------
# Whom a case manager consults: a supervisor (who answers in the review screen), an ethics committee
# or a named colleague (not users: the case manager records the answer they were given).
CONSULTANT_KINDS = ("supervisor", "committee", "colleague")
CONSULTANT_KIND_NAMES = {"supervisor": "supervisor", "committee": "ethics committee", "colleague": "colleague"}
# The step whose consultation is the sign-off: it alone sets the status (awaiting-consultation,
# consulted) and precedes the signature. A request logged before consultation was possible from every step names
# no step: it was this.
SIGN_OFF_STEP = "consult"


@dataclass
class Consultation:
    supervisor: str  # the name of whom is consulted: a supervisor unless `kind` says otherwise
    question: str
    urgent: bool
    requested_by: str
    requested_at: str
    state: str = "requested"  # requested | withdrawn | answered
    outcome: str = ""  # one of CONSULTATION_OUTCOMES once answered ("" for advice asked mid-walk)
    notes: str = ""
    conditions: str = ""
    answered_by: str = ""
    answered_at: str = ""
    kind: str = "supervisor"  # one of CONSULTANT_KINDS
    step: str = SIGN_OFF_STEP  # the walk step it was asked from
    number: int = 0  # 0: the sign-off consultation; 1, 2, …: asked mid-walk, in the order asked
    recorded_by: str = ""  # who wrote the answer in, when the one consulted is not a user

    @property
    def mid_walk(self) -> bool:
        """Asked from a step before sign-off: input to the reasoning, not a sign-off."""
        return self.number > 0


@dataclass
class Signature:
    """A supervisor's Ed25519 signature over the record's head hash at the moment of signing."""

    signer: str
    role: str
    at: str
    signed_head: str
    public_key: str  # base64 of the raw 32-byte key
    fingerprint: str
    signature: str  # base64


@dataclass
class Addendum:
    """Information added after signing: the signed content stays as it was."""

    topic: str
    reason: str
    text: str
    author: str
    at: str


@dataclass
class Rating:
    """A supervisor's rating of the rationale of one sign-off request, on the four domains of
    domain/quality.py (after ECQAT)."""

    marks: dict[str, str]  # domain id -> met | partly | not-met, for each of the four domains
    level: int  # the overall level, 1 (poor) to 4 (strong)
    note: str
    rated_by: str
    rated_at: str


# The framework a record is weighed under unless an agency chooses its own.
DEFAULT_FRAMEWORK = "ccmc"


@dataclass
class RecordState:
    id: str
    kind: str = "case"
    framework: str = DEFAULT_FRAMEWORK
    framework_version: str = "1"
    sample_id: str | None = None
    created_at: str = ""
    created_by: str = ""
    updated_at: str = ""
    updated_by: str = ""
    text: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    stakeholders: list[Stakeholder] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    obligations: list[str] = field(default_factory=list)
    floor_checks: dict[tuple[str, str], bool] = field(default_factory=dict)
    options: list[Option] = field(default_factory=list)
    scores: dict[tuple[str, str], int] = field(default_factory=dict)
    notes: dict[tuple[str, str], str] = field(default_factory=dict)
    weights: dict[str, int] = field(default_factory=dict)
    priority: list[str] = field(default_factory=list)
    decision: dict[str, str] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)
    consultation: Consultation | None = None  # the sign-off consultation (asked at the Consult step)
    # the supervisor's rating of the sign-off request now open or last answered: a new sign-off
    # request starts unrated, so a rating never passes from one request to the next
    rating: Rating | None = None
    # a trainer's (or supervisor's) rating of a training attempt, the last one given
    trainer_rating: Rating | None = None
    step_consultations: list[Consultation] = field(default_factory=list)  # asked mid-walk, numbered 1, 2, …
    signature: Signature | None = None
    addenda: list[Addendum] = field(default_factory=list)
    source: str | None = None
    events: int = 0

    # --- derived views -------------------------------------------------------------------------
    @property
    def title(self) -> str:
        return self.text.get("title", "")

    @property
    def case_code(self) -> str:
        return self.text.get("case_code", "")

    @property
    def frozen(self) -> bool:
        return self.signature is not None

    @property
    def status(self) -> str:
        if self.signature is not None:
            return "signed"
        if self.text.get("outcome"):
            return "closed"
        if self.consultation is not None and self.consultation.state == "requested":
            return "awaiting-consultation"
        if self.consultation is not None and self.consultation.state == "answered":
            return "consulted"
        if self.decision.get("chosen"):
            return "decided"
        return "draft"

    @property
    def consultations(self) -> list[Consultation]:
        """Every consultation in the order it was asked: those asked mid-walk and the sign-off one."""
        every = [*self.step_consultations, *([self.consultation] if self.consultation else [])]
        return sorted(every, key=lambda c: c.requested_at)

    def consultation_numbered(self, number: int) -> Consultation | None:
        """The consultation a `number` payload names: 0 (or none) the sign-off one, else one asked mid-walk."""
        if not number:
            return self.consultation
        return next((c for c in self.step_consultations if c.number == number), None)

    def option(self, key: str) -> Option | None:
        return next((o for o in self.options if o.key == key), None)

    def weight(self, principle: str) -> int:
        return self.weights.get(principle, WEIGHT_DEFAULT)

    def snapshot(self) -> dict[str, Any]:
        """A plain, comparable picture of the record (what verify compares with the tables)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "framework": self.framework,
            "framework_version": self.framework_version,
            "sample_id": self.sample_id,
            "source": self.source,
            "created_at": self.created_at,
            "created_by": self.created_by,
            "updated_at": self.updated_at,
            "updated_by": self.updated_by,
            "status": self.status,
            "text": {k: v for k, v in sorted(self.text.items()) if v},
            "tags": list(self.tags),
            "identifiers": list(self.identifiers),
            "stakeholders": [[s.name, s.interest] for s in self.stakeholders],
            "sources": [[x.kind, x.detail] for x in self.sources],
            "obligations": sorted(self.obligations),
            "floor_checks": sorted([o, p, v] for (o, p), v in self.floor_checks.items()),
            "options": [[o.key, o.label, o.description] for o in self.options],
            "scores": sorted([o, p, s] for (o, p), s in self.scores.items()),
            "notes": sorted([o, p, n] for (o, p), n in self.notes.items() if n),
            "weights": sorted([p, w] for p, w in self.weights.items()),
            "priority": list(self.priority),
            "decision": {k: v for k, v in sorted(self.decision.items()) if v},
            "answers": {k: v for k, v in sorted(self.answers.items()) if v},
            "consultation": None if self.consultation is None else asdict(self.consultation),
            "step_consultations": [asdict(c) for c in self.step_consultations],
            "rating": None if self.rating is None else asdict(self.rating),
            "trainer_rating": None if self.trainer_rating is None else asdict(self.trainer_rating),
            "signature": None if self.signature is None else asdict(self.signature),
            "addenda": [asdict(a) for a in self.addenda],
            "events": self.events,
        }


class Event(NamedTuple):
    """One change to a record, as the log stores it. A named tuple rather than a frozen dataclass:
    as immutable, and four times cheaper to make (a frozen dataclass sets each field through
    `object.__setattr__`), which was a fifth of reading a 10,000-event record before it is shown."""

    record_id: str
    seq: int
    type: str
    actor: str
    at: str  # ISO 8601, UTC
    payload: dict[str, Any]


def justification_key(principle: str, condition: str) -> str:
    """The answers key of one justification condition for one compromised principle (domain/checks.py)."""
    return f"justify:{principle}:{condition}"
