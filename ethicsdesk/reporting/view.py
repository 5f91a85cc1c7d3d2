"""The report's view data: a record, its analysis and its history as plain dicts, lists, strings,
numbers and booleans.

Templates and the JSON report read this and nothing else (never ORM objects or domain classes),
so an agency's own templates see the same names as the shipped ones, and masking can walk every
string. The JSON report is this data as it stands; the keys that the reports contract (DESIGN.md) names are
stable, more may be added. Pure Python, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ethicsdesk.domain.analysis import Analysis, obligations_json
from ethicsdesk.domain.checks import STEPS, decision_questions, quality_checks
from ethicsdesk.domain.client_part import CLIENT_PART_FIELDS, CLIENT_PART_LABELS, shown_value
from ethicsdesk.domain.frameworks import Framework
from ethicsdesk.domain.history import HistoryEntry
from ethicsdesk.domain.obligations import Catalogue
from ethicsdesk.domain.record import (
    CONSULTATION_OUTCOME_NAMES,
    OUTCOME_FIELDS,
    PLAN_FIELDS,
    SITUATION_FIELDS,
    Consultation,
    RecordState,
)
from ethicsdesk.reporting.method_view import non_concurrence, problem_framing, safety_screen
from ethicsdesk.reporting.rating_view import rating_view

REPORT_FORMAT = "ethicsdesk.report/1"

FIELD_LABELS = {
    "summary": "Summary",
    "facts": "Facts",
    "assumptions": "Assumptions",
    "unknowns": "Unknowns",
    "client_wishes": "The client's wishes and preferences",
    "capacity": "Decision-making capacity",
    "quality_of_life": "Quality of life",
    "context": "Context (family, payer, agency policy, law)",
    "cultural": "Cultural factors",
    "medical_facts": "Medical or service facts",
    "own_values": "The case manager's own values and feelings",
    "setting": "Setting",
    "question": "Ethics question",
    "outcome": "What happened",
    "against_plan": "How it went against the plan",
    "lessons": "What was learned",
    "moral_distress": "Moral distress and self-care",
    "plan_actions": "Who does what, by when",
    "plan_communication": "How it is communicated, and to whom",
    "plan_revisit": "What would make the case manager revisit the decision",
}

STATUS_LABELS = {
    "draft": "Draft",
    "decided": "Decided",
    "awaiting-consultation": "Awaiting consultation",
    "consulted": "Consulted",
    "signed": "Signed",
    "closed": "Closed",
}

STEP_LABELS = {
    "situation": "Situation",
    "obligations": "Obligations",
    "options": "Options",
    "weigh": "Weighing",
    "decide": "Decision",
    "consult": "Consultation",
    "outcome": "Outcome",
}


# Situation fields the walk does not ask for (a dilemma file may fill them): shown when written,
# never listed as "Not recorded", since nobody was asked for them.
NOT_ASKED = frozenset({"summary", "setting"})


def _situation(state: RecordState) -> dict[str, Any]:
    fields = [
        {"id": name, "label": FIELD_LABELS[name], "text": state.text.get(name, "")}
        for name in SITUATION_FIELDS
        # the question has its own section, first, as a supervisor reads it
        if name != "question" and (name not in NOT_ASKED or state.text.get(name, "").strip())
    ]
    return {
        "fields": fields,
        "stakeholders": [{"name": s.name, "interest": s.interest} for s in state.stakeholders],
        "tags": list(state.tags),
        "empty": not any(f["text"] for f in fields) and not state.stakeholders,
    }


def _obligations(state: RecordState, catalogue: Catalogue) -> list[dict[str, Any]]:
    rows = obligations_json(state.obligations, catalogue)
    for row in rows:
        row["floor_checks"] = (
            [
                {
                    "option": o.key,
                    "label": o.label,
                    "honours": state.floor_checks.get((row["id"], o.key)),  # None: not checked yet
                }
                for o in state.options
            ]
            if row["floor"]
            else []
        )
    return rows


def _options(state: RecordState, framework: Framework, analysis: Analysis) -> list[dict[str, Any]]:
    chosen = state.decision.get("chosen", "")
    excluded = analysis.rules.excluded
    return [
        {
            "number": n,
            "key": o.key,
            "label": o.label,
            "description": o.description,
            # None marks an unscored cell: the analysis counts it as 0, a reader should see the gap.
            "scores": {p: state.scores.get((o.key, p)) for p in framework.ids},
            "notes": {p: state.notes[(o.key, p)] for p in framework.ids if state.notes.get((o.key, p))},
            "weighted_total": analysis.totals.get(o.key, 0),
            "rank": analysis.ranking.index(o.key) + 1 if o.key in analysis.ranking else None,
            "chosen": o.key == chosen,
            "excluded_by": list(excluded.get(o.key, [])),
            # excluded_by split by kind: a legal or safety floor failed, a code rule broken
            "fails_floors": analysis.rules.fails_floor(o.key),
            "breaks_rules": list(analysis.rules.broken_rules.get(o.key, [])),
        }
        for n, o in enumerate(state.options, 1)
    ]


# --- sources consulted (beside the obligations) and the implementation plan -----------------------
SOURCE_LABELS = {
    "code": "Code of ethics",
    "policy": "Agency policy",
    "law": "Law",
    "literature": "Literature",
    "colleague": "Colleague",
    "document": "Case file document",
    "other": "Other",
}


def _sources(state: RecordState) -> list[dict[str, str]]:
    return [
        {"kind": x.kind, "kind_label": SOURCE_LABELS.get(x.kind, x.kind), "detail": x.detail} for x in state.sources
    ]


def _plan(state: RecordState) -> dict[str, Any]:
    parts = [{"id": f, "label": FIELD_LABELS[f], "text": state.text.get(f, "")} for f in PLAN_FIELDS]
    follow_up = state.decision.get("follow_up", "")
    return {"parts": parts, "follow_up": follow_up, "empty": not follow_up and not any(p["text"] for p in parts)}


def _decision(state: RecordState, framework: Framework) -> dict[str, Any]:
    chosen_key = state.decision.get("chosen", "")
    chosen = state.option(chosen_key) if chosen_key else None
    questions = decision_questions(state, framework)
    compromised: dict[str, dict[str, Any]] = {}
    for q in questions:
        if q.group != "justify" or q.principle is None:
            continue
        entry = compromised.setdefault(
            q.principle,
            {
                "principle": q.principle,
                "name": framework.name_of(q.principle),
                "score": state.scores.get((chosen_key, q.principle)),
                "justifications": [],
            },
        )
        entry["justifications"].append(
            {"condition": q.prompt.id, "title": q.prompt.title, "question": q.prompt.question, "answer": q.answer}
        )
    return {
        "chosen": chosen.key if chosen else None,
        "chosen_label": chosen.label if chosen else "",
        "rationale": state.decision.get("rationale", ""),
        "mitigation": state.decision.get("mitigation", ""),
        "follow_up": state.decision.get("follow_up", ""),
        "compromised": list(compromised.values()),
        "plan": _plan(state),
        "client_part": _client_part(state),
    }


def _client_part(state: RecordState) -> list[dict[str, str]]:
    """Who decides and the client's part: `value` as stored (a choice's id, for programs),
    `text` as people read it; both empty when not answered."""
    return [
        {
            "id": name,
            "label": CLIENT_PART_LABELS[name],
            "value": state.text.get(name, ""),
            "text": shown_value(name, state.text.get(name, "")),
        }
        for name in CLIENT_PART_FIELDS
    ]


def _checks(state: RecordState, framework: Framework, catalogue: Catalogue) -> dict[str, Any]:
    questions = decision_questions(state, framework)

    def group(name: str) -> list[dict[str, str]]:
        return [
            {"id": q.prompt.id, "title": q.prompt.title, "question": q.prompt.question, "answer": q.answer}
            for q in questions
            if q.group == name
        ]

    findings = quality_checks(state, framework, catalogue)
    return {
        "tests": group("test"),
        "sure": group("sure"),
        "findings": [
            {
                "id": f.id,
                "step": f.step,
                "step_label": STEP_LABELS.get(f.step, f.step),
                "text": f.text,
                "subject": f.subject,
            }
            for f in sorted(findings, key=lambda f: STEPS.index(f.step) if f.step in STEPS else len(STEPS))
        ],
    }


ADDENDUM_LABELS = {
    "outcome": "Outcome",
    "new-information": "New information",
    "correction": "Correction",
    "follow-up": "Follow-up",
}


def _answer(c: Consultation) -> dict[str, Any]:
    """A consultation's answer, the same in the sign-off section and in the list of every one asked."""
    return {
        "outcome": c.outcome,
        "outcome_label": CONSULTATION_OUTCOME_NAMES.get(c.outcome, c.outcome),
        "notes": c.notes,
        "conditions": c.conditions,
        "answered_by": c.answered_by,
        "answered_at": c.answered_at,
    }


