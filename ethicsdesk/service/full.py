"""The full service: every operation on every database, through SQLAlchemy.

`Service` is the shared core (finding and reading records, logging an export, the database, the
acting user, the clock) and one object per job over it: `service.editing` (the walk),
`service.review` (the supervisor's queue, answers, signatures, addenda), `service.trust` (trusted
keys and the audit), `service.integrity` (verify, replay), `service.importing`, `service.training`,
`service.users` (roles on a shared database), `service.checkpoints` and `service.purging`. A job
that needs another is given it (the audit starts from `integrity`, a training attempt is written
by `importing`); none inherits another.
"""

from __future__ import annotations

from ethicsdesk.service.checkpoints import Checkpoints
from ethicsdesk.service.core import Clock, ServiceCore
from ethicsdesk.service.editing import Editing
from ethicsdesk.service.importing import Importing
from ethicsdesk.service.integrity import Integrity
from ethicsdesk.service.purging import Purging
from ethicsdesk.service.review import Review
from ethicsdesk.service.training import Training
from ethicsdesk.service.trust import Trust
from ethicsdesk.service.users import Users
from ethicsdesk.settings import User
from ethicsdesk.store.engine import Database


class Service(ServiceCore):
    """Everything a face may ask of ethicsdesk: the core's reads, and each job by its name."""

    def __init__(self, db: Database, user: User, clock: Clock | None = None) -> None:
        super().__init__(db, user, clock)
        self.editing = Editing(self)
        self.integrity = Integrity(self)
        self.trust = Trust(self, self.integrity)
        self.importing = Importing(self)
        self.training = Training(self, self.importing)
        self.review = Review(self)
        self.users = Users(self)
        self.checkpoints = Checkpoints(self)
        self.purging = Purging(self)


def open_service(url: str | None = None, user: object | None = None, *, reading: bool = False) -> Service:
    """The service on the database at `url` (default: `ETHICSDESK_DB`, then the embedded file). For
    `reading` only, a SQLite file that does not exist is refused unless it is the default one, which
    is made on first use: a mistyped path never becomes a new, empty database."""
    from ethicsdesk.settings import User, acting_user, database_url, is_default_database

    create = not reading or is_default_database(url)
    service = Service.open(database_url(url), user if isinstance(user, User) else acting_user(), create=create)
    try:
        service.user = service.users.identify(service.user)
    except BaseException:
        service.close()
        raise
    return service
