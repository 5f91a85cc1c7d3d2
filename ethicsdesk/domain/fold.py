"""How each event changes a record: `apply` and `fold`, the one place that knows what every event
type does, so the service (which applies an event before it stores it), `verify` (which refolds the
log and compares it with the current-state tables) and replay (which folds a prefix) cannot drift
apart. The record's shape and vocabulary are domain/record.py's. Pure Python: no I/O.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, Literal, TypeGuard, TypeVar, get_args

from ethicsdesk.domain.client_part import CLIENT_PART_FIELDS, choice_problem
from ethicsdesk.domain.frameworks import DEFAULT_FRAMEWORK
from ethicsdesk.domain.problem_framing import framing_problem
from ethicsdesk.domain.quality import RATING_ROW_PREFIXES, rating_from_payload
from ethicsdesk.domain.record import (
    ADDENDUM_TOPICS,
    CONSULTANT_KINDS,
    CONSULTATION_OUTCOMES,
    DECISION_FIELDS,
    LIST_FIELDS,
    SIGN_OFF_STEP,
    TEXT_FIELDS,
    Addendum,
    Consultation,
    DomainError,
    Event,
    Option,
    RecordState,
    Signature,
    Stakeholder,
    justification_key,
    sources_of,
)


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


def _begin_record(s: RecordState, event: Event) -> None:
    """What every record's first event says: its kind, framework, sample, and who made it when."""
    p = event.payload
    s.kind = p.get("kind", "case")
    s.framework = p.get("framework", DEFAULT_FRAMEWORK)
    s.framework_version = str(p.get("framework_version", "1"))
    s.sample_id = p.get("sample_id")
    s.created_at, s.created_by = event.at, event.actor


def _record_created(s: RecordState, event: Event) -> None:
    p = event.payload
    _begin_record(s, event)
    if p.get("title"):
        s.text["title"] = p["title"]
    if p.get("case_code"):
        s.text["case_code"] = p["case_code"]


def _record_imported(s: RecordState, event: Event) -> None:
    p = event.payload
    _begin_record(s, event)
    s.source = p.get("source")
    _apply_dilemma(s, _require(p, "dilemma"))


def _field_set(s: RecordState, event: Event) -> None:
    p = event.payload
    name, value = _require(p, "name"), _require(p, "value")
    if name not in TEXT_FIELDS:
        raise DomainError(f"'{name}' is not a field of a record")
    problem = choice_problem(name, value) or framing_problem(name, value)
    if problem is not None:
        raise DomainError(f"'{value}' cannot be the {name.replace('_', ' ')}: {problem}")
    _put_text(s.text, name, value)


def _list_set(s: RecordState, event: Event) -> None:
    p = event.payload
    name = _require(p, "name")
    if name not in LIST_FIELDS:
        raise DomainError(f"'{name}' is not a list of a record")
    setattr(s, name, list(_require(p, "items")))


def _stakeholders_set(s: RecordState, event: Event) -> None:
    p = event.payload
    s.stakeholders = [Stakeholder(i["name"], i.get("interest", "")) for i in _require(p, "items")]


def _sources_set(s: RecordState, event: Event) -> None:
    p = event.payload
    s.sources = sources_of(_require(p, "items"))


def _obligation_set(s: RecordState, event: Event) -> None:
    p = event.payload
    oid = _require(p, "id")
    if _require(p, "ticked"):
        if oid not in s.obligations:
            s.obligations.append(oid)
    else:
        s.obligations = [o for o in s.obligations if o != oid]
        s.floor_checks = {k: v for k, v in s.floor_checks.items() if k[0] != oid}


def _floor_checked(s: RecordState, event: Event) -> None:
    p = event.payload
    key = (_require(p, "obligation"), _require(p, "option"))
    if p.get("honours") is None:
        s.floor_checks.pop(key, None)
    else:
        s.floor_checks[key] = bool(p["honours"])


def _option_added(s: RecordState, event: Event) -> None:
    p = event.payload
    key = _require(p, "key")
    if s.option(key) is not None:
        raise DomainError(f"the record already has an option '{key}'")
    opt = Option(key, _require(p, "label"), p.get("description", ""))
    pos = p.get("position")
    s.options.insert(len(s.options) if pos is None else pos, opt)


def _option_changed(s: RecordState, event: Event) -> None:
    p = event.payload
    changed = s.option(_require(p, "key"))
    if changed is None:
        raise DomainError(f"the record has no option '{p['key']}'")
    changed.label = p.get("label", changed.label)
    changed.description = p.get("description", changed.description)


def _option_removed(s: RecordState, event: Event) -> None:
    p = event.payload
    key = _require(p, "key")
    if s.option(key) is None:
        raise DomainError(f"the record has no option '{key}'")
    s.options = [o for o in s.options if o.key != key]
    s.scores = {k: v for k, v in s.scores.items() if k[0] != key}
    s.notes = {k: v for k, v in s.notes.items() if k[0] != key}
    s.floor_checks = {k: v for k, v in s.floor_checks.items() if k[1] != key}
    if s.decision.get("chosen") == key:
        del s.decision["chosen"]


def _option_moved(s: RecordState, event: Event) -> None:
    p = event.payload
    moved = s.option(_require(p, "key"))
    if moved is None:
        raise DomainError(f"the record has no option '{p['key']}'")
    s.options.remove(moved)
    s.options.insert(max(0, min(int(_require(p, "position")), len(s.options))), moved)


def _cell_scored(s: RecordState, event: Event) -> None:
    p = event.payload
    key = (_require(p, "option"), _require(p, "principle"))
    score = p.get("score")
    if score is None:
        s.scores.pop(key, None)
    else:
        s.scores[key] = int(score)


