"""Inputs that know which part of the record they edit (`save_key`), so one handler saves them all.

A key is "<kind>:<name>": "text:<field>", "list:<tags|identifiers>", "stakeholders", "sources", "decision:<part>",
"answer:<question key>" (a justification answer is "answer:justify:<principle>:<condition>").
`FIELD_KINDS` says, for each kind, how its value is read from a record and written through the service:
the one place both directions live. A field built with a kind missing here is refused when it is
built, not when someone first types into it (a missing kind used to crash the walk on the first save).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.widget import Widget
from textual.widgets import Input, Select, Static, TextArea

from ethicsdesk.domain.record import SOURCE_KINDS, RecordState
from ethicsdesk.errors import BadInput

if TYPE_CHECKING:
    from ethicsdesk.service import Service


@dataclass(frozen=True)
class FieldKind:
    read: Callable[[RecordState, str], str]  # (state, name) -> the text the field shows
    write: Callable[[Service, str, str, str], Any]  # (service, record id, name, text) -> the change


def _stakeholder_lines(text: str) -> list[tuple[str, str]]:
    out = []
    for line in text.splitlines():
        name, _, interest = line.partition(":")
        if name.strip():
            out.append((name.strip(), interest.strip()))
    return out


KINDS_IN_WORDS = ", ".join(SOURCE_KINDS[:-1]) + f" or {SOURCE_KINDS[-1]}"


def source_lines(text: str) -> list[tuple[str, str]]:
    """Sources consulted, one a line as "kind: what or who". A line that names no kind
    (no colon, or several words before it: "NACM 18: duty to warn") is kept whole as "other". A line
    that starts with one word and a colon names a kind: one that is not a kind ("book:") is refused,
    naming the kinds, since filed as "other" it read back as "other: book: …", a kind the case manager
    never chose. Nothing of the field is saved then, and the text stays in the box to be fixed."""
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        kind, sep, detail = line.partition(":")
        kind = kind.strip().lower()
        if sep and kind in SOURCE_KINDS:
            out.append((kind, detail.strip()))
        elif sep and kind and len(kind.split()) == 1 and not detail.startswith("//"):  # a web address is no kind
            raise BadInput(
                f"Sources not saved: on line {number}, '{shown_start(kind)}' is not a kind of source. Start the "
                f"line with one of: {KINDS_IN_WORDS} (a book or an article is literature; a paper of the "
                "case file, such as a proxy form or an OT report, is document)."
            )
        elif line.strip():
            out.append(("other", line.strip()))
    return out


def shown_start(line: str, limit: int = 24) -> str:
    line = " ".join(line.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


FIELD_KINDS: dict[str, FieldKind] = {
    "text": FieldKind(lambda s, n: s.text.get(n, ""), lambda svc, rid, n, v: svc.editing.set_text(rid, n, v)),
    "list": FieldKind(
        lambda s, n: ", ".join(getattr(s, n)),
        lambda svc, rid, n, v: svc.editing.set_list(rid, n, v.replace("\n", ",").split(",")),
    ),
    "stakeholders": FieldKind(
        lambda s, _n: "\n".join(f"{x.name}: {x.interest}" if x.interest else x.name for x in s.stakeholders),
        lambda svc, rid, _n, v: svc.editing.set_stakeholders(rid, _stakeholder_lines(v)),
    ),
    "sources": FieldKind(
        lambda s, _n: "\n".join(f"{x.kind}: {x.detail}" for x in s.sources),
        lambda svc, rid, _n, v: svc.editing.set_sources(rid, source_lines(v)),
    ),
    "decision": FieldKind(lambda s, n: s.decision.get(n, ""), lambda svc, rid, n, v: svc.editing.decide(rid, n, v)),
    "answer": FieldKind(lambda s, n: s.answers.get(n, ""), lambda svc, rid, n, v: svc.editing.answer(rid, n, v)),
}


def field_kind(save_key: str) -> tuple[FieldKind, str]:
    """The kind of a save key and the name it edits; a key of no known kind is a programming error."""
    kind, _, name = save_key.partition(":")
    if kind not in FIELD_KINDS:
        raise ValueError(f"no field kind '{kind}' (save key '{save_key}'): add it to FIELD_KINDS")
    return FIELD_KINDS[kind], name


def stored_value(state: RecordState, save_key: str) -> str:
    kind, name = field_kind(save_key)
    return kind.read(state, name)


def write_field(service: Service, record_id: str, save_key: str, value: str) -> Any:
    kind, name = field_kind(save_key)
    return kind.write(service, record_id, name, value)


# A field whose text is not what the record keeps (refused: "unsaved"), or was saved with a warning.
MARK_CSS = """
    &.unsaved, &.unsaved:focus { border: tall $error; }
    &.warned, &.warned:focus { border: tall $warning; }
