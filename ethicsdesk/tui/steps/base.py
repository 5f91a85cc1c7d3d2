"""What every step pane shares: the view it is drawn from, the screen that holds it, and how it loads
and refreshes.

A pane knows its screen only as a `StepHost` (steps/host.py), which the walk screen (screens/walk.py) is: the
screen imports the panes, and no pane imports the screen back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Self

from textual.containers import VerticalScroll
from textual.widget import MountError, Widget
from textual.widgets import Input, Static, TextArea

from ethicsdesk.domain.walk import StepId
from ethicsdesk.tui.steps.host import StepHost, WalkView
from ethicsdesk.tui.widgets.fields import FieldInput, FieldSelect, FieldText, set_quietly, stored_value

__all__ = ["StepHost", "StepPane", "WalkView"]

if TYPE_CHECKING:
    pass


class StepPane(VerticalScroll):
    step: ClassVar[StepId]  # a misspelt step is a type error
    title: ClassVar[str]
    intro: ClassVar[str] = ""
    HELP_NOTE: ClassVar[str] = (  # F1 on any step (screens/help.py)
        "Every change is saved as you make it, as an event in the record's tamper-evident log. "
        "The list on the left shows the seven steps and where you are."
    )

    # How many of the pane's widgets (the top level of its compose) the walk mounts before its first
    # paint when it opens on this step; the rest are mounted right after that paint (`first_part_first`).
    # None: all at once. Every widget costs its compose, styles and layout before anything is shown.
    FIRST_PART: ClassVar[int | None] = None

    DEFAULT_CSS = """
    StepPane { padding: 0 1; }
    StepPane .intro { color: $text-muted; margin-bottom: 1; }
    StepPane .hint { color: $text-muted; }
    """

    _first_part_only = False
    _opening_field: str | None = None
    _rest: tuple[Widget, ...] = ()  # composed, not mounted yet: below the first part

    def first_part_first(self, opening_field: str | None) -> Self:
        """Mount only the top of this pane (FIRST_PART widgets, and at least down to the field it opens
        on) before its first paint, and the rest of it right after: the step the walk opens at."""
        self._first_part_only = True
        self._opening_field = opening_field
        return self

    @property
    def complete(self) -> bool:
        """Whether every widget of the pane is mounted (keys typed meanwhile wait for it: tui/app.py)."""
        return not self._rest

    async def mount_composed_widgets(self, widgets: list[Widget]) -> None:
        cut = self._first_part_end(widgets)
        self._rest = tuple(widgets[cut:])
        await super().mount_composed_widgets(widgets[:cut])
        if self._rest:
            self.call_after_refresh(self._mount_rest)

    def _first_part_end(self, widgets: list[Widget]) -> int:
        if not self._first_part_only or self.FIRST_PART is None:
            return len(widgets)
        ids = [w.id for w in widgets]
        opening = self._opening_field or self.first_field()  # mounted now: a pane may ask its walk
        if opening is None:
            return self.FIRST_PART
        if opening not in ids:
            return len(widgets)  # a field inside a container, or one no longer there: all at once
        return max(self.FIRST_PART, ids.index(opening) + 1)

    async def _mount_rest(self) -> None:
        """The rest of the pane, then every field filled again from the walk's latest view (nothing was
        typed meanwhile: the keys wait until the pane is complete)."""
        if not self.is_attached:
            return  # closed before its first paint
        try:
            await self.mount_all(self._rest)
        except MountError:
            return  # the screen closed while they mounted
        finally:
            self._rest = ()  # keys never wait for a part that is not coming
        view = self.walk.view
        if view is not None:
            self.load(view)

    @property
    def help_title(self) -> str:
        """What F1 calls the screen while this step is shown."""
        return f"Walk, step {self.title}"

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
        for choice in self.query(FieldSelect).results():
            set_quietly(choice, stored_value(view.state, choice.save_key))
            choice.disabled = not view.field_editable(self.step, choice.save_key)
        for w in self.query(Input).results():
            w.disabled = not view.field_editable(self.step, getattr(w, "save_key", ""))
        for t in self.query(TextArea).results():
            t.read_only = not view.field_editable(self.step, getattr(t, "save_key", ""))
        self.redraw(view)

    def refresh_view(self, view: WalkView) -> None:
        """Redraw what is derived from the record (never the field being typed in)."""

    def focus_in_view(self, field: Widget) -> None:
        """Focus `field` (a field of this pane), then scroll it just into view once laid out.
        Textual's own scroll on focus centres a field not wholly in view, and a pane that has just
        grown its scrollbar is for a moment a column narrower than its fields: a field that fits was
        centred or not depending on when the focus came (the options step opened scrolled past its
        intro on a loaded machine). A scroll that only brings it into view depends on rows alone."""
        field.focus(scroll_visible=False)
        self.call_after_refresh(field.scroll_visible, animate=False)

    # --- consultation asked from this step ---------------------------------------------
    def on_mount(self) -> None:
        from ethicsdesk.tui.steps.step_consultations import StepConsultations

        # under the intro, so the answer is in view when the step opens; shown once something was asked
        intro = self.query(".intro")
        block = StepConsultations(self.step)
        block.display = False
        self._consultations = block  # kept, not queried for: the redraw after each save shows it
        if intro:
            self.mount(block, after=intro.first())
        else:
            self.mount(block, before=0)

    def redraw(self, view: WalkView) -> None:
        """The pane's own redraw, and the consultations asked from its step."""
        self.refresh_view(view)
        block = getattr(self, "_consultations", None)
        if block is not None:
            block.show(view)

    def first_field(self) -> str | None:
        """The id of the widget to focus when the step opens."""
        return None
