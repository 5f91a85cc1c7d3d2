"""The weighing analysis: totals, tensions, robustness, the ranked view and the rules screen.

Pure functions over plain data (a `Weighing`), so reports, the TUI, training comparisons and other
programs all get the same figures; `analyse_record` is a thin adapter from a RecordState.

Semantics, stated once:

- A cell is (option key, principle id) with a score from -2 (strongly compromises) to +2 (strongly
  upholds). An unscored cell counts as 0 everywhere in the analysis and is listed in `unscored`.
- A weight is 0..3 per principle (default 1). The weighted total of an option is the sum over the
  principles of score x weight.
- The ranking orders options by total, highest first; ties keep the options' own order. The leader
  is the first option when its total is strictly higher than every other's; on a tie for first
  (or with no options) there is no leader.
- Tensions are read from the scores alone, whatever the weights, because a weight of 0 is itself a
  judgement a reviewer should be able to see through:
  "upholds-and-compromises": one option strongly upholds (+2) at least one principle and strongly
  compromises (-2) at least one other.
  "different-leaders": an option leads on a principle when its score there is strictly higher than
  every other option's; the tension is reported when two or more options lead on some principle.
- Robustness asks how far the leader's lead is from ending. The lead ends when another option's
  total reaches (ties or passes) the leader's. For one weight (kept within 0..3) and for one score
  (kept within -2..2), the smallest change that ends it is reported; among equally small changes
  the first in this order wins: principle order, then (weights) a decrease before an increase, or
  (scores) option order then principle order. None is reported when no such change exists.
- The ranked view compares options lexicographically by their scores taken in a priority order of
  principles: a higher principle settles the order and lower ones only break ties. Weights play no
  part in it. The order is the record's own when the case manager set one; otherwise the
  framework's (for ccmc an adaptation of Dolgoff's Ethical Principles Screen), with protection of
  life first only when a floor about life is ticked. `basis` says which order was used and why.
- The rules screen (ethicsdesk.domain.obligations.rules_screen): when a ticked obligation is a floor
  (legal, safety or code rule), weighing cannot override it; options marked as not honouring it are
  `excluded`.

The texts say what the figures show, never which option to choose.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ethicsdesk.domain.frameworks import Framework
from ethicsdesk.domain.obligations import Catalogue

# Re-exported: the report's obligations[] and the rules screen belong with the analysis figures.
from ethicsdesk.domain.obligations import RulesScreen as RulesScreen
from ethicsdesk.domain.obligations import obligations_json as obligations_json
from ethicsdesk.domain.obligations import rules_screen as rules_screen
from ethicsdesk.domain.priority import MAX_DISAGREEMENTS as MAX_DISAGREEMENTS
from ethicsdesk.domain.priority import normalise_priority as normalise_priority
from ethicsdesk.domain.priority import priority_for_record

# Re-exported: the ranked view and the weighing are read through this module by the faces and tests.
from ethicsdesk.domain.ranked import RankedView as RankedView
from ethicsdesk.domain.ranked import ranked_view as ranked_view
from ethicsdesk.domain.record import SCORE_MAX, SCORE_MIN, WEIGHT_MAX, WEIGHT_MIN, RecordState
from ethicsdesk.domain.weighing import Cell as Cell
from ethicsdesk.domain.weighing import Weighing as Weighing
from ethicsdesk.domain.weighing import join as _join
from ethicsdesk.domain.weighing import leaders as _leaders
from ethicsdesk.domain.weighing import rank as rank
from ethicsdesk.domain.weighing import sole as _sole
from ethicsdesk.domain.weighing import weighted_totals as weighted_totals


@dataclass(frozen=True)
class Tension:
    kind: str  # "upholds-and-compromises" | "different-leaders"
    options: list[str]
    principles: list[str]  # every principle involved, in framework order
    text: str
    upheld: list[str] = field(default_factory=list)  # upholds-and-compromises: the +2 principles
    compromised: list[str] = field(default_factory=list)  # ... and the -2 principles
    leads: dict[str, list[str]] = field(default_factory=dict)  # different-leaders: option -> principles


@dataclass(frozen=True)
class Flip:
    """The smallest single change (of one weight or one score) that ends the leader's lead."""

    kind: str  # "weight" | "score"
    principle: str
    option: str | None  # the option whose score changes; None for a weight
    from_value: int
    to_value: int
    new_leader: str | None  # None when the change leaves a tie for first
    leaders_after: list[str]  # the option(s) first after the change, in option order
    text: str

    @property
    def size(self) -> int:
        return abs(self.to_value - self.from_value)


