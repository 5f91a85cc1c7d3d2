"""Events in words, for the replay timeline and the audit trail."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ethicsdesk.domain.fold import EventType, is_event_type
from ethicsdesk.domain.quality import LEVEL_NAMES
from ethicsdesk.domain.record import Event


@dataclass(frozen=True)
class HistoryEntry:
    """One event of a record's log as the service lists it and a report shows it: who, in which
    role, when, and what they did in words (`describe`)."""

    seq: int
    at: str
    actor: str
    role: str
    type: str
    text: str
    hash: str


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _signed(score: int | None) -> str:
    return "cleared" if score is None else f"{score:+d}"


def _article(word: str) -> str:
    """'a' or 'an' before `word`, by its first letter (the addendum topics and kinds are plain words)."""
    return "an" if word[:1].lower() in "aeiou" else "a"


def option_labels(events: Iterable[Event]) -> Iterator[dict[str, str]]:
    """For each event in order, the options' labels by key as they stood once it was applied: an
    event names an option by its key, and a reader knows it by its label."""
    labels: dict[str, str] = {}
    for event in events:
        p = event.payload
        if event.type == "record.imported":
            for option in p.get("dilemma", {}).get("options", []):
                if option.get("key"):
                    labels[str(option["key"])] = str(option.get("label") or option["key"])
        elif event.type in ("option.added", "option.changed") and p.get("key") and p.get("label"):
            labels[str(p["key"])] = str(p["label"])
        yield dict(labels)


def describe(event: Event, labels: Mapping[str, str] | None = None) -> str:
    """The event in words; options by their labels (`labels`: key -> label as it stood, from
    option_labels), or by their keys where the label is not known."""
    p, t = event.payload, event.type
    names = labels or {}

    def option(key: object) -> str:
        label = names.get(str(key))
        return f"'{_short(label)}'" if label else str(key)
    if not is_event_type(t):
        return t  # a type this version does not know (a newer writer's): named as it is
    return _describe_content(t, p, option) or _describe_weighing(t, p, option) or _describe_review(t, p) or t


def _describe_content(t: EventType, p: Mapping[str, Any], option: Callable[[object], str]) -> str | None:
    """The record's making, its texts and lists, its duties and its options."""
    if t == "record.created":
        return f"created the {p.get('kind', 'case')} record '{_short(p.get('title', ''))}'"
    if t == "record.imported":
        d = p.get("dilemma", {})
        return f"imported '{_short(d.get('title', ''))}' from {p.get('source', 'a dilemma file')}"
    if t == "field.set":
        name = str(p.get("name", "")).replace("_", " ")
        value = p.get("value", "")
        return f"set {name}: '{_short(value)}'" if value else f"cleared {name}"
    if t == "list.set":
        return f"set {p.get('name')} ({len(p.get('items', []))} item(s))"
    if t == "stakeholders.set":
        return f"set stakeholders ({len(p.get('items', []))})"
    if t == "sources.set":
        return f"set sources consulted ({len(p.get('items', []))})"
    if t == "obligation.set":
        return f"{'ticked' if p.get('ticked') else 'unticked'} obligation {p.get('id')}"
    if t == "floor.checked":
        verdict = {True: "honours", False: "does not honour", None: "not judged against"}[p.get("honours")]
        return f"option {option(p.get('option'))} {verdict} {p.get('obligation')}"
    if t == "option.added":
        return f"added option '{_short(p.get('label', ''))}'"
    if t == "option.changed":
        return f"changed option {option(p.get('key'))}"
    if t == "option.removed":
        return f"removed option {option(p.get('key'))}"
    if t == "option.moved":
        return f"moved option {option(p.get('key'))} to place {int(p.get('position', 0)) + 1}"
    return None


def _describe_weighing(t: EventType, p: Mapping[str, Any], option: Callable[[object], str]) -> str | None:
    """Scores, notes, weights, the priority order, the decision and the answers to its tests."""
    if t == "cell.scored":
        return f"scored {option(p.get('option'))} on {p.get('principle')}: {_signed(p.get('score'))}"
    if t == "cell.noted":
        return f"noted {option(p.get('option'))} on {p.get('principle')}: '{_short(p.get('note', ''))}'"
    if t == "weight.set":
        return f"weighted {p.get('principle')} {p.get('weight')}"
    if t == "priority.set":
        return "set the priority order: " + " > ".join(p.get("order", []))
    if t == "decision.set":
        value = p.get("value", "")
        if p.get("field") == "chosen" and value:
            return f"chose option {option(value)}"
        return f"set decision {p.get('field')}: '{_short(value)}'" if value else f"cleared decision {p.get('field')}"
    if t == "answer.set":
        return f"answered {p.get('question')}: '{_short(p.get('value', ''))}'"
    return None


def _describe_review(t: EventType, p: Mapping[str, Any]) -> str | None:
    """Consultation, signature, addenda and exports."""
    if t == "consultation.requested":
        urgent = "urgent " if p.get("urgent") else ""
        kind = p.get("kind", "supervisor")
        whom = p.get("supervisor") if kind == "supervisor" else f"{p.get('supervisor')} ({kind})"
        at = f" at the {str(p['step']).replace('-', ' ')} step" if p.get("step", "consult") != "consult" else ""
        return f"requested {urgent}consultation from {whom}{at}"
    if t == "consultation.withdrawn":
        which = f" {p['number']}" if p.get("number") else ""
        return f"withdrew the consultation request{which}"
    if t == "consultation.answered":
        outcome = str(p.get("outcome", "")).replace("-", " ") or "advice"
        which = f" {p['number']}" if p.get("number") else ""
        verb = "recorded the answer to" if p.get("recorded") else "answered"
        return f"{verb} the consultation{which}: {outcome}"
    if t in ("consultation.rated", "training.rated"):
        level = p.get("level")
        name = LEVEL_NAMES.get(level, "") if isinstance(level, int) else ""
        what = "the rationale" if t == "consultation.rated" else "the attempt"
        return f"rated {what}: level {level}" + (f" ({name})" if name else "")
    if t == "record.signed":
        return f"signed the record (key {str(p.get('fingerprint', ''))[:16]})"
    if t == "addendum.added":
        topic = str(p.get("topic", "")).replace("-", " ")
        return f"added {_article(topic)} {topic} addendum: '{_short(p.get('text', ''))}'"
    if t == "record.exported":
        masked = "identifiers masked" if p.get("masked", True) else "identifiers INCLUDED"
        return f"exported as {p.get('format')} ({masked})"
    return None
