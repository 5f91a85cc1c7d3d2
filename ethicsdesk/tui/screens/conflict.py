"""Two people changed one field: say whose change came in, show both texts, let the person choose.

The person's own text stays in the field whatever they choose; nothing typed is thrown away. "Keep
mine" saves it over the other change (which the log keeps); "Merge" puts both texts in the field to
edit into one; escape leaves the field as it is, not saved, and the next save asks again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ethicsdesk.errors import EditConflict, EthicsdeskError
from ethicsdesk.reporting.training_text import clean
from ethicsdesk.tui.field_notes import refused_note
from ethicsdesk.tui.widgets.button import Button
from ethicsdesk.tui.widgets.fields import FieldInput, FieldText, field_value, stored_value

if TYPE_CHECKING:
    from ethicsdesk.domain.record import RecordState
    from ethicsdesk.service import Service
    from ethicsdesk.tui.app import EthicsdeskApp
    from ethicsdesk.tui.autosave import Autosave


class FieldHost(Protocol):
    """What a conflict over a field needs of the screen the field is on (the walk)."""

    app: EthicsdeskApp
    record_id: str
    closing: bool
    quitting: bool  # the app is saving on its way out: nobody is left to ask
    asking: bool  # a conflict window is open
    seen_of: dict[str, RecordState]
    autosave: Autosave

    @property
    def service(self) -> Service: ...

    def notify(self, message: str, *, title: str = ..., severity: Any = ..., markup: bool = ...) -> None: ...

    def mark_field(self, key: str, value: str, note: tuple[str, str]) -> None: ...

    def field_widget(self, key: str) -> FieldInput | FieldText | None: ...


def ask_about_field_conflict(walk: FieldHost, key: str, mine: str, exc: EditConflict) -> None:
    """Someone else saved this field since its text was read: keep the typed text, say who, ask. On
    the way out (ctrl+q, a closed terminal) nobody is left to ask: both texts are saved in the field,
    as "Merge" puts them, so that neither is lost from the record as it stands."""
    walk.notify(exc.message, title="Not saved yet", severity="warning", markup=False)
    walk.mark_field(key, mine, refused_note(exc.message))
    if walk.closing or (walk.asking and not walk.quitting):
        return  # one window at a time; the text stays on screen and the next save asks again
    try:
        current = walk.service.record(walk.record_id)
    except EthicsdeskError as error:
        walk.notify(error.message, severity="error", markup=False)
        return
    theirs = stored_value(current, key)
    if walk.quitting:
        walk.seen_of[key] = current  # their change is read: the merge is made over it
        walk.autosave.schedule(key, merged_text(theirs, mine, walk.field_widget(key)))
        return

    def chosen(choice: str | None) -> None:
        walk.asking = False
        widget = walk.field_widget(key)
        typed = field_value(widget) if widget is not None else mine
        if choice is None:
            return
        walk.seen_of[key] = current  # their change is now read: the next save may replace it
        put_choice(choice, widget, key, theirs, typed, walk.autosave)

    walk.asking = True
    walk.app.push_screen(ConflictScreen(exc.message, theirs, mine), chosen)


def merged_text(theirs: str, typed: str, widget: FieldInput | FieldText | None) -> str:
    """Both texts, theirs first: on one line for a one-line field, as paragraphs for a text box."""
    joiner = " / " if isinstance(widget, FieldInput) else "\n\n"
    return f"{theirs}{joiner}{typed}" if theirs else typed


def put_choice(
    choice: str, widget: FieldInput | FieldText | None, key: str, theirs: str, typed: str, autosave: Autosave
) -> None:
    """What the answer does to the field: "merge" puts both texts in it to edit into one (saved after
    the pause, as typing is); "mine" saves the typed text over theirs now."""
    if choice == "merge" and widget is not None:
        merged = merged_text(theirs, typed, widget)
        if isinstance(widget, FieldInput):
            widget.value = merged  # counts as an edit: saved after the pause
        else:
            widget.load_text(merged)
            autosave.schedule(key, merged)
        widget.focus()
    else:
        autosave.schedule(key, typed)
        autosave.flush(key)


class ConflictScreen(ModalScreen[str | None]):
    """Dismissed with "mine", "merge", or None (decide later: the text stays, unsaved)."""

    BINDINGS = [Binding("escape", "later", "Later")]
    DEFAULT_CSS = """
    ConflictScreen { align: center middle; }
    ConflictScreen > Vertical { width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $warning; padding: 0 1; }
    ConflictScreen VerticalScroll { height: auto; max-height: 6; border: round $panel-lighten-2; }
    ConflictScreen Horizontal { height: auto; }
    ConflictScreen Button { margin-right: 1; }
    """

    def __init__(self, message: str, theirs: str, mine: str) -> None:
        super().__init__()
        self.message, self.theirs, self.mine = message, theirs, mine

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.message, markup=False)
            yield Label("Their version (saved)")
            with VerticalScroll(id="theirs"):
                yield Static(clean(self.theirs) or "(empty)", markup=False)
            yield Label("Your version (on screen, not saved)")
            with VerticalScroll(id="mine"):
                yield Static(clean(self.mine) or "(empty)", markup=False)
            with Horizontal():
                yield Button("Keep mine", variant="primary", id="mine-button")
                yield Button("Merge both", id="merge-button")
                yield Button("Later", id="later-button")

    def on_mount(self) -> None:
        self.query_one("#merge-button", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        choice = {"mine-button": "mine", "merge-button": "merge"}.get(event.button.id or "")
        self.dismiss(choice)

    def action_later(self) -> None:
        self.dismiss(None)
