"""Training: a trainee's attempt compared with a sample's reference weighing, and a cohort of attempts.

Pure functions over plain data: the reference is passed in as a `Reference` (built by the service
from a dilemma file), the attempt as the trainee's RecordState. No I/O.

Figures, stated once:

- A cell is (option key, principle id); the cells compared are the reference's options by the
  reference's principles, in that order. A trainee score on any other cell is ignored.
- Cell agreement = 1 - |trainee score - reference score| / 4, so 1.0 for the same score, 0.75 one
  step apart ... 0.0 at the opposite end of the -2..+2 scale. A cell the trainee left unscored has
  agreement 0: an unscored cell is a judgement not made, not a neutral one.
- Overall agreement = the mean of the cell agreements over every compared cell.
- Weight agreement = 1 - |trainee weight - reference weight| / 3 per principle; both sides default
  to 1 (the walk's default), so a trainee who left a weight alone accepted 1. The weights agreement
  is the mean over the principles.
- The cells that differ most: every cell with agreement below 1, lowest agreement first; among
  equal agreements a scored cell comes before an unscored one (an opposite score is a disagreement
  to discuss, a blank is a judgement not made), then option order, then principle order.
- Obligations missed: in the reference's list, not ticked by the trainee (reference order).
  Obligations added: ticked by the trainee, not in the reference's list (the trainee's order).
- In a cohort, a cell's mean, minimum and maximum are over the attempts that scored it (None when
  none did); `unscored` counts the others. Obligations missed most: how many attempts missed each
  reference obligation, most first, ties in reference order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ethicsdesk.domain.client_part import CLIENT_PART_FIELDS, CLIENT_PART_LABELS, shown_value
from ethicsdesk.domain.quality import LEVEL_NAMES, rating_json
from ethicsdesk.domain.record import (
    PLAN_FIELDS,
    SCORE_MAX,
    SCORE_MIN,
    WEIGHT_DEFAULT,
    WEIGHT_MAX,
    WEIGHT_MIN,
    Rating,
    RecordState,
)

Cell = tuple[str, str]  # (option key, principle id)
SCORE_RANGE = SCORE_MAX - SCORE_MIN  # 4
WEIGHT_RANGE = WEIGHT_MAX - WEIGHT_MIN  # 3
SCORES = tuple(range(SCORE_MIN, SCORE_MAX + 1))


def _r(value: float | None) -> float | None:
    """Rounded for JSON, so other programs see 0.75 and not 0.7500000000000001."""
    return None if value is None else round(value, 4)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def cell_agreement(trainee: int | None, reference: int) -> float:
    """1 - |trainee - reference| / 4; 0 when the trainee left the cell unscored."""
    if trainee is None:
        return 0.0
    return 1 - abs(trainee - reference) / SCORE_RANGE


def weight_agreement(trainee: int, reference: int) -> float:
    return 1 - abs(trainee - reference) / WEIGHT_RANGE


@dataclass(frozen=True)
class Reference:
    """An experienced practitioner's weighing of a sample, as plain data.

    `options` are (key, label) pairs in the sample's order; `principles` the ids compared, in the
    framework's order; `names` maps principle ids to display names; `obligations` are the duties
    the sample says the situation touches (the file's top-level `obligations`)."""

    sample_id: str
    title: str
    options: tuple[tuple[str, str], ...]
    principles: tuple[str, ...]
    chosen: str
    rationale: str
    scores: Mapping[Cell, int]
    weights: Mapping[str, int] = field(default_factory=dict)
    obligations: tuple[str, ...] = ()
    discussion: tuple[str, ...] = ()
    notes: Mapping[Cell, str] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    # what the practitioner consulted, (kind, detail); the plan, PLAN_KEYS -> text
    sources: tuple[tuple[str, str], ...] = ()
    plan: Mapping[str, str] = field(default_factory=dict)
    client_part: Mapping[str, str] = field(default_factory=dict)  # the sample's answers, if any
    # (obligation, option) -> whether the option meets that floor or code rule, in the file's order
    floors: Mapping[tuple[str, str], bool] = field(default_factory=dict)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.options)

    def label(self, option: str) -> str:
        return next((label for k, label in self.options if k == option), option)

    def name(self, principle: str) -> str:
        return self.names.get(principle) or principle

    def weight(self, principle: str) -> int:
        return self.weights.get(principle, WEIGHT_DEFAULT)

    def cells(self) -> list[Cell]:
        return [(o, p) for o in self.keys for p in self.principles]


