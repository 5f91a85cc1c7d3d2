"""The full service: every operation on every database, through SQLAlchemy."""

from __future__ import annotations

from ethicsdesk.service.checkpoints import Checkpoints
from ethicsdesk.service.editing import Editing
from ethicsdesk.service.importing import Importing
from ethicsdesk.service.integrity import Integrity
from ethicsdesk.service.purging import Purging
from ethicsdesk.service.review import Review
from ethicsdesk.service.training import Training
from ethicsdesk.service.trust import Trust
from ethicsdesk.service.users import Users


class Service(Editing, Trust, Integrity, Importing, Review, Training, Users, Checkpoints, Purging):
    """Everything a face may ask of ethicsdesk."""


def open_service(url: str | None = None, user: object | None = None, *, reading: bool = False) -> Service:
    """The service on the database at `url` (default: `ETHICSDESK_DB`, then the embedded file). For
    `reading` only, a SQLite file that does not exist is refused unless it is the default one, which
    is made on first use: a mistyped path never becomes a new, empty database."""
    from ethicsdesk.settings import User, acting_user, database_url, is_default_database

    create = not reading or is_default_database(url)
    service = Service.open(database_url(url), user if isinstance(user, User) else acting_user(), create=create)
    try:
        service.user = service.identify(service.user)
    except BaseException:
        service.close()
        raise
    return service
