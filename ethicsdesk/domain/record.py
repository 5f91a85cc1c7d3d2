"""A dilemma record as the fold of its events.

The event log is the source of truth. `apply` is the one place that knows what each event does to a
record, so the service (which applies an event before it stores it), `verify` (which refolds the
log and compares it with the current-state tables) and replay (which folds a prefix) cannot drift
apart. Pure Python: no I/O, no store, no faces.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from ethicsdesk.domain.client_part import CLIENT_PART_FIELDS, choice_problem
from ethicsdesk.domain.request_drafts import REQUEST_DRAFT_FIELDS

SCORE_MIN, SCORE_MAX = -2, 2
WEIGHT_MIN, WEIGHT_MAX, WEIGHT_DEFAULT = 0, 3, 1

# The most a record holds of each list: numbers a person can weigh and a reader can take in. A file
# of 30,000 options imported, and `show` then took 66 s (issue 13). Dilemma files (library.py) and
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
# --- issue 17c: the implementation plan (Decide) and how the outcome went against it -------------
# The plan's parts are text fields (rows of record_texts: no schema change); the follow-up date stays a
# decision field and is shown as part of the plan. SOURCE_KINDS: what a case manager consults; a
# `document` is one of the case file's own papers (a proxy form, an occupational therapist's report).
PLAN_FIELDS = ("plan_actions", "plan_communication", "plan_revisit")
SOURCE_KINDS = ("code", "policy", "law", "literature", "colleague", "document", "other")
OUTCOME_FIELDS = ("outcome", "against_plan", "lessons")
HEADER_FIELDS = ("title", "case_code")

# Who decides and the client's part (issue 17): domain/client_part.py; requests being written: request_drafts.py.
TEXT_FIELDS = (
    HEADER_FIELDS + SITUATION_FIELDS + PLAN_FIELDS + OUTCOME_FIELDS + CLIENT_PART_FIELDS + REQUEST_DRAFT_FIELDS
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
    """One source consulted (issue 17c): its kind (SOURCE_KINDS) and what or who it was."""

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


# --- consultation from any step (issue 17) -------------------------------------------------------
# Whom a case manager consults: a supervisor (who answers in the review screen), an ethics committee
# or a named colleague (not users: the case manager records the answer they were given).
CONSULTANT_KINDS = ("supervisor", "committee", "colleague")
CONSULTANT_KIND_NAMES = {"supervisor": "supervisor", "committee": "ethics committee", "colleague": "colleague"}
# The step whose consultation is the sign-off: it alone sets the status (awaiting-consultation,
# consulted) and precedes the signature. A request logged before issue 17 names no step: it was this.
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
class RecordState:
    id: str
    kind: str = "case"
    framework: str = "ccmc"
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
            "signature": None if self.signature is None else asdict(self.signature),
            "addenda": [asdict(a) for a in self.addenda],
            "events": self.events,
        }


@dataclass(frozen=True)
class Event:
    """One change to a record, as the log stores it."""

    record_id: str
    seq: int
    type: str
    actor: str
    at: str  # ISO 8601, UTC
    payload: dict[str, Any]


def justification_key(principle: str, condition: str) -> str:
    """The answers key of one justification condition for one compromised principle (domain/checks.py)."""
    return f"justify:{principle}:{condition}"


def _require(payload: dict[str, Any], key: str) -> Any:
    if key not in payload:
        raise DomainError(f"the event lacks '{key}'")
    return payload[key]


Key = TypeVar("Key")


def _put_text(entries: dict[Key, str], key: Key, value: str) -> None:
    """Empty text clears the entry: a record keeps no blank field, decision part, answer or note."""
    if value:
        entries[key] = value
    else:
        entries.pop(key, None)


def _apply_dilemma(state: RecordState, d: dict[str, Any]) -> None:
    """A whole dilemma file, already validated by the reader, as one event."""
    for name in ("title", "summary", "facts", "setting", "client_wishes", "capacity", "case_code", "question",
                 "own_values", "medical_facts", *CLIENT_PART_FIELDS):
        if d.get(name):
            state.text[name] = d[name]
    state.tags = list(d.get("tags", []))
    state.identifiers = list(d.get("identifiers", []))
    state.obligations = list(dict.fromkeys(d.get("obligations", [])))
    state.stakeholders = [Stakeholder(s["name"], s.get("interest", "")) for s in d.get("stakeholders", [])]
    state.options = [Option(o["key"], o["label"], o.get("description", "")) for o in d["options"]]
    ref = d.get("reference")
    if ref:
        state.weights = {p: int(w) for p, w in ref.get("weights", {}).items()}
        for okey, row in ref.get("scores", {}).items():
            for p, s in row.items():
                state.scores[(okey, p)] = int(s)
        for okey, row in ref.get("notes", {}).items():
            for p, n in row.items():
                if n:
                    state.notes[(okey, p)] = n
        state.decision["chosen"] = ref["chosen"]
        for name in ("rationale", "mitigation", "follow_up"):
            if ref.get(name):
                state.decision[name] = ref[name]
        state.sources = sources_of(ref.get("sources", []))
        for part, value in ref.get("plan", {}).items():  # actions, communication, revisit
            if value:
                state.text[f"plan_{part}"] = value
        for okey, row in ref.get("floors", {}).items():  # the reference's verdicts: "meets" or "fails"
            for obligation, verdict in row.items():
                state.floor_checks[(obligation, okey)] = verdict == "meets"
        for principle, answers in ref.get("justification", {}).items():
            for condition, answer in answers.items():
                if answer:
                    state.answers[justification_key(principle, condition)] = answer


def apply(state: RecordState, event: Event) -> RecordState:
    """Return the record after `event`. The input state is left untouched."""
    s = copy.deepcopy(state)
    _apply_in_place(s, event)
    return s


def _apply_in_place(s: RecordState, event: Event) -> None:
    p = event.payload
    t = event.type
    if t == "record.created":
        s.kind = p.get("kind", "case")
        s.framework = p.get("framework", "ccmc")
        s.framework_version = str(p.get("framework_version", "1"))
        s.sample_id = p.get("sample_id")
        s.created_at, s.created_by = event.at, event.actor
        if p.get("title"):
            s.text["title"] = p["title"]
        if p.get("case_code"):
            s.text["case_code"] = p["case_code"]
    elif t == "record.imported":
        s.kind = p.get("kind", "case")
        s.framework = p.get("framework", "ccmc")
        s.framework_version = str(p.get("framework_version", "1"))
        s.sample_id = p.get("sample_id")
        s.source = p.get("source")
        s.created_at, s.created_by = event.at, event.actor
        _apply_dilemma(s, _require(p, "dilemma"))
    elif t == "field.set":
        name, value = _require(p, "name"), _require(p, "value")
        if name not in TEXT_FIELDS:
            raise DomainError(f"'{name}' is not a field of a record")
        problem = choice_problem(name, value)
        if problem is not None:
            raise DomainError(f"'{value}' cannot be the {name.replace('_', ' ')}: {problem}")
        _put_text(s.text, name, value)
    elif t == "list.set":
        name = _require(p, "name")
        if name not in LIST_FIELDS:
            raise DomainError(f"'{name}' is not a list of a record")
        setattr(s, name, list(_require(p, "items")))
    elif t == "stakeholders.set":
        s.stakeholders = [Stakeholder(i["name"], i.get("interest", "")) for i in _require(p, "items")]
    elif t == "sources.set":
        s.sources = sources_of(_require(p, "items"))
    elif t == "obligation.set":
        oid = _require(p, "id")
        if _require(p, "ticked"):
            if oid not in s.obligations:
                s.obligations.append(oid)
        else:
            s.obligations = [o for o in s.obligations if o != oid]
            s.floor_checks = {k: v for k, v in s.floor_checks.items() if k[0] != oid}
    elif t == "floor.checked":
        key = (_require(p, "obligation"), _require(p, "option"))
        if p.get("honours") is None:
            s.floor_checks.pop(key, None)
        else:
            s.floor_checks[key] = bool(p["honours"])
    elif t == "option.added":
        key = _require(p, "key")
        if s.option(key) is not None:
            raise DomainError(f"the record already has an option '{key}'")
        opt = Option(key, _require(p, "label"), p.get("description", ""))
        pos = p.get("position")
        s.options.insert(len(s.options) if pos is None else pos, opt)
    elif t == "option.changed":
        changed = s.option(_require(p, "key"))
        if changed is None:
            raise DomainError(f"the record has no option '{p['key']}'")
        changed.label = p.get("label", changed.label)
        changed.description = p.get("description", changed.description)
    elif t == "option.removed":
        key = _require(p, "key")
        if s.option(key) is None:
            raise DomainError(f"the record has no option '{key}'")
        s.options = [o for o in s.options if o.key != key]
        s.scores = {k: v for k, v in s.scores.items() if k[0] != key}
        s.notes = {k: v for k, v in s.notes.items() if k[0] != key}
        s.floor_checks = {k: v for k, v in s.floor_checks.items() if k[1] != key}
        if s.decision.get("chosen") == key:
            del s.decision["chosen"]
    elif t == "option.moved":
        moved = s.option(_require(p, "key"))
        if moved is None:
            raise DomainError(f"the record has no option '{p['key']}'")
        s.options.remove(moved)
        s.options.insert(max(0, min(int(_require(p, "position")), len(s.options))), moved)
    elif t == "cell.scored":
        key = (_require(p, "option"), _require(p, "principle"))
        score = p.get("score")
        if score is None:
            s.scores.pop(key, None)
        else:
            s.scores[key] = int(score)
    elif t == "cell.noted":
        _put_text(s.notes, (_require(p, "option"), _require(p, "principle")), p.get("note", ""))
    elif t == "weight.set":
        s.weights[_require(p, "principle")] = int(_require(p, "weight"))
    elif t == "priority.set":
        s.priority = list(_require(p, "order"))
    elif t == "decision.set":
        name, value = _require(p, "field"), _require(p, "value")
        if name not in DECISION_FIELDS:
            raise DomainError(f"'{name}' is not a part of a decision")
        _put_text(s.decision, name, value)
    elif t == "answer.set":
        _put_text(s.answers, _require(p, "question"), _require(p, "value"))
    elif t == "consultation.requested":
        # `step` and `kind` are optional (issue 17): an old request was the sign-off one, to a supervisor
        step = p.get("step") or SIGN_OFF_STEP
        kind = p.get("kind") or "supervisor"
        if kind not in CONSULTANT_KINDS:
            raise DomainError(f"'{kind}' is not someone a case manager consults")
        asked = Consultation(
            supervisor=_require(p, "supervisor"),
            question=p.get("question", ""),
            urgent=bool(p.get("urgent", False)),
            requested_by=event.actor,
            requested_at=event.at,
            kind=kind,
            step=step,
        )
        if step == SIGN_OFF_STEP:
            s.consultation = asked
        else:
            asked.number = len(s.step_consultations) + 1
            s.step_consultations.append(asked)
    elif t == "consultation.withdrawn":
        withdrawn = s.consultation_numbered(int(p.get("number", 0)))
        if withdrawn is not None:
            withdrawn.state = "withdrawn"
    elif t == "consultation.answered":
        c = s.consultation_numbered(int(p.get("number", 0)))
        if c is None or c.state != "requested":
            raise DomainError("there is no open consultation request to answer")
        outcome = _require(p, "outcome")
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
    elif t == "record.signed":
        if s.signature is not None:
            raise DomainError("the record is already signed")
        s.signature = Signature(
            signer=event.actor,
            role=p.get("role", ""),
            at=event.at,
            signed_head=_require(p, "signed_head"),
            public_key=_require(p, "public_key"),
            fingerprint=_require(p, "fingerprint"),
            signature=_require(p, "signature"),
        )
    elif t == "addendum.added":
        topic = _require(p, "topic")
        if topic not in ADDENDUM_TOPICS:
            raise DomainError(f"'{topic}' is not a kind of addendum")
        s.addenda.append(Addendum(topic, p.get("reason", ""), _require(p, "text"), event.actor, event.at))
    elif t in NEUTRAL_EVENTS:
        pass
    else:
        raise DomainError(f"unknown event type '{t}'")
    s.events = event.seq
    s.updated_at, s.updated_by = event.at, event.actor


# Events that are kept in the log for the record's history but change none of its content.
NEUTRAL_EVENTS = frozenset({"record.exported"})


def fold(record_id: str, events: list[Event]) -> RecordState:
    """The record as it stood after `events` (all of them, or a prefix for replay)."""
    state = RecordState(id=record_id)
    for event in events:
        _apply_in_place(state, event)
    return state