def _cell_noted(s: RecordState, event: Event) -> None:
    p = event.payload
    _put_text(s.notes, (_require(p, "option"), _require(p, "principle")), p.get("note", ""))


def _weight_set(s: RecordState, event: Event) -> None:
    p = event.payload
    s.weights[_require(p, "principle")] = int(_require(p, "weight"))


def _priority_set(s: RecordState, event: Event) -> None:
    p = event.payload
    s.priority = list(_require(p, "order"))


def _decision_set(s: RecordState, event: Event) -> None:
    p = event.payload
    name, value = _require(p, "field"), _require(p, "value")
    if name not in DECISION_FIELDS:
        raise DomainError(f"'{name}' is not a part of a decision")
    _put_text(s.decision, name, value)


def _answer_set(s: RecordState, event: Event) -> None:
    p = event.payload
    question = _require(p, "question")
    if str(question).startswith(RATING_ROW_PREFIXES):  # the ratings' own rows (store/projection.py)
        raise DomainError(f"'{question}' is not a question of the decision checks")
    _put_text(s.answers, question, _require(p, "value"))


def _consultation_requested(s: RecordState, event: Event) -> None:
    p = event.payload
    # `step` and `kind` are optional: an old request was the sign-off one, to a supervisor
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
        s.rating = None  # a rating belongs to the request it was given with
    else:
        asked.number = len(s.step_consultations) + 1
        s.step_consultations.append(asked)


def _consultation_withdrawn(s: RecordState, event: Event) -> None:
    p = event.payload
    withdrawn = s.consultation_numbered(int(p.get("number", 0)))
    if withdrawn is not None:
        withdrawn.state = "withdrawn"


def _consultation_answered(s: RecordState, event: Event) -> None:
    p = event.payload
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


def _consultation_rated(s: RecordState, event: Event) -> None:
    if s.consultation is None or s.consultation.state not in ("requested", "answered"):
        raise DomainError("there is no sign-off consultation request to rate")
    s.rating = rating_from_payload(event.payload, event.actor, event.at)


def _training_rated(s: RecordState, event: Event) -> None:
    if s.kind != "training":
        raise DomainError("only a training attempt is rated by a trainer")
    s.trainer_rating = rating_from_payload(event.payload, event.actor, event.at)


def _record_signed(s: RecordState, event: Event) -> None:
    p = event.payload
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


def _addendum_added(s: RecordState, event: Event) -> None:
    p = event.payload
    topic = _require(p, "topic")
    if topic not in ADDENDUM_TOPICS:
        raise DomainError(f"'{topic}' is not a kind of addendum")
    s.addenda.append(Addendum(topic, p.get("reason", ""), _require(p, "text"), event.actor, event.at))


# The name of every event a record's log may hold: what the service writes is checked against it by
# mypy, so a misspelt type is an error before it runs. APPLIERS and NEUTRAL_EVENTS together hold
# exactly these (tests/domain/test_record.py checks it).
EventType = Literal[
    "record.created",
    "record.imported",
    "field.set",
    "list.set",
    "stakeholders.set",
    "sources.set",
    "obligation.set",
    "floor.checked",
    "option.added",
    "option.changed",
    "option.removed",
    "option.moved",
    "cell.scored",
    "cell.noted",
    "weight.set",
    "priority.set",
    "decision.set",
    "answer.set",
    "consultation.requested",
    "consultation.withdrawn",
    "consultation.answered",
    "consultation.rated",
    "training.rated",
    "record.signed",
    "addendum.added",
    "record.exported",
]
EVENT_TYPES: frozenset[str] = frozenset(get_args(EventType))


def is_event_type(name: str) -> TypeGuard[EventType]:
    """Whether `name` (read from a log, where it is text) is one of the declared events."""
    return name in EVENT_TYPES


# How each event type that changes a record changes it; a type with no applier and not neutral is
# refused.
APPLIERS: dict[EventType, Callable[[RecordState, Event], None]] = {
    "record.created": _record_created,
    "record.imported": _record_imported,
    "field.set": _field_set,
    "list.set": _list_set,
    "stakeholders.set": _stakeholders_set,
    "sources.set": _sources_set,
    "obligation.set": _obligation_set,
    "floor.checked": _floor_checked,
    "option.added": _option_added,
    "option.changed": _option_changed,
    "option.removed": _option_removed,
    "option.moved": _option_moved,
    "cell.scored": _cell_scored,
    "cell.noted": _cell_noted,
    "weight.set": _weight_set,
    "priority.set": _priority_set,
    "decision.set": _decision_set,
    "answer.set": _answer_set,
    "consultation.requested": _consultation_requested,
    "consultation.withdrawn": _consultation_withdrawn,
    "consultation.answered": _consultation_answered,
    "consultation.rated": _consultation_rated,
    "training.rated": _training_rated,
    "record.signed": _record_signed,
    "addendum.added": _addendum_added,
}


def _apply_in_place(s: RecordState, event: Event) -> None:
    applier = APPLIERS.get(event.type) if is_event_type(event.type) else None
    if applier is not None:
        applier(s, event)
    elif event.type not in NEUTRAL_EVENTS:
        raise DomainError(f"unknown event type '{event.type}'")
    s.events = event.seq
    s.updated_at, s.updated_by = event.at, event.actor


# Events that are kept in the log for the record's history but change none of its content.
NEUTRAL_EVENTS: frozenset[EventType] = frozenset({"record.exported"})


def fold(record_id: str, events: list[Event]) -> RecordState:
    """The record as it stood after `events` (all of them, or a prefix for replay)."""
    state = RecordState(id=record_id)
    for event in events:
        _apply_in_place(state, event)
    return state