class _FieldsAsJson:
    def to_json(self) -> dict[str, Any]:
        """The fields as JSON, each fraction rounded (_r)."""
        return {k: _r(v) if isinstance(v, float) else v for k, v in asdict(self).items()}  # type: ignore[call-overload]


@dataclass(frozen=True)
class CellComparison(_FieldsAsJson):
    """One cell of the matrix: the trainee's score beside the reference's."""

    option: str
    principle: str
    trainee: int | None  # None: left unscored
    reference: int
    agreement: float


@dataclass(frozen=True)
class WeightComparison(_FieldsAsJson):
    """One principle's weight: the trainee's beside the reference's."""

    principle: str
    trainee: int
    reference: int
    agreement: float


@dataclass(frozen=True)
class Debrief:
    """One attempt against the reference (see the module docstring for every figure)."""

    record_id: str
    trainee: str
    attempted_at: str
    reference: Reference
    cells: tuple[CellComparison, ...]
    overall: float
    scored: int  # compared cells the trainee scored
    weights: tuple[WeightComparison, ...]
    weights_agreement: float
    differences: tuple[CellComparison, ...]  # agreement below 1, lowest first
    obligations_ticked: tuple[str, ...]
    obligations_missed: tuple[str, ...]
    obligations_added: tuple[str, ...]
    chosen: str | None  # the trainee's choice, None when not yet decided
    rationale: str  # the trainee's rationale
    trainee_totals: Mapping[str, int]
    reference_totals: Mapping[str, int]
    sources: tuple[tuple[str, str], ...] = ()  # the trainee's, as the reference's
    plan: Mapping[str, str] = field(default_factory=dict)
    client_part: Mapping[str, str] = field(default_factory=dict)  # the trainee's answers
    floor_checks: Mapping[tuple[str, str], bool] = field(default_factory=dict)  # the trainee's verdicts
    # the four domains after ECQAT (domain/quality.py): (domain, the trainee's mark, the reference's)
    domains: tuple[tuple[str, str, str], ...] = ()
    rating: Rating | None = None  # the trainer's rating of the attempt on those domains, if given

    def floor_rows(self) -> list[tuple[str, str, bool | None, bool]]:
        """(obligation, option, the trainee's verdict or None if not judged, the reference's) for every
        verdict the reference gives, so a trainee sees where their rules screen differs."""
        given = self.floor_checks
        return [(ob, opt, given.get((ob, opt)), meets) for (ob, opt), meets in self.reference.floors.items()]

    def client_part_rows(self) -> list[tuple[str, str, str]]:
        """(question, the trainee's answer, the sample's) for who decides and the client's part, as
        people read them ("" where not answered); empty when neither side answered any of them."""
        rows = [
            (
                CLIENT_PART_LABELS[name],
                shown_value(name, self.client_part.get(name, "")),
                shown_value(name, self.reference.client_part.get(name, "")),
            )
            for name in CLIENT_PART_FIELDS
        ]
        return rows if any(mine or theirs for _, mine, theirs in rows) else []

    @property
    def same_choice(self) -> bool:
        return self.chosen == self.reference.chosen

    def cell(self, option: str, principle: str) -> CellComparison:
        return next(c for c in self.cells if (c.option, c.principle) == (option, principle))

    def most_different(self, limit: int = 5) -> tuple[CellComparison, ...]:
        return self.differences[:limit]

    def option_agreement(self, option: str) -> float:
        return _mean([c.agreement for c in self.cells if c.option == option])

    def principle_agreement(self, principle: str) -> float:
        return _mean([c.agreement for c in self.cells if c.principle == principle])

    def to_json(self) -> dict[str, Any]:
        ref = self.reference
        rated = self.rating.marks if self.rating is not None else {}  # the trainer's marks, if rated
        return {
            "record_id": self.record_id,
            "sample_id": ref.sample_id,
            "title": ref.title,
            "trainee": self.trainee,
            "attempted_at": self.attempted_at,
            "agreement": {
                "overall": _r(self.overall),
                "weights": _r(self.weights_agreement),
                "cells_compared": len(self.cells),
                "cells_scored": self.scored,
                "by_option": {o: _r(self.option_agreement(o)) for o in ref.keys},
                "by_principle": {p: _r(self.principle_agreement(p)) for p in ref.principles},
            },
            "principles": [{"id": p, "name": ref.name(p)} for p in ref.principles],
            "options": [
                {
                    "key": k,
                    "label": label,
                    "trainee_total": self.trainee_totals.get(k),
                    "reference_total": self.reference_totals.get(k),
                }
                for k, label in ref.options
            ],
            "cells": [c.to_json() for c in self.cells],
            "weights": [w.to_json() for w in self.weights],
            "most_different": [c.to_json() for c in self.most_different()],
            "obligations": {
                "ticked": list(self.obligations_ticked),
                "reference": list(ref.obligations),
                "missed": list(self.obligations_missed),
                "added": list(self.obligations_added),
            },
            "decision": {
                "chosen": self.chosen,
                "reference_chosen": ref.chosen,
                "same": self.same_choice,
                "rationale": self.rationale,
                "reference_rationale": ref.rationale,
            },
            "discussion": list(ref.discussion),
            "sources": {"trainee": [list(x) for x in self.sources], "reference": [list(x) for x in ref.sources]},
            "plan": {"trainee": dict(self.plan), "reference": dict(ref.plan)},
            "client_part": {
                name: {"trainee": self.client_part.get(name, ""), "reference": ref.client_part.get(name, "")}
                for name in CLIENT_PART_FIELDS
            },
            "domains": [
                {"id": d, "trainee": mine, "reference": theirs, "rated": rated.get(d)}
                for d, mine, theirs in self.domains
            ],
            "rating": rating_json(self.rating) if self.rating is not None else None,
        }