def _consultation(state: RecordState) -> dict[str, Any]:
    c = state.consultation
    if c is None:
        return {"requested": False, "state": "not-requested", "supervisor": "", "question": "", "urgent": False,
                "requested_by": "", "requested_at": "", "outcome": "", "outcome_label": "", "notes": "",
                "conditions": "", "answered_by": "", "answered_at": "", "kind": "", "recorded_by": "",
                "rating": None}
    return {
        "requested": True,
        "state": c.state,
        "supervisor": c.supervisor,
        "question": c.question,
        "urgent": c.urgent,
        "requested_by": c.requested_by,
        "requested_at": c.requested_at,
        **_answer(c),
        "kind": c.kind,
        "recorded_by": c.recorded_by,
        "rating": rating_view(state),
    }


# --- consultations from any step -------------------------------------------------------
def _consultations(state: RecordState) -> list[dict[str, Any]]:
    """Every consultation in the order asked: where (step), whom (kind and name), the question, the
    answer, and who wrote a committee's or colleague's answer in. `sign_off` marks the one asked at
    the Consult step, which section 9 also shows as the sign-off consultation."""
    from ethicsdesk.domain.record import CONSULTANT_KIND_NAMES
    from ethicsdesk.domain.walk import STEP_TITLES

    return [
        {
            "number": c.number,
            "sign_off": not c.mid_walk,
            "step": c.step,
            "step_label": STEP_TITLES.get(c.step, c.step),
            "kind": c.kind,
            "kind_label": CONSULTANT_KIND_NAMES.get(c.kind, c.kind),
            "whom": c.supervisor,
            "question": c.question,
            "urgent": c.urgent,
            "requested_by": c.requested_by,
            "requested_at": c.requested_at,
            "state": c.state,
            **_answer(c),
            "recorded_by": c.recorded_by,
        }
        for c in state.consultations
    ]


