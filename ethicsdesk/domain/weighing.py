"""The weighing matrix as plain data, and the figures every other analysis reads from it: the
weighted totals, the ranking by total and who leads. Pure: no I/O. See ethicsdesk.domain.analysis
for what the figures mean."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from ethicsdesk.domain.record import (
    SCORE_MAX,
    SCORE_MIN,
    WEIGHT_DEFAULT,
    WEIGHT_MAX,
    WEIGHT_MIN,
    DomainError,
)

Cell = tuple[str, str]  # (option key, principle id)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Weighing:
    """The weighing matrix as plain data: what every analysis function reads.

    `options` are (key, label) pairs in the record's order; `names` maps principle ids to the names
    used in texts (the id itself when absent). Scores and weights for cells or principles outside
    the matrix are dropped (a record weighed under another framework keeps them, but they say
    nothing here); those inside must be in range, or DomainError is raised.
    """

    principles: tuple[str, ...]
    options: tuple[tuple[str, str], ...]
    scores: Mapping[Cell, int] = field(default_factory=dict)
    weights: Mapping[str, int] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict)
    # option key -> label, made from `options` in __post_init__ (a lookup for label())
    _labels: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        principles = tuple(self.principles)
        options = tuple((str(k), str(label)) for k, label in self.options)
        keys = {k: label for k, label in options}  # a dict: a list made this quadratic in the options
        known = set(principles)
        if len(known) != len(principles):
            raise DomainError("a principle appears twice in the weighing")
        if len(keys) != len(options):
            raise DomainError("an option key appears twice in the weighing")
        scores = {c: s for c, s in self.scores.items() if c[0] in keys and c[1] in known}
        for (okey, pid), score in scores.items():
            if not _is_int(score) or not SCORE_MIN <= score <= SCORE_MAX:
                raise DomainError(f"the score of '{okey}' on '{pid}' must be a whole number from -2 to 2")
        weights = {p: w for p, w in self.weights.items() if p in known}
        for pid, weight in weights.items():
            if not _is_int(weight) or not WEIGHT_MIN <= weight <= WEIGHT_MAX:
                raise DomainError(f"the weight of '{pid}' must be a whole number from 0 to 3")
        # Copies, so that a caller changing its dicts later cannot change a frozen weighing.
        object.__setattr__(self, "principles", principles)
        object.__setattr__(self, "options", options)
        object.__setattr__(self, "scores", scores)
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "names", dict(self.names))
        object.__setattr__(self, "_labels", keys)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.options)

    def label(self, option: str) -> str:
        return self._labels.get(option, option) or option

    def name(self, principle: str) -> str:
        return self.names.get(principle) or principle

    def score(self, option: str, principle: str) -> int:
        return self.scores.get((option, principle), 0)

    def weight(self, principle: str) -> int:
        return self.weights.get(principle, WEIGHT_DEFAULT)

    @property
    def unscored(self) -> tuple[Cell, ...]:
        return tuple((o, p) for o in self.keys for p in self.principles if (o, p) not in self.scores)

    def with_weight(self, principle: str, weight: int) -> Weighing:
        return replace(self, weights={**self.weights, principle: weight})

    def with_score(self, option: str, principle: str, score: int) -> Weighing:
        return replace(self, scores={**self.scores, (option, principle): score})


def join(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def weighted_totals(weighing: Weighing) -> dict[str, int]:
    """Each option's sum of score x weight over the principles, in option order."""
    return {o: sum(weighing.score(o, p) * weighing.weight(p) for p in weighing.principles) for o in weighing.keys}


def rank(keys: Sequence[str], totals: Mapping[str, int]) -> list[str]:
    """Options by total, highest first; equal totals keep the order of `keys` (the sort is stable)."""
    return sorted(keys, key=lambda o: totals[o], reverse=True)


def leaders(keys: Sequence[str], totals: Mapping[str, int]) -> list[str]:
    """The options sharing the highest total, in option order."""
    if not keys:
        return []
    best = max(totals[o] for o in keys)
    return [o for o in keys if totals[o] == best]


def sole(leaders: list[str]) -> str | None:
    return leaders[0] if len(leaders) == 1 else None