# The plan's parts as a debrief sets them side by side: the record's plan fields, then the
# follow-up (a date in a record; as the sample's file writes it in the reference).
PLAN_KEYS = (*PLAN_FIELDS, "follow_up")
PLAN_LABELS = {
    "plan_actions": "Who does what, by when",
    "plan_communication": "How it is communicated, and to whom",
    "plan_revisit": "What would make one revisit the decision",
    "follow_up": "Follow-up",
}


def plan_of(state: RecordState) -> dict[str, str]:
    found = {k: state.text.get(k, "") for k in PLAN_FIELDS} | {"follow_up": state.decision.get("follow_up", "")}
    return {k: v for k, v in found.items() if v.strip()}


def _totals(keys: Sequence[str], principles: Sequence[str], scores: Mapping[Cell, int], weight: Any) -> dict[str, int]:
    # the same sum as analysis.weighted_totals: unscored counts as 0
    return {o: sum(scores.get((o, p), 0) * weight(p) for p in principles) for o in keys}


def compare(attempt: RecordState, reference: Reference) -> Debrief:
    """The trainee's attempt against the reference weighing."""
    compared = []
    for o, p in reference.cells():
        given, ref_score = attempt.scores.get((o, p)), reference.scores.get((o, p), 0)
        compared.append(CellComparison(o, p, given, ref_score, cell_agreement(given, ref_score)))
    cells = tuple(compared)
    weights = tuple(
        WeightComparison(
            p, attempt.weight(p), reference.weight(p), weight_agreement(attempt.weight(p), reference.weight(p))
        )
        for p in reference.principles
    )
    # sorted() is stable, so equal keys keep the cells' option-then-principle order
    differences = tuple(sorted((c for c in cells if c.agreement < 1), key=lambda c: (c.agreement, c.trainee is None)))
    ticked = tuple(attempt.obligations)
    return Debrief(
        record_id=attempt.id,
        trainee=attempt.created_by,
        attempted_at=attempt.created_at,
        reference=reference,
        cells=cells,
        overall=_mean([c.agreement for c in cells]),
        scored=sum(1 for c in cells if c.trainee is not None),
        weights=weights,
        weights_agreement=_mean([w.agreement for w in weights]),
        differences=differences,
        obligations_ticked=ticked,
        obligations_missed=tuple(o for o in reference.obligations if o not in ticked),
        obligations_added=tuple(o for o in ticked if o not in reference.obligations),
        chosen=attempt.decision.get("chosen") or None,
        rationale=attempt.decision.get("rationale", ""),
        trainee_totals=_totals(reference.keys, reference.principles, attempt.scores, attempt.weight),
        reference_totals=_totals(reference.keys, reference.principles, reference.scores, reference.weight),
        sources=tuple((x.kind, x.detail) for x in attempt.sources),
        plan=plan_of(attempt),
        client_part={name: attempt.text[name] for name in CLIENT_PART_FIELDS if attempt.text.get(name)},
        floor_checks=dict(attempt.floor_checks),
        rating=attempt.trainer_rating,
    )


