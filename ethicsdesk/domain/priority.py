"""The ranked view's priority order for a record, and a sentence saying where it comes from.

The order is the record's own when the case manager set one. Otherwise it is the framework's: for
ccmc an adaptation of Dolgoff's Ethical Principles Screen, which puts protection of life first only
where life is at stake. So the order depends on the record: a ticked floor about life (imminent
risk, duty to warn: `about_life` in the catalogue) moves the framework's `protection_of_life`
principle to the front; without one, equality, autonomy and least harm lead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ethicsdesk.domain.frameworks import Framework
from ethicsdesk.domain.obligations import Catalogue
from ethicsdesk.domain.record import RecordState


def normalise_priority(order: Iterable[str], principles: Sequence[str], default: Sequence[str] = ()) -> list[str]:
    """A full priority order: the known ids of `order` first (once each), then the rest of the
    principles in `default` order, then any still missing in `principles` order. A record's saved
    order may predate a framework change; this keeps the ranked view total without guessing."""
    result: list[str] = []
    for pid in [*order, *default, *principles]:
        if pid in principles and pid not in result:
            result.append(pid)
    return result


def priority_for_record(state: RecordState, framework: Framework, catalogue: Catalogue) -> tuple[list[str], str]:
    """The ranked view's order for a record, and the sentence that says why it is that order."""
    source = f"{framework.priority_source} " if framework.priority_source else ""
    if state.priority:
        order = normalise_priority(state.priority, framework.ids, framework.priority)
        return order, "The case manager set this order on the record; it replaces the framework's default."
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
    return normalise_priority(default, framework.ids), source + why
