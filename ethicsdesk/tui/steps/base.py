"""What every step pane shares: the view it is drawn from, the screen that holds it, and how it loads
and refreshes.

A pane knows its screen only as a `StepHost` (below), which the walk screen (screens/walk.py) is: the
screen imports the panes, and no pane imports the screen back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from textual.containers import VerticalScroll
from textual.widgets import Input, Static, TextArea

from ethicsdesk.domain.analysis import Analysis
from ethicsdesk.domain.checks import Finding
from ethicsdesk.domain.frameworks import Framework
from ethicsdesk.domain.obligations import Catalogue
from ethicsdesk.domain.record import RecordState
from ethicsdesk.tui.widgets.fields import FieldInput, FieldText, set_quietly, stored_value

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


class StepPane(VerticalScroll):
    step: ClassVar[str]
    title: ClassVar[str]
    intro: ClassVar[str] = ""

    DEFAULT_CSS = """
    StepPane { padding: 0 1; }
    StepPane .intro { color: $text-muted; margin-bottom: 1; }
    StepPane Label { margin-top: 1; text-style: bold; }
    StepPane .hint { color: $text-muted; }
    """

    @property
    def walk(self) -> StepHost:
        screen = self.screen
        if not isinstance(screen, StepHost):
            raise TypeError(f"a step pane is shown on the walk screen, not on {type(screen).__name__}")
        return screen

    def intro_widget(self) -> Static:
        return Static(self.intro, classes="intro")

    def load(self, view: WalkView) -> None:
        """Fill every field from the stored record (on open, resume and replay)."""
        for widget in self.query(FieldInput).results():
            set_quietly(widget, stored_value(view.state, widget.save_key))
        for area in self.query(FieldText).results():
            set_quietly(area, stored_value(view.state, area.save_key))
        for w in self.query(Input).results():
            w.disabled = not view.editable(self.step)
        for t in self.query(TextArea).results():
            t.read_only = not view.editable(self.step)
        self.refresh_view(view)

    def refresh_view(self, view: WalkView) -> None:
        """Redraw what is derived from the record (never the field being typed in)."""

    def first_field(self) -> str | None:
        """The id of the widget to focus when the step opens."""
        return None
