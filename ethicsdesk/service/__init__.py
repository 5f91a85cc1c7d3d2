"""The operations users perform, one transaction each. Faces call this; they never touch a session.

Split by activity: `editing` (the walk), `integrity` (verify, replay, history), `importing`,
`review` (the supervisor's queue, answers, signatures, addenda), `training`, `users` (roles on a
shared database), `copying` (moving records between databases), `trust` (trusted keys and the full
audit), `checkpoints`, `purging` (retention disposal with tombstones).
"""

from __future__ import annotations

from ethicsdesk.service.checkpoints import Checkpoints
from ethicsdesk.service.editing import Editing
from ethicsdesk.service.importing import Importing
from ethicsdesk.service.integrity import HistoryEntry, Integrity, Problem
from ethicsdesk.service.purging import Purging, Tombstone
from ethicsdesk.service.review import QueueItem, Review
from ethicsdesk.service.training import Training
from ethicsdesk.service.trust import Audit, Trust
from ethicsdesk.service.users import UserEntry, Users


class Service(Editing, Trust, Integrity, Importing, Review, Training, Users, Checkpoints, Purging):
    """Everything a face may ask of ethicsdesk."""


def open_service(url: str | None = None, user: object | None = None) -> Service:
    """The service on the database at `url` (default: `ETHICSDESK_DB`, then the embedded file)."""
    from ethicsdesk.settings import User, acting_user, database_url

    service = Service.open(database_url(url), user if isinstance(user, User) else acting_user())
    assert isinstance(service, Service)
    try:
        service.user = service.identify(service.user)
    except BaseException:
        service.close()
        raise
    return service


__all__ = ["Audit", "HistoryEntry", "Problem", "QueueItem", "Service", "Tombstone", "UserEntry", "open_service"]
