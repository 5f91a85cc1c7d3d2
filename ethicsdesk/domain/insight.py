"""An agency's view of its ethics work: counts by month, never an identifier or a word a user wrote.

A count under SMALL_COUNT is shown as "<5", so that a month with one rare dilemma does not point at a
client; a time to answer is shown only for a month with at least SMALL_COUNT answers, for the same
reason (one answer's time is one case's story).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SMALL_COUNT = 5
SUPPRESSED = "<5"
# How an answer's outcome is named (domain/record.py CONSULTATION_OUTCOME_NAMES, in its order).
OUTCOME_ORDER = ("concur", "concur-with-changes", "do-not-concur")
TOP_OBLIGATIONS = 10
RATING_LEVELS = (1, 2, 3, 4)  # the overall level of a rated rationale, poor to strong


def shown_count(n: int) -> int | str:
    """A count as it may be shown: "<5" under five (zero included)."""
    return SUPPRESSED if n < SMALL_COUNT else n


@dataclass(frozen=True)
class MonthRow:
    month: str  # YYYY-MM
    opened: int
    requested: int
    answered: int
    median_hours: float | None  # request to answer, of the answers given this month
    p90_hours: float | None


@dataclass(frozen=True)
class Aggregates:
    """What the database computes (store/insight_queries.py), before anything is suppressed."""

    months: list[MonthRow]
    open_by_age: dict[str, int]  # band label -> open requests
    overdue: int
    obligations: dict[str, int]  # obligation id -> records that name it
    outcomes: dict[str, int]  # consultation outcome -> answers
    # the supervisor's overall level (1-4, domain/quality.py) of each rated sign-off request -> count
    rating_levels: dict[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ObligationCount:
    obligation_id: str
    name: str
    kind: str  # "duty", "legal floor", "safety floor" or "code rule"
    records: int


@dataclass(frozen=True)
class Insight:
    since: str
    today: str
    scope: str  # "everyone" or "own"
    figures: Aggregates
    obligations: list[ObligationCount] = field(default_factory=list)  # most named first

    def _hours(self, value: float | None, answered: int) -> float | None:
        return round(value, 1) if value is not None and answered >= SMALL_COUNT else None

    def months_json(self) -> list[dict[str, Any]]:
        return [
            {
                "month": m.month,
                "records_opened": shown_count(m.opened),
                "consultations_requested": shown_count(m.requested),
                "consultations_answered": shown_count(m.answered),
                "answer_hours_median": self._hours(m.median_hours, m.answered),
                "answer_hours_p90": self._hours(m.p90_hours, m.answered),
            }
            for m in self.figures.months
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "since": self.since or None,
            "as_of": self.today,
            "scope": self.scope,
            "small_counts": f"counts under {SMALL_COUNT} read {SUPPRESSED!r}",
            "months": self.months_json(),
            "open_requests_by_age": {band: shown_count(n) for band, n in self.figures.open_by_age.items()},
            "follow_ups_overdue": shown_count(self.figures.overdue),
            "obligations": [
                {"id": o.obligation_id, "name": o.name, "kind": o.kind, "records": shown_count(o.records)}
                for o in self.obligations
            ],
            "answers": {k: shown_count(self.figures.outcomes.get(k, 0)) for k in OUTCOME_ORDER},
            "rating_levels": {str(n): shown_count(self.figures.rating_levels.get(n, 0)) for n in RATING_LEVELS},
        }


def ranked_obligations(counts: dict[str, int], names: dict[str, tuple[str, str]]) -> list[ObligationCount]:
    """The obligations most often named, most first (at most TOP_OBLIGATIONS); `names` gives each id's
    name and kind. An id the catalogue no longer holds keeps its id as its name."""
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP_OBLIGATIONS]
    return [ObligationCount(oid, *names.get(oid, (oid, "duty")), n) for oid, n in ranked]