# --- a cohort of attempts -------------------------------------------------------------------------
@dataclass(frozen=True)
class CellSpread:
    option: str
    principle: str
    reference: int
    counts: Mapping[int, int]  # score -> how many attempts gave it, for every score -2..2
    unscored: int
    minimum: int | None
    maximum: int | None
    mean: float | None
    agreement: float  # mean cell agreement over all attempts (unscored counts 0)

    @property
    def range(self) -> int:
        """How far apart the scores given are (0 when at most one distinct score was given)."""
        return 0 if self.minimum is None or self.maximum is None else self.maximum - self.minimum

    def to_json(self) -> dict[str, Any]:
        return {
            "option": self.option,
            "principle": self.principle,
            "reference": self.reference,
            "counts": {str(s): n for s, n in self.counts.items()},
            "unscored": self.unscored,
            "min": self.minimum,
            "max": self.maximum,
            "mean": _r(self.mean),
            "agreement": _r(self.agreement),
        }


@dataclass(frozen=True)
class AttemptSummary:
    record_id: str
    trainee: str
    attempted_at: str
    chosen: str | None
    overall: float
    weights_agreement: float
    scored: int
    obligations_missed: tuple[str, ...]
    domains_done: int | None = None  # of the four domains after ECQAT, how many are written in full
    level: int | None = None  # the trainer's overall level (1-4) of the attempt; None when not rated

    def to_json(self) -> dict[str, Any]:
        return {
            "record_id": self.record_id,
            "trainee": self.trainee,
            "attempted_at": self.attempted_at,
            "chosen": self.chosen,
            "overall": _r(self.overall),
            "weights": _r(self.weights_agreement),
            "cells_scored": self.scored,
            "obligations_missed": list(self.obligations_missed),
            "domains_done": self.domains_done,
            "level": self.level,
            "level_label": LEVEL_NAMES.get(self.level, "") if self.level is not None else "not rated",
        }


