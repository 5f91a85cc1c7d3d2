"""The supervisor's rating of a rationale as report view data (JSON `consultation.rating`), after
ECQAT's four domains (domain/quality.py)."""

from __future__ import annotations

from typing import Any

from ethicsdesk.domain import quality
from ethicsdesk.domain.record import RecordState


def rating_view(state: RecordState) -> dict[str, Any] | None:
    """The supervisor's rating of the sign-off request's rationale (domain/quality.py); None unrated."""
    r = state.rating
    if r is None:
        return None
    return {
        "source": quality.SOURCE,
        "domains": [
            {
                "id": d,
                "name": quality.DOMAIN_NAMES[d],
                "criterion": quality.DOMAIN_CRITERIA[d],
                "mark": r.marks.get(d, ""),
                "mark_label": quality.MARK_NAMES.get(r.marks.get(d, ""), r.marks.get(d, "")),
            }
            for d in quality.RATING_DOMAINS
        ],
        "level": r.level,
        "level_label": quality.LEVEL_NAMES.get(r.level, ""),
        "acceptable": quality.acceptable(r.level),
        "note": r.note,
        "rated_by": r.rated_by,
        "rated_at": r.rated_at,
    }
