"""The parts of a record that people change independently, for telling a real conflict from a
harmless one.

Two edits conflict only when both change the same part: one text field, one list, one cell's score or
note, one weight, one option, one answer. An export, a cursor move, or a change to another part is
not a conflict, so it never stops an edit: `conflicting_parts` compares the part an edit changes with what changed
in that part since the editor read it.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from ethicsdesk.domain.record import RecordState

Part = tuple[str, ...]
OPTION_ORDER: Part = ("option order",)


def parts(state: RecordState) -> dict[Part, Any]:
    """Every part of the record's content with its value; an empty part is absent."""
    out: dict[Part, Any] = {}
    for name in ("kind", "framework", "framework_version", "sample_id", "source"):
        out[(name,)] = getattr(state, name)
    for name, text in state.text.items():
        out[("text", name)] = text
    out[("tags",)] = tuple(state.tags)
    out[("identifiers",)] = tuple(state.identifiers)
    out[("stakeholders",)] = tuple((s.name, s.interest) for s in state.stakeholders)
    out[("sources",)] = tuple((x.kind, x.detail) for x in state.sources)
    for oid in state.obligations:
        out[("obligation", oid)] = True
    for (obligation, option_key), verdict in state.floor_checks.items():
        out[("floor check", obligation, option_key)] = verdict
    for option in state.options:
        out[("option", option.key)] = (option.label, option.description)
    for (option_key, principle), score in state.scores.items():
        out[("score", option_key, principle)] = score
    for (option_key, principle), note in state.notes.items():
        if note:
            out[("note", option_key, principle)] = note
    for principle, weight in state.weights.items():
        out[("weight", principle)] = weight
    out[("priority",)] = tuple(state.priority)
    for name, value in state.decision.items():
        if value:
            out[("decision", name)] = value
    for key, value in state.answers.items():
        if value:
            out[("answer", key)] = value
    out[("consultation",)] = None if state.consultation is None else asdict(state.consultation)
    for c in state.step_consultations:
        out[("consultation", str(c.number))] = asdict(c)
    out[("rating",)] = None if state.rating is None else asdict(state.rating)
    out[("signature",)] = None if state.signature is None else asdict(state.signature)
    out[("addenda",)] = tuple(tuple(sorted(asdict(a).items())) for a in state.addenda)
    return {k: v for k, v in out.items() if v not in (None, "", ())}


def _relative_order(keys: list[str], others: list[str]) -> list[str]:
    shared = set(others)
    return [k for k in keys if k in shared]


def changed_parts(a: RecordState, b: RecordState) -> set[Part]:
    """The parts whose values differ between two states of one record.

    The order of the options counts as changed only when options both states hold swapped places:
    adding or removing an option changes that option, not the order of the others."""
    pa, pb = parts(a), parts(b)
    changed = {k for k in pa.keys() | pb.keys() if pa.get(k) != pb.get(k)}
    ka, kb = [o.key for o in a.options], [o.key for o in b.options]
    if _relative_order(ka, kb) != _relative_order(kb, ka):
        changed.add(OPTION_ORDER)
    return changed


def conflicting_parts(seen: RecordState, current: RecordState, after: RecordState) -> set[Part]:
    """The parts an edit (`current` -> `after`) changes that someone else changed since the editor
    read `seen`. Empty: the edit can land without overwriting anyone."""
    return changed_parts(current, after) & changed_parts(seen, current)


def describe_part(part: Part) -> str:
    """A part in words, for the sentence that tells the user what someone else changed."""
    kind = part[0]
    if kind == "text":
        return f"the {part[1].replace('_', ' ')}"
    if kind == "decision":
        return "the chosen option" if part[1] == "chosen" else f"the {part[1].replace('_', ' ')}"
    if kind == "answer":
        return "this answer"
    if kind in ("score", "note"):
        return f"the {kind} of this cell"
    if kind in ("option", "obligation", "weight"):
        return f"this {kind}"
    return f"the {kind}"
