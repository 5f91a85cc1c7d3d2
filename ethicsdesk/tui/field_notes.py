"""What the line under a field says (widgets/fields.py, mark_field) after the walk tried to save it.

A field shows what was typed; the record keeps what was saved. Where they differ, the field says so
until they agree again: a follow-up date that is not one day is not saved (and the record keeps the
one before), a refused change is not saved, and a date that was saved but is past, or was typed as
"in 14 days", is named as the record keeps it.
"""

from __future__ import annotations

from datetime import date

from ethicsdesk.domain.dates import NotADate, typed_follow_up
from ethicsdesk.domain.record import RecordState
from ethicsdesk.tui.widgets.fields import FieldInput, FieldText, field_value, mark_field

FOLLOW_UP = "decision:follow_up"
Note = tuple[str, str]  # (the line, its level: "error", "warning", "info"); ("", "") clears the mark
CLEAR: Note = ("", "")


def kept_date(stored: str) -> str:
    return f"the record keeps {stored}" if stored else "the record has no date yet"


def date_refusal(typed: str, today: date, stored: str) -> Note | None:
    """Why a typed follow-up date cannot be saved (a note for its field), or None when it can."""
    try:
        typed_follow_up(typed, today)
    except NotADate as exc:
        return f"Not saved: {exc} Until then {kept_date(stored)}.", "error"
    return None


def saved_note(key: str, typed: str, state: RecordState, today: date) -> Note:
    """The line under a field once `typed` is saved: nothing, or for the follow-up date, the day it
    was kept as (when typed otherwise) and a warning when that day is past."""
    if key != FOLLOW_UP:
        return CLEAR
    stored = state.decision.get("follow_up", "")
    if stored and stored < today.isoformat() and not state.frozen:
        return f"{stored} is in the past: the checks list it until the next follow-up date is set.", "warning"
    if stored and stored != " ".join(typed.split()):
        return f"Saved as {stored}.", "info"
    return CLEAR


def refused_note(message: str) -> Note:
    return f"Not saved: {message}", "error"


def note_field(widget: FieldInput | FieldText | None, shows: str, note: Note) -> None:
    """`note` under `widget` if it still shows `shows` (if not, the save of what it shows will say)."""
    if widget is not None and field_value(widget) == shows:
        mark_field(widget, *note)
