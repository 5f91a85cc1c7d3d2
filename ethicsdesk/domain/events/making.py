"""A record made, imported from a dilemma file, or exported as a report."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

from ethicsdesk.domain.client_part import CLIENT_PART_FIELDS
from ethicsdesk.domain.events.kind import EventKind, OptionName, require, short
from ethicsdesk.domain.frameworks import DEFAULT_FRAMEWORK
from ethicsdesk.domain.record import (
    Event,
    Option,
    RecordState,
    Stakeholder,
    justification_key,
    sources_of,
)


class RecordCreated(TypedDict):
    kind: str  # "case" or "training" (record.py's KINDS)
    title: str
    case_code: str
    framework: str
    framework_version: str
    sample_id: NotRequired[str]  # a training attempt's sample


class RecordImported(TypedDict):
    kind: str
    framework: str
    framework_version: str
    source: str  # the dilemma file's name
    sha256: str  # of the file as read
    dilemma: dict[str, Any]  # the file as knowledge/dilemma_files.py reads it, already validated
    sample_id: NotRequired[str]


class RecordExported(TypedDict):
    format: str
    masked: bool  # whether the identifiers were masked
    target: str  # the file written, or standard output


def _begin_record(s: RecordState, p: RecordCreated | RecordImported, event: Event) -> None:
    """What every record's first event says: its kind, framework, sample, and who made it when."""
    s.kind = p.get("kind", "case")
    s.framework = p.get("framework", DEFAULT_FRAMEWORK)
    s.framework_version = str(p.get("framework_version", "1"))
    s.sample_id = p.get("sample_id")
    s.created_at, s.created_by = event.at, event.actor


def _record_created(s: RecordState, p: RecordCreated, event: Event) -> None:
    _begin_record(s, p, event)
    if p.get("title"):
        s.text["title"] = p["title"]
    if p.get("case_code"):
        s.text["case_code"] = p["case_code"]


def _record_imported(s: RecordState, p: RecordImported, event: Event) -> None:
    _begin_record(s, p, event)
    s.source = p.get("source")
    _apply_dilemma(s, require(p, "dilemma"))


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
        _apply_reference(state, ref)


def _apply_reference(state: RecordState, ref: dict[str, Any]) -> None:
    """A sample's reference weighing: what a trainee's attempt is compared with."""
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


def _created_words(p: RecordCreated, _option: OptionName) -> str:
    return f"created the {p.get('kind', 'case')} record '{short(p.get('title', ''))}'"


def _imported_words(p: RecordImported, _option: OptionName) -> str:
    d = p.get("dilemma", {})
    return f"imported '{short(d.get('title', ''))}' from {p.get('source', 'a dilemma file')}"


def _exported_words(p: RecordExported, _option: OptionName) -> str:
    masked = "identifiers masked" if p.get("masked", True) else "identifiers INCLUDED"
    return f"exported as {p.get('format')} ({masked})"


RECORD_CREATED = EventKind[RecordCreated]("record.created", _record_created, _created_words)
RECORD_IMPORTED = EventKind[RecordImported]("record.imported", _record_imported, _imported_words)
# kept in the log so that every report that left ethicsdesk is counted; a signed record is exported too
RECORD_EXPORTED = EventKind[RecordExported]("record.exported", None, _exported_words, on_signed=True)

KINDS: tuple[EventKind[Any], ...] = (RECORD_CREATED, RECORD_IMPORTED, RECORD_EXPORTED)