def _signature(state: RecordState) -> dict[str, Any]:
    sig = state.signature
    if sig is None:
        return {"signed": False, "signer": "", "role": "", "at": "", "signed_head": "", "fingerprint": "",
                "public_key": "", "signature": ""}
    # The public key and the signature itself travel with the report, so that a reader holding the
    # JSON can check the signature against the head hash without ethicsdesk's database.
    return {
        "signed": True,
        "signer": sig.signer,
        "role": sig.role,
        "at": sig.at,
        "signed_head": sig.signed_head,
        "fingerprint": sig.fingerprint,
        "public_key": sig.public_key,
        "signature": sig.signature,
    }


def _addenda(state: RecordState) -> list[dict[str, Any]]:
    return [
        {"topic": a.topic, "topic_label": ADDENDUM_LABELS.get(a.topic, a.topic), "reason": a.reason,
         "text": a.text, "author": a.author, "at": a.at}
        for a in state.addenda
    ]


def _contributors(history: Sequence[HistoryEntry]) -> list[dict[str, Any]]:
    people: dict[tuple[str, str], dict[str, Any]] = {}
    for e in history:
        entry = people.setdefault(
            (e.actor, e.role), {"name": e.actor, "role": e.role, "changes": 0, "first": e.at, "last": e.at}
        )
        entry["changes"] += 1
        entry["last"] = e.at
    return list(people.values())


def _record_header(state: RecordState) -> dict[str, Any]:
    """The record's identity, status and who made it, as the report's header shows them."""
    return {
        "id": state.id,
        "title": state.title,
        "case_code": state.case_code,
        "kind": state.kind,
        "status": state.status,
        "status_label": STATUS_LABELS.get(state.status, state.status),
        "case_manager": state.created_by,
        "created_at": state.created_at,
        "created_by": state.created_by,
        "updated_at": state.updated_at,
        "updated_by": state.updated_by,
        "sample_id": state.sample_id,
        "source": state.source,
        "tags": list(state.tags),
    }


