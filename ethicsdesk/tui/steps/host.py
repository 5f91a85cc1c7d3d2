"""What a step pane is drawn from (`WalkView`) and what it asks of the screen that holds it
(`StepHost`, which the walk screen is). Apart from base.py so that the parts of a pane (its
consultations box) can know them without importing the pane that holds them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from ethicsdesk.domain.analysis import Analysis
from ethicsdesk.domain.checks import Finding
from ethicsdesk.domain.frameworks import Framework
from ethicsdesk.domain.obligations import Catalogue
from ethicsdesk.domain.record import RecordState

if TYPE_CHECKING:
    from ethicsdesk.errors import EditConflict
    from ethicsdesk.service import Service


@dataclass(frozen=True)
class WalkView:
    """Everything a pane draws from: plain data, computed once per change."""

    state: RecordState
    framework: Framework
    catalogue: Catalogue
    analysis: Analysis
    lacks: dict[str, list[str]]  # what is missing, per step: the texts of `findings`
    findings: tuple[Finding, ...] = ()
    read_only: bool = False
    locked: frozenset[str] = frozenset()  # steps given and not editable here (training: situation, options)

    def editable(self, step: str) -> bool:
        return not self.read_only and step not in self.locked


@runtime_checkable
class StepHost(Protocol):
    """What a pane asks of the screen it is on: the view last drawn, whether the record is read-only
    there, and a change to the record run through the screen's writer (then redrawn)."""

    view: WalkView | None
    read_only: bool

    def change(
        self,
        operation: Callable[[Service, str], Any],
        *,
        seen: Callable[[], RecordState | None] | None = None,
        done: Callable[[bool, Any], None] | None = None,
        conflict: Callable[[EditConflict], None] | None = None,
    ) -> None: ...
