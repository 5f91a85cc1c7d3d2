"""The ranked view's priority order for a record, and a sentence saying where it comes from.

The order is the record's own when the case manager set one. Otherwise it is the framework's: for
ccmc an adaptation of Dolgoff's Ethical Principles Screen, which puts protection of life first only
where life is at stake. So the order depends on the record: a ticked floor about life (imminent
risk, duty to warn: `about_life` in the catalogue) moves the framework's `protection_of_life`
principle to the front; without one, equality, autonomy and least harm lead.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections import deque
from collections.abc import Iterable, Mapping, Sequence

from ethicsdesk.domain.frameworks import Framework
from ethicsdesk.domain.obligations import Catalogue
from ethicsdesk.domain.record import MAX_ITEMS, RecordState


def normalise_priority(order: Iterable[str], principles: Sequence[str], default: Sequence[str] = ()) -> list[str]:
    """A full priority order: the known ids of `order` first (once each), then the rest of the
    principles in `default` order, then any still missing in `principles` order. A record's saved
    order may predate a framework change; this keeps the ranked view total without guessing."""
    result: list[str] = []
    for pid in [*order, *default, *principles]:
        if pid in principles and pid not in result:
            result.append(pid)
    return result


def priority_for_record(
    state: RecordState, framework: Framework, catalogue: Catalogue
) -> tuple[list[str], str, tuple[tuple[str, ...], ...]]:
    """The ranked view's order for a record, the sentence that says why it is that order, and the
    groups of principles that share a rank in it (the framework's; none in a record's own order,
    where the case manager has put every principle in a place of its own)."""
    source = f"{framework.priority_source} " if framework.priority_source else ""
    if state.priority:
        order = normalise_priority(state.priority, framework.ids, framework.priority)
        return order, "The case manager set this order on the record; it replaces the framework's default.", ()
    life = [catalogue.obligation(o).name for o in catalogue.life_floor_ticked(state.obligations)]
    default = framework.ranked_order(bool(life))
    if life and framework.protection_of_life:
        are = "are floors" if len(life) > 1 else "is a floor"
        why = (
            f"{' and '.join(life)} {are} about life, so protection of life "
            f"({framework.name_of(framework.protection_of_life)}) comes first."
        )
    elif framework.protection_of_life:
        why = "No floor about life is ticked, so protection of life does not head the order."
    else:
        why = "This framework names no principle for protection of life, so its order does not change."
    return normalise_priority(default, framework.ids), source + why, framework.together


# Pairs listed at most: every pair of the most options a dilemma file or an edit may hold, so a
# record within the caps always has all of its pairs listed.
MAX_DISAGREEMENTS = MAX_ITEMS["options"] * (MAX_ITEMS["options"] - 1) // 2


def crossed_pairs(
    ranking: Sequence[str], vector: Mapping[str, tuple[int, ...]], totals: Mapping[str, int]
) -> list[tuple[str, str]]:
    """(a, b) with a above b in `ranking` (a strictly higher vector) and b's total higher than a's,
    a-major in ranking order, at most MAX_DISAGREEMENTS. Comparing every pair took 66 s for 30,000
    options; here the options below a are kept in buckets by total (a total is a sum of score x
    weight, so there are few distinct totals), and only pairs that are listed are ever formed."""
    position = {o: i for i, o in enumerate(ranking)}
    below: dict[int, deque[str]] = {}  # total -> the options with that total below, in ranking order
    for o in ranking:
        below.setdefault(totals[o], deque()).append(o)
    distinct = sorted(below)
    found: list[tuple[str, str]] = []
    i = 0
    while i < len(ranking) and len(found) < MAX_DISAGREEMENTS:
        j = i  # the options tied with ranking[i] are not below it: step past them all first
        while j < len(ranking) and vector[ranking[j]] == vector[ranking[i]]:
            j += 1
        for o in ranking[i:j]:
            below[totals[o]].popleft()  # each bucket is in ranking order: o is at its front
        for a in ranking[i:j]:
            # Every option in a bucket of a higher total is a disagreement, so the work is the
            # buckets looked at (few) plus the pairs listed.
            higher = [below[t] for t in distinct[bisect.bisect_right(distinct, totals[a]) :] if below[t]]
            wanted = MAX_DISAGREEMENTS - len(found)
            found += [(a, b) for b in itertools.islice(heapq.merge(*higher, key=position.__getitem__), wanted)]
        i = j
    return found