"""


class FieldNote(Static):
    """The one line under a field that says why what it shows is not saved, or what to check in it."""

    DEFAULT_CSS = """
    FieldNote { height: auto; color: $text-error; }
    FieldNote.warning { color: $text-warning; }
    FieldNote.info { color: $text-muted; }
    """


def mark_field(widget: Input | TextArea, note: str = "", level: str = "error") -> None:
    """The line under a field: why what it shows is not saved ("error", until it is), a warning about
    what was saved ("warning"), or how it was kept ("info"); with no note, no line and no mark."""
    widget.set_class(bool(note) and level == "error", "unsaved")
    widget.set_class(bool(note) and level == "warning", "warned")
    parent = widget.parent
    if not isinstance(parent, Widget):
        return
    siblings = list(parent.children)
    i = siblings.index(widget) if widget in siblings else len(siblings)
    after = siblings[i + 1] if i + 1 < len(siblings) else None
    shown = after if isinstance(after, FieldNote) else None
    if not note:
        if shown is not None:
            shown.remove()
        return
    if shown is None:
        shown = FieldNote(note, markup=False)
        parent.mount(shown, after=widget)
    for name in ("warning", "info"):
        shown.set_class(level == name, name)
    shown.update(note)


class KeptInput(Input):
    """A one-line input whose text is kept when it takes the focus. Textual selects an Input's text
    on focus, so the first key typed replaced the whole value (a stored field, or an option's label
    in its edit dialog, where End typed while the dialog opened was lost): the cursor goes after the
    text instead (cursor_to_end), as in a text box."""

    def __init__(self, value: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(value=value, **kwargs)
        self.filled()

    def filled(self) -> None:
        """A stored value was just put in: shown from its start (a read-only record is read, and a
        one-line field scrolled to its tail hid the beginning), the cursor after it once focused."""
        self.cursor_position = 0
        self._to_end_on_focus = True

    def on_focus(self) -> None:
        if self._to_end_on_focus:
            self._to_end_on_focus = False
            cursor_to_end(self)


class FieldInput(KeptInput):
    DEFAULT_CSS = "FieldInput {" + MARK_CSS + "}"

    def __init__(self, save_key: str, value: str = "", **kwargs: Any) -> None:
        field_kind(save_key)
        super().__init__(value=value, **kwargs)
        self.save_key = save_key


class FieldText(TextArea):
    DEFAULT_CSS = (
        """
    FieldText { height: 5; }
    FieldText.tall { height: 8; }
    FieldText {"""
        + MARK_CSS
        + """}
    """
    )

    def __init__(self, save_key: str, text: str = "", **kwargs: Any) -> None:
        field_kind(save_key)
        super().__init__(text, soft_wrap=True, tab_behavior="focus", **kwargs)
        self.save_key = save_key
        self.filled()

    def filled(self) -> None:
        """As FieldInput.filled: shown from its first line, the cursor after the text once focused."""
        self.move_cursor((0, 0))
        self._to_end_on_focus = True

    def on_focus(self) -> None:
        if self._to_end_on_focus and not self.read_only:  # a signed record's box is read from its start
            self._to_end_on_focus = False
            cursor_to_end(self)


class FieldSelect(Select[str]):
    """A field answered from a short list (who decides, whether the client took part).

    Saved as soon as a choice is made (WalkScreen.on_select_changed); "not answered" stores ""."""

    DEFAULT_CSS = "FieldSelect { width: 100%; }"

    def __init__(self, save_key: str, choices: Sequence[tuple[str, str]], **kwargs: object) -> None:
        field_kind(save_key)
        super().__init__(list(choices), prompt="— not answered", allow_blank=True, **kwargs)  # type: ignore[arg-type]
        self.save_key = save_key

    @property
    def chosen(self) -> str:
        return "" if self.value is Select.NULL else str(self.value)


def field_value(widget: FieldInput | FieldText | FieldSelect) -> str:
    if isinstance(widget, FieldSelect):
        return widget.chosen
    return widget.value if isinstance(widget, FieldInput) else widget.text


def cursor_to_end(widget: Input | TextArea) -> None:
    """Put the cursor after a field's text: what is typed next continues it (it went in front)."""
    if isinstance(widget, Input):
        widget.cursor_position = len(widget.value)
    else:
        widget.move_cursor(widget.document.end)


def set_quietly(widget: FieldInput | FieldText | FieldSelect, value: str) -> None:
    """Put a stored value into a field without it counting as an edit to save; the cursor goes after
    it (a one-line field: once it is focused)."""
    if isinstance(widget, FieldSelect):
        if widget.chosen != value:
            with widget.prevent(Select.Changed):
                widget.value = value if value else Select.NULL
    elif isinstance(widget, FieldInput):
        if widget.value != value:
            with widget.prevent(Input.Changed):
                widget.value = value
            widget.filled()
            if widget.has_focus:
                cursor_to_end(widget)
    elif widget.text != value:
        with widget.prevent(TextArea.Changed):
            widget.load_text(value)
        widget.filled()
        if widget.has_focus:
            cursor_to_end(widget)
