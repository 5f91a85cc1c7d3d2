"""The operations users perform, one transaction each. Faces call this; they never touch a session.

Split by activity: `records` (finding and reading records, logging an export) and `core` (the
database, and the one way a record's content changes), then one job each over that core (`job`):
`editing` (the walk), `integrity` (verify, replay), `importing`, `review` (the supervisor's queue,
answers, signatures, addenda), `training`, `users` (roles on a shared database), `trust` (trusted
keys and the full audit), `checkpoints`, `purging` (retention disposal with tombstones); `copying`
moves records between databases. `full` builds `Service`: the core, with each job as an attribute
(`service.editing.set_text(...)`, `service.integrity.verify()`).

The names below are loaded on first use, so that `ethicsdesk.service.light_records` (the light service of
the everyday commands) can be imported without SQLAlchemy, which the full service needs.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ethicsdesk.service.full import Service, open_service
    from ethicsdesk.service.integrity import Problem
    from ethicsdesk.service.purging import Tombstone
    from ethicsdesk.service.records import HistoryEntry
    from ethicsdesk.service.review import QueueItem
    from ethicsdesk.service.trust import Audit
    from ethicsdesk.service.users import UserEntry

_WHERE = {
    "Service": "full",
    "open_service": "full",
    "HistoryEntry": "records",
    "Problem": "integrity",
    "QueueItem": "review",
    "UserEntry": "users",
    "Tombstone": "purging",
    "Audit": "trust",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)


__all__ = ["Audit", "HistoryEntry", "Problem", "QueueItem", "Service", "Tombstone", "UserEntry", "open_service"]
