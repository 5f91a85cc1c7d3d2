"""Every declared event by its name in the log: what the fold applies and the history words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ethicsdesk.domain.events import content, making, options, review, weighing
from ethicsdesk.domain.events.kind import EventKind

_FAMILIES = (making, content, options, weighing, review)

KINDS: Mapping[str, EventKind[Any]] = {kind.type: kind for family in _FAMILIES for kind in family.KINDS}

# The events a signed record still takes: what it holds is frozen, but it can still be exported and
# added to beside (EventKind.on_signed).
ON_SIGNED: frozenset[str] = frozenset(name for name, kind in KINDS.items() if kind.on_signed)
