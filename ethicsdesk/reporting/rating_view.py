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
    return quality.rating_json(r)