@dataclass(frozen=True)
class Analysis:
    principles: list[str]
    weights: dict[str, int]
    totals: dict[str, int]
    ranking: list[str]
    leader: str | None
    unscored: list[Cell]
    tensions: list[Tension]
    robustness: list[Flip]
    robustness_text: str
    ranked: RankedView
    rules: RulesScreen

    def to_json(self) -> dict[str, Any]:
        """JSON-ready figures: the `analysis` object of the JSON report contract (DESIGN.md).

        The keys are the field names above, nested the same way (flips keep `from_value` and
        `to_value`); tuples become lists and `unscored` cells become {"option", "principle"}.
        """
        data: dict[str, Any] = _plain(asdict(self))
        data["unscored"] = [{"option": o, "principle": p} for o, p in self.unscored]
        return data


def _plain(value: Any) -> Any:
    """Tuples to lists, all the way down, so the result is what json.loads would give back."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# --- tensions -------------------------------------------------------------------------------------
def find_tensions(weighing: Weighing) -> list[Tension]:
    """Strong conflicts inside one option, then options leading on different principles."""
    w = weighing
    tensions: list[Tension] = []
    for o in w.keys:
        upheld = [p for p in w.principles if w.scores.get((o, p)) == SCORE_MAX]
        compromised = [p for p in w.principles if w.scores.get((o, p)) == SCORE_MIN]
        if upheld and compromised:
            text = (
                f"{w.label(o)} strongly upholds {_join([w.name(p) for p in upheld])} but strongly "
                f"compromises {_join([w.name(p) for p in compromised])}."
            )
            involved = [p for p in w.principles if p in upheld or p in compromised]
            tensions.append(
                Tension("upholds-and-compromises", [o], involved, text, upheld=upheld, compromised=compromised)
            )

    leads: dict[str, list[str]] = {}
    for p in w.principles:
        by_score = {o: w.score(o, p) for o in w.keys}
        top = _leaders(w.keys, by_score)
        if len(top) == 1 and len(w.keys) > 1:
            leads.setdefault(top[0], []).append(p)
    if len(leads) >= 2:
        ordered = {o: leads[o] for o in w.keys if o in leads}
        parts = [f"{w.label(o)} leads on {_join([w.name(p) for p in ps])}" for o, ps in ordered.items()]
        principles = [p for p in w.principles if any(p in ps for ps in ordered.values())]
        text = "The options lead on different principles: " + "; ".join(parts) + "."
        tensions.append(Tension("different-leaders", list(ordered), principles, text, leads=ordered))
    return tensions


# --- robustness -----------------------------------------------------------------------------------
def _signed(score: int) -> str:
    return f"{score:+d}" if score else "0"


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def _outcome(weighing: Weighing, leader: str, leaders_after: list[str]) -> str:
    labels = [weighing.label(o) for o in leaders_after]
    if len(leaders_after) == 1:
        return f"{labels[0]} would lead instead of {weighing.label(leader)}"
    return f"{_join(labels)} would tie for the lead"


def _weight_flip(w: Weighing, leader: str, totals: Mapping[str, int]) -> Flip | None:
    # Moving principle p's weight by delta moves option o's total by delta x score(o, p). The lead
    # ends once, for some rival o, delta x (score(o, p) - score(leader, p)) >= the rival's gap.
    best: tuple[int, int, int] | None = None  # (|delta|, principle index, delta)
    for index, p in enumerate(w.principles):
        current = w.weight(p)
        for o in w.keys:
            if o == leader:
                continue
            pull = w.score(o, p) - w.score(leader, p)
            if pull == 0:
                continue
            step = _ceil_div(totals[leader] - totals[o], abs(pull))
            delta = step if pull > 0 else -step
            if not WEIGHT_MIN <= current + delta <= WEIGHT_MAX:
                continue
            candidate = (abs(delta), index, delta)
            if best is None or candidate < best:
                best = candidate
    if best is None:
        return None
    _, index, delta = best
    p = w.principles[index]
    before = w.weight(p)
    after = before + delta
    leaders_after = _leaders(w.keys, weighted_totals(w.with_weight(p, after)))
    more_or_less = "more" if delta > 0 else "less"
    text = (
        f"If {w.name(p)} mattered {more_or_less} (weight {after} instead of {before}), "
        f"{_outcome(w, leader, leaders_after)}."
    )
    return Flip("weight", p, None, before, after, _sole(leaders_after), leaders_after, text)


def _score_flip(w: Weighing, leader: str, totals: Mapping[str, int]) -> Flip | None:
    # Lowering the leader's score on p by delta costs it delta x weight(p); raising a rival's score
    # gains the rival as much. The lead ends when that covers the gap.
    runner_up = max(totals[o] for o in w.keys if o != leader)
    best: tuple[int, int, int, int] | None = None  # (|delta|, option index, principle index, delta)
    for o_index, o in enumerate(w.keys):
        for p_index, p in enumerate(w.principles):
            weight = w.weight(p)
            if weight == 0:
                continue
            current = w.score(o, p)
            if o == leader:
                delta = -_ceil_div(totals[leader] - runner_up, weight)
            else:
                delta = _ceil_div(totals[leader] - totals[o], weight)
            if not SCORE_MIN <= current + delta <= SCORE_MAX:
                continue
            candidate = (abs(delta), o_index, p_index, delta)
            if best is None or candidate < best:
                best = candidate
    if best is None:
        return None
    _, o_index, p_index, delta = best
    o, p = w.keys[o_index], w.principles[p_index]
    before = w.score(o, p)
    after = before + delta
    leaders_after = _leaders(w.keys, weighted_totals(w.with_score(o, p, after)))
    text = (
        f"If {w.label(o)} scored {_signed(after)} instead of {_signed(before)} on {w.name(p)}, "
        f"{_outcome(w, leader, leaders_after)}."
    )
    return Flip("score", p, o, before, after, _sole(leaders_after), leaders_after, text)


def find_flips(weighing: Weighing, totals: Mapping[str, int] | None = None) -> tuple[list[Flip], str]:
    """The smallest weight change and the smallest score change that end the lead, and a summary.

    Empty when no option leads alone. The summary says so, or that no change of a kind exists.
    """
    totals = weighted_totals(weighing) if totals is None else totals
    keys = weighing.keys
    if len(keys) < 2:
        return [], "With fewer than two options there is no ranking to test."
    leader = _sole(_leaders(keys, totals))
    if leader is None:
        return [], "No option leads alone, so there is no lead to test."
    flips: list[Flip] = []
    sentences: list[str] = []
    for changed, find in (("weight (0 to 3)", _weight_flip), ("score (-2 to +2)", _score_flip)):
        flip = find(weighing, leader, totals)
        if flip is None:
            # the label last in the sentence, never as a possessive: "ends Redirect thanks to a note or
            # small token's lead" read as nonsense with a long label
            sentences.append(f"No single change of one {changed} takes the lead from {weighing.label(leader)}.")
        else:
            flips.append(flip)
            sentences.append(flip.text)
    return flips, " ".join(sentences)


# --- the whole analysis ---------------------------------------------------------------------------
def analyse(
    weighing: Weighing,
    priority: Sequence[str] = (),
    ticked: Iterable[str] = (),
    floor_checks: Mapping[tuple[str, str], bool] | None = None,
    catalogue: Catalogue | None = None,
    basis: str = "",
    together: Sequence[Sequence[str]] = (),
) -> Analysis:
    """Every figure of the analysis for one weighing. Without a catalogue no floor can be known,
    so the rules screen does not apply and sets no option apart from the ranked view. An empty
    `priority` means the principles' own order; `basis` says where the order comes from and
    `together` which principles share a rank in it (see ethicsdesk.domain.priority)."""
    totals = weighted_totals(weighing)
    flips, robustness_text = find_flips(weighing, totals)
    ranking = rank(weighing.keys, totals)
    leaders = _leaders(weighing.keys, totals)
    names: dict[str, str] = {}
    if catalogue is None:
        rules = RulesScreen(False, [], {}, {}, "No obligation catalogue was given, so no floor is known.")
    else:
        rules = rules_screen(weighing.options, ticked, floor_checks or {}, catalogue)
        names = {f: catalogue.obligation(f).name for f in rules.floors}
    return Analysis(
        principles=list(weighing.principles),
        weights={p: weighing.weight(p) for p in weighing.principles},
        totals=totals,
        ranking=ranking,
        leader=_sole(leaders),
        unscored=list(weighing.unscored),
        tensions=find_tensions(weighing),
        robustness=flips,
        robustness_text=robustness_text,
        ranked=ranked_view(weighing, priority, totals, basis, together, rules, names),
        rules=rules,
    )


def weighing_of(state: RecordState, framework: Framework) -> Weighing:
    """The record's matrix under `framework` (scores for principles it lacks are left out)."""
    return Weighing(
        principles=framework.ids,
        options=tuple((o.key, o.label) for o in state.options),
        scores=state.scores,
        weights=state.weights,
        names=framework.names,
    )


def analyse_record(state: RecordState, framework: Framework, catalogue: Catalogue) -> Analysis:
    """The analysis of a record: its own priority order when it has one, else the framework's
    (with protection of life first only where a ticked floor is about life)."""
    priority, basis, together = priority_for_record(state, framework, catalogue)
    weighing = weighing_of(state, framework)
    return analyse(weighing, priority, state.obligations, state.floor_checks, catalogue, basis, together)
