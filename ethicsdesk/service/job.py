"""What every job of the service (editing, review, trust ...) works through: the shared core.

A job is its own object over the one `ServiceCore` a `Service` is: the same database, acting user,
clock and expectations, and the one way a record changes (`_change`). The core's members a job's
operations use are forwarded here under their own names, so that the operations read as they would
on the core, and a job carries nothing of another job: one that needs another is given it.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from typing import Any

from sqlmodel import Session

from ethicsdesk.domain.frameworks import DEFAULT_FRAMEWORK, Framework
from ethicsdesk.domain.obligations import Catalogue
from ethicsdesk.domain.record import RecordState
from ethicsdesk.errors import BadInput, EthicsdeskError
from ethicsdesk.service.core import Clock, ServiceCore
from ethicsdesk.service.records import _Expectations
from ethicsdesk.settings import User
from ethicsdesk.store.engine import Database
from ethicsdesk.store.queries import RecordSummary

__all__ = ["Job"]


class Job:
    """One job of the service, over the shared core."""

    def __init__(self, core: ServiceCore) -> None:
        self.core = core
        # The one way a record's content changes, with the core's own signature (nothing replaces it,
        # unlike `record` or `framework`, which a test may patch on the core and the job must see).
        self._change = core._change

    # --- the core's state, read at each use: `open_service` sets the user after opening -----------
    @property
    def user(self) -> User:
        return self.core.user

    @property
    def clock(self) -> Clock:
        return self.core.clock

    @property
    def db(self) -> Database:
        return self.core.db

    @property
    def _expect_head(self) -> str | None:
        return self.core._expect_head

    @property
    def _expectations(self) -> _Expectations:
        return self.core._expectations

    # --- the core's operations a job builds on ------------------------------------------------
    def record(self, record_id: str) -> RecordState:
        return self.core.record(record_id)

    def head(self, record_id: str) -> str:
        return self.core.head(record_id)

    def list_records(self, *, where_i_left: bool = False, **filters: Any) -> list[RecordSummary]:
        return self.core.list_records(where_i_left=where_i_left, **filters)

    def today(self) -> date:
        return self.core.today()

    def framework(self, framework_id: str = DEFAULT_FRAMEWORK) -> Framework:
        return self.core.framework(framework_id)

    def catalogue(self) -> Catalogue:
        return self.core.catalogue()

    def framework_of(self, state: RecordState) -> Framework:
        return self.core.framework_of(state)

    def _step(self, state: RecordState) -> str:
        return self.core._step(state)

    def _reading(self) -> AbstractContextManager[Session]:
        return self.core._reading()

    def _administering(
        self, refused: str, failed: str, refusal: type[EthicsdeskError] = BadInput
    ) -> AbstractContextManager[Session]:
        return self.core._administering(refused, failed, refusal)