def build_report_view(
    state: RecordState,
    framework: Framework,
    catalogue: Catalogue,
    analysis: Analysis,
    head_hash: str,
    history: Sequence[HistoryEntry],
    *,
    exported_at: str,
    exported_by: str,
    masked: bool,
    contributors: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Everything a report shows, as plain data. `history` is the log up to `head_hash` (the record
    as exported, before the export's own event). A format that shows no history gives none, and the
    `contributors` counted by the database instead of from it."""
    analysis_data = analysis.to_json()
    return {
        "report": _report_header(state, exported_at, exported_by, masked),
        "record": _record_header(state),
        "framework": _framework_header(state, framework),
        "question": state.text.get("question", ""),
        "safety_screen": safety_screen(state, catalogue),
        "problem_framing": problem_framing(state),
        "situation": _situation(state),
        "principles": [
            {"id": p.id, "name": p.name, "weight": state.weight(p.id), "definition": p.definition, "asks": p.asks}
            for p in framework.principles
        ],
        "obligations": _obligations(state, catalogue),
        "sources": _sources(state),
        "options": _options(state, framework, analysis),
        "decision": _decision(state, framework),
        "analysis": analysis_data,
        "checks": _checks(state, framework, catalogue),
        "consultation": _consultation(state),
        "consultations": _consultations(state),
        "non_concurrence": non_concurrence(state),
        "signature": _signature(state),
        "addenda": _addenda(state),
        "outcome": {name: state.text.get(name, "") for name in OUTCOME_FIELDS},
        "integrity": _integrity(state, head_hash),
        "contributors": _contributors(history) if contributors is None else contributors,
        "history": _history(history),
    }


def _report_header(state: RecordState, exported_at: str, exported_by: str, masked: bool) -> dict[str, Any]:
    return {
        "format": REPORT_FORMAT,
        "exported_at": exported_at,
        "exported_by": exported_by,
        "identifiers_masked": masked,
        "identifier_count": len(state.identifiers),
        # Masked along with everything else: a masked report lists only the placeholders.
        "identifiers": list(state.identifiers),
    }


def _framework_header(state: RecordState, framework: Framework) -> dict[str, Any]:
    """The framework the record is weighed in, and the version the record was made under."""
    return {
        "id": framework.id,
        "name": framework.name,
        "version": framework.version,
        "record_version": state.framework_version,
        "source": framework.source,
    }


def _integrity(state: RecordState, head_hash: str) -> dict[str, Any]:
    """How a reader checks the report against the database: the head it was made from, and the
    export's own event, which follows it."""
    return {
        "head_hash": head_hash,
        "events": state.events,
        "export_event": state.events + 1,
        "verify_command": f"ethicsdesk verify {state.id}",
    }


def _history(history: Sequence[HistoryEntry]) -> list[dict[str, Any]]:
    return [
        {"seq": e.seq, "at": e.at, "actor": e.actor, "role": e.role, "type": e.type, "text": e.text, "hash": e.hash}
        for e in history
    ]


def free_text(view: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(where, text) for every passage of the view that a person wrote, named as the report names
    it, for the identifier-lookalike scan."""
    record = view["record"]
    yield "Title", record["title"]
    yield "Ethics question", view["question"]
    for f in view["situation"]["fields"]:
        yield f"Situation: {f['label'].lower()}", f["text"]
    for s in view["situation"]["stakeholders"]:
        yield "Stakeholders", f"{s['name']}: {s['interest']}"
    for o in view["options"]:
        where = f"Option {o['number']}"
        yield where, o["label"]
        yield where, o["description"]
        for note in o["notes"].values():
            yield f"{where}: notes on the scores", note
    decision = view["decision"]
    # Not the follow-up: it is the date of the next review, read as a date, not a date about the client,
    # and advising to mask it only taught people to ignore the warnings.
    for key in ("rationale", "mitigation"):
        yield f"Decision: {key}", decision[key]
    for part in decision["plan"]["parts"]:
        yield f"Plan: {part['label'].lower()}", part["text"]
    for source in view["sources"]:
        yield "Sources consulted", source["detail"]
    yield "Decision: how the client is told", decision["client_part"][-1]["text"]
    for c in decision["compromised"]:
        for j in c["justifications"]:
            yield f"Decision: justification for {c['name']}", j["answer"]
    for item in view["checks"]["tests"] + view["checks"]["sure"]:
        yield f"Checks: {item['title'].lower()}", item["answer"]
    consultation = view["consultation"]
    for key in ("supervisor", "question", "notes", "conditions"):
        yield f"Consultation: {key}", consultation[key]
    if consultation["rating"] is not None:
        yield "Consultation: rating note", consultation["rating"]["note"]
    for c in view["consultations"]:
        if not c["sign_off"]:
            for key in ("whom", "question", "notes", "conditions"):
                yield f"Consultation at {c['step_label']}: {key}", c[key]
    for key, text in view["outcome"].items():
        yield f"Outcome: {FIELD_LABELS.get(key, key).lower()}", text
    for n, addendum in enumerate(view["addenda"], 1):
        yield f"Addendum {n}", f"{addendum['reason']}\n{addendum['text']}"