@dataclass(frozen=True)
class Cohort:
    reference: Reference
    attempts: tuple[AttemptSummary, ...]  # in the order given (the service passes oldest first)
    cells: tuple[CellSpread, ...]  # option order, then principle order
    choices: Mapping[str, int]  # option key -> attempts that chose it, every option, in option order
    undecided: int
    missed: tuple[tuple[str, int], ...]  # (obligation, attempts that missed it), most first; only those missed
    added: tuple[tuple[str, int], ...]  # (obligation, attempts that ticked it unasked), most first
    overall: float  # mean of the attempts' overall agreement (0 with no attempts)

    def cell(self, option: str, principle: str) -> CellSpread:
        return next(c for c in self.cells if (c.option, c.principle) == (option, principle))

    def widest(self, limit: int = 5) -> tuple[CellSpread, ...]:
        """The cells the cohort disagreed on most: widest range first, then lowest agreement, then
        option and principle order; cells with no range are left out."""
        ranked = sorted((c for c in self.cells if c.range > 0), key=lambda c: (-c.range, c.agreement))
        return tuple(ranked[:limit])

    def to_json(self) -> dict[str, Any]:
        ref = self.reference
        return {
            "sample_id": ref.sample_id,
            "title": ref.title,
            "attempts": [a.to_json() for a in self.attempts],
            "overall": _r(self.overall),
            "principles": [{"id": p, "name": ref.name(p)} for p in ref.principles],
            "options": [{"key": k, "label": label, "chosen_by": self.choices.get(k, 0)} for k, label in ref.options],
            "undecided": self.undecided,
            "reference_chosen": ref.chosen,
            "cells": [c.to_json() for c in self.cells],
            "widest": [c.to_json() for c in self.widest()],
            "obligations": {
                "reference": list(ref.obligations),
                "missed": [{"id": o, "attempts": n} for o, n in self.missed],
                "added": [{"id": o, "attempts": n} for o, n in self.added],
            },
        }


def _most_first(counts: Mapping[str, int], order: Sequence[str]) -> tuple[tuple[str, int], ...]:
    position = {o: i for i, o in enumerate(order)}
    kept = [(o, n) for o, n in counts.items() if n > 0]
    return tuple(sorted(kept, key=lambda item: (-item[1], position.get(item[0], len(position)), item[0])))


def aggregate(reference: Reference, attempts: Sequence[RecordState]) -> Cohort:
    """Every attempt on one sample, side by side, against the same reference."""
    debriefs = [compare(a, reference) for a in attempts]
    spreads = []
    for i, (o, p) in enumerate(reference.cells()):
        given = [d.cells[i].trainee for d in debriefs]
        scored = [s for s in given if s is not None]
        spreads.append(
            CellSpread(
                option=o,
                principle=p,
                reference=reference.scores.get((o, p), 0),
                counts={s: scored.count(s) for s in SCORES},
                unscored=len(given) - len(scored),
                minimum=min(scored) if scored else None,
                maximum=max(scored) if scored else None,
                mean=_mean(scored) if scored else None,
                agreement=_mean([d.cells[i].agreement for d in debriefs]),
            )
        )
    choices = {k: sum(1 for d in debriefs if d.chosen == k) for k in reference.keys}
    missed: dict[str, int] = {}
    added: dict[str, int] = {}
    added_order: list[str] = []
    for d in debriefs:
        for ob in d.obligations_missed:
            missed[ob] = missed.get(ob, 0) + 1
        for ob in d.obligations_added:
            added[ob] = added.get(ob, 0) + 1
            if ob not in added_order:
                added_order.append(ob)
    return Cohort(
        reference=reference,
        attempts=tuple(
            AttemptSummary(
                d.record_id,
                d.trainee,
                d.attempted_at,
                d.chosen,
                d.overall,
                d.weights_agreement,
                d.scored,
                d.obligations_missed,
                level=d.rating.level if d.rating is not None else None,
            )
            for d in debriefs
        ),
        cells=tuple(spreads),
        choices=choices,
        # a choice of an option the sample no longer has counts as undecided: it matches nothing
        undecided=sum(1 for d in debriefs if d.chosen not in choices),
        missed=_most_first(missed, reference.obligations),
        added=_most_first(added, added_order),
        overall=_mean([d.overall for d in debriefs]),
    )
