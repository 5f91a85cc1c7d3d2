"""The weighing: scores and notes per cell, weights, the priority order, the decision and the
answers to its tests."""

from __future__ import annotations

from typing import Any, TypedDict

from ethicsdesk.domain.events.kind import EventKind, OptionName, put_text, require, short
from ethicsdesk.domain.quality import RATING_ROW_PREFIXES
from ethicsdesk.domain.record import DECISION_FIELDS, DomainError, Event, RecordState


class CellScored(TypedDict):
    option: str
    principle: str
    score: int | None  # None clears the cell


class CellNoted(TypedDict):
    option: str
    principle: str
    note: str  # empty clears the note


class WeightSet(TypedDict):
    principle: str
    weight: int


class PrioritySet(TypedDict):
    order: list[str]  # the principles, first first


class DecisionSet(TypedDict):
    field: str  # one of record.py's DECISION_FIELDS ("chosen": the option's key)
    value: str


class AnswerSet(TypedDict):
    question: str
    value: str


def _signed(score: int | None) -> str:
    return "cleared" if score is None else f"{score:+d}"


def _cell_scored(s: RecordState, p: CellScored, _event: Event) -> None:
    key = (require(p, "option"), require(p, "principle"))
    score = p.get("score")
    if score is None:
        s.scores.pop(key, None)
    else:
        s.scores[key] = int(score)


def _cell_noted(s: RecordState, p: CellNoted, _event: Event) -> None:
    put_text(s.notes, (require(p, "option"), require(p, "principle")), p.get("note", ""))


def _weight_set(s: RecordState, p: WeightSet, _event: Event) -> None:
    s.weights[require(p, "principle")] = int(require(p, "weight"))


def _priority_set(s: RecordState, p: PrioritySet, _event: Event) -> None:
    s.priority = list(require(p, "order"))


def _decision_set(s: RecordState, p: DecisionSet, _event: Event) -> None:
    name, value = require(p, "field"), require(p, "value")
    if name not in DECISION_FIELDS:
        raise DomainError(f"'{name}' is not a part of a decision")
    put_text(s.decision, name, value)


def _answer_set(s: RecordState, p: AnswerSet, _event: Event) -> None:
    question = require(p, "question")
    if str(question).startswith(RATING_ROW_PREFIXES):  # the ratings' own rows (store/projection.py)
        raise DomainError(f"'{question}' is not a question of the decision checks")
    put_text(s.answers, question, require(p, "value"))


def _scored_words(p: CellScored, option: OptionName) -> str:
    return f"scored {option(p.get('option'))} on {p.get('principle')}: {_signed(p.get('score'))}"


def _noted_words(p: CellNoted, option: OptionName) -> str:
    return f"noted {option(p.get('option'))} on {p.get('principle')}: '{short(p.get('note', ''))}'"


def _weight_words(p: WeightSet, _option: OptionName) -> str:
    return f"weighted {p.get('principle')} {p.get('weight')}"


def _priority_words(p: PrioritySet, _option: OptionName) -> str:
    return "set the priority order: " + " > ".join(p.get("order", []))


def _decision_words(p: DecisionSet, option: OptionName) -> str:
    value = p.get("value", "")
    if p.get("field") == "chosen" and value:
        return f"chose option {option(value)}"
    return f"set decision {p.get('field')}: '{short(value)}'" if value else f"cleared decision {p.get('field')}"


def _answer_words(p: AnswerSet, _option: OptionName) -> str:
    return f"answered {p.get('question')}: '{short(p.get('value', ''))}'"


CELL_SCORED = EventKind[CellScored]("cell.scored", _cell_scored, _scored_words)
CELL_NOTED = EventKind[CellNoted]("cell.noted", _cell_noted, _noted_words)
WEIGHT_SET = EventKind[WeightSet]("weight.set", _weight_set, _weight_words)
PRIORITY_SET = EventKind[PrioritySet]("priority.set", _priority_set, _priority_words)
DECISION_SET = EventKind[DecisionSet]("decision.set", _decision_set, _decision_words)
ANSWER_SET = EventKind[AnswerSet]("answer.set", _answer_set, _answer_words)

KINDS: tuple[EventKind[Any], ...] = (CELL_SCORED, CELL_NOTED, WEIGHT_SET, PRIORITY_SET, DECISION_SET, ANSWER_SET)
