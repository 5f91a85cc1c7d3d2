"""The ranked view: options compared principle by principle in a priority order, after the rules screen.

It follows Dolgoff's two screens in their order. First the rules screen: an option found not to
honour a ticked floor (legal, safety) or to break a code rule is *set apart*, listed with the duties
it fails, and never ranked with the others, whatever its scores. Then the principles screen: the
remaining options are compared lexicographically by their scores taken rank by rank; a higher rank
settles the order and lower ones only break ties. A rank is one principle, or several weighed
together (their scores added): the ccmc framework's second rank is justice and equity at once,
because Dolgoff's screen of equality and inequality asks for equal treatment (justice) while
allowing unequal treatment where a relevant difference, such as greater vulnerability, justifies it
(equity). Weights play no part in the ranked view.

The texts say what the figures show, never which option to choose.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ethicsdesk.domain.obligations import RulesScreen
from ethicsdesk.domain.priority import crossed_pairs, normalise_priority
from ethicsdesk.domain.weighing import Weighing, join, leaders, sole, weighted_totals


@dataclass(frozen=True)
class RankedView:
    order: list[str]  # principle ids, highest priority first
    ranking: list[str]  # the options ranked, best first; those set apart are not among them
    leader: str | None
    decided_by: str | None  # the first principle of the first rank on which the first two differ
    disagrees_with_weighted: bool  # the options first here are not those first by totals
    disagreements: list[tuple[str, str]]  # (a, b): a above b here, b above a by totals
    text: str
    basis: str = ""  # the order used, where it comes from, and why (reports show it in every format)
    # `order` cut into ranks: principles sharing a list are weighed together (their scores added)
    ranks: list[list[str]] = field(default_factory=list)
    # option -> the ticked floors and code rules it was found not to honour, in option order: the
    # rules screen sets these options apart, so they are not in `ranking`
    set_apart: dict[str, list[str]] = field(default_factory=dict)


def _rank_name(w: Weighing, rank: Sequence[str]) -> str:
    if len(rank) == 1:
        return w.name(rank[0])
    return join([w.name(p) for p in rank]) + " together"


def _set_apart_sentence(
    w: Weighing, apart: Mapping[str, list[str]], rules: RulesScreen, names: Mapping[str, str]
) -> str:
    parts = []
    for option, duties in apart.items():
        broken = [d for d in duties if d in rules.broken_rules.get(option, [])]
        failed = [d for d in duties if d not in broken]
        why = []
        if failed:
            why.append("does not honour " + join([names.get(d, d) for d in failed]))
        if broken:
            why.append("breaks " + join([names.get(d, d) for d in broken]))
        parts.append(f"{w.label(option)} ({', and '.join(why)})")
    return "Set apart by the rules screen and not ranked, whatever its scores: " + "; ".join(parts) + "."


def _principles_text(
    w: Weighing, ranks: list[list[str]], ranking: list[str], top: list[str], decided: int | None
) -> str:
    chain = " > ".join(_rank_name(w, r) for r in ranks)
    if len(ranking) == 1:
        return f"Only {w.label(ranking[0])} is left to rank once the rules screen has set the others apart."
    if decided is not None:
        return (
            f"Taking the principles in priority order ({chain}), {w.label(ranking[0])} comes first; "
            f"the first principle on which it and {w.label(ranking[1])} differ is {_rank_name(w, ranks[decided])}."
        )
    return (
        f"Taking the principles in priority order ({chain}), {join([w.label(o) for o in top])} "
        "score alike on every principle and cannot be told apart."
    )


def _totals_text(w: Weighing, weighted_top: list[str], top: list[str], apart: Mapping[str, list[str]]) -> str:
    if set(top) == set(weighted_top):
        return " The weighted totals agree."
    names = join([w.label(o) for o in weighted_top])
    if all(o in apart for o in weighted_top):
        one = len(weighted_top) == 1
        put, first, them = ("put", "first", "it") if one else ("have", "tied for first", "them")
        return f" The weighted totals {put} {names} {first}, but the rules screen sets {them} apart."
    if len(weighted_top) == 1:
        return f" The weighted totals put {names} first instead."
    return f" The weighted totals have {names} tied for first."


def ranked_view(
    weighing: Weighing,
    priority: Sequence[str],
    totals: Mapping[str, int] | None = None,
    basis: str = "",
    together: Sequence[Sequence[str]] = (),
    rules: RulesScreen | None = None,
    duty_names: Mapping[str, str] | None = None,
) -> RankedView:
    """The options that pass the rules screen, compared rank by rank in `priority` order, against
    the totals. `together` lists groups of principles that share a rank where they stand next to
    each other in the order; `rules` (when given) sets apart the options it excludes, and
    `duty_names` names their floors in the text. `basis` (why this order) is kept as given, after a
    first sentence naming the order used."""
    w = weighing
    totals = weighted_totals(w) if totals is None else totals
    order = normalise_priority(priority, w.principles)
    ranks = _cut_into_ranks(order, together)
    excluded = rules.excluded if rules is not None else {}
    apart = {o: list(excluded[o]) for o in w.keys if excluded.get(o)}
    keys = [o for o in w.keys if o not in apart]
    vector = {o: tuple(sum(w.score(o, p) for p in rank) for rank in ranks) for o in keys}
    ranking = sorted(keys, key=lambda o: vector[o], reverse=True)
    top = [o for o in keys if vector[o] == vector[ranking[0]]] if ranking else []
    leader = sole(top)
    decided = None
    if len(ranking) > 1 and leader is not None:
        first, second = vector[ranking[0]], vector[ranking[1]]
        decided = next(i for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b)
    weighted_top = leaders(w.keys, totals)

    if len(w.keys) < 2:
        text = "With fewer than two options there is nothing to rank."
    elif not ranking:
        text = "Every option fails a floor or breaks a code rule, so none is ranked: look for one that honours them."
    else:
        text = _principles_text(w, ranks, ranking, top, decided) + _totals_text(w, weighted_top, top, apart)
    if apart and rules is not None:
        text += " " + _set_apart_sentence(w, apart, rules, duty_names or {})
    used = "Order used: " + " > ".join(_rank_name(w, r) for r in ranks) + "."
    return RankedView(
        order,
        ranking,
        leader,
        ranks[decided][0] if decided is not None else None,
        set(top) != set(weighted_top),
        crossed_pairs(ranking, vector, totals),
        text,
        f"{used} {basis}".strip(),
        ranks,
        apart,
    )


def _cut_into_ranks(order: Sequence[str], together: Sequence[Sequence[str]]) -> list[list[str]]:
    """`order` as ranks: neighbours in one `together` group share a rank, any other principle is
    alone in its own (a record's own order, which comes with no groups, is all single ranks)."""
    group_of = {pid: i for i, group in enumerate(together) for pid in group}
    ranks: list[list[str]] = []
    for pid in order:
        previous = ranks[-1][-1] if ranks else None
        if previous is not None and pid in group_of and group_of.get(previous) == group_of[pid]:
            ranks[-1].append(pid)
        else:
            ranks.append([pid])
    return ranks
