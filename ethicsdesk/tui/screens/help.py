"""F1: the keys of the screen it is opened from, then the app's, then what that screen explains.

The keys are read from the bindings themselves (the screen's, those of every widget shown on it, and
the app's), so the help cannot fall behind a screen's keys: a hand-kept list once left out the review
screen's ctrl+s and ctrl+g. Textual's own widgets bring dozens of editing keys (an input's ctrl+k,
a table's page-up); those are listed only where a widget shows them in the footer. A screen or a
widget may carry a `HELP_NOTE`: prose about what its keys mean (the scores behind 1-5, say).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.actions import parse
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.keys import format_key
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static

KEY_COLUMN = 16  # a line is at most 72 columns: the window is 80 wide, less its border and scrollbar


@dataclass(frozen=True)
class KeyLine:
    keys: tuple[str, ...]  # as typed: "ctrl+e", "[", "f1"
    description: str


@dataclass(frozen=True)
class ScreenKeys:
    name: str  # the screen's name in the heading: "Review", "The walk: Weigh"
    here: list[KeyLine]
    everywhere: list[KeyLine]
    notes: list[str]


def key_label(binding: Binding) -> str:
    """A key as a person types it: "ctrl+e", "[", "/" ("^e" in the footer)."""
    if binding.key_display:
        return binding.key_display
    modifiers, key = binding.parse_key()
    return "+".join([*modifiers, format_key(key)])


def _declared_here(node: DOMNode) -> set[tuple[str, str]]:
    """(key, action) of the bindings this project's classes declare for `node`, not Textual's own."""
    declared: set[tuple[str, str]] = set()
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("ethicsdesk."):
            continue
        for item in cls.__dict__.get("BINDINGS", []):
            if isinstance(item, Binding):
                declared.update((key.strip(), item.action) for key in item.key.split(","))
    return declared


def _offered(node: DOMNode, app: App[Any], binding: Binding) -> bool:
    """Whether the key does something here: a screen hides some of its keys (ctrl+d outside training)."""
    try:
        namespace, action, parameters = parse(binding.action)
    except Exception:  # an action string Textual itself would refuse: leave it out rather than fail F1
        return False
    target: DOMNode = app if namespace == "app" else node
    return target.check_action(action, parameters) is not False


def _lines(node: DOMNode, app: App[Any], *, include_all: bool = False) -> list[KeyLine]:
    """The keys `node` binds that a person would look for, keys with the same meaning on one line."""
    declared = _declared_here(node)
    merged: dict[tuple[str, str], list[str]] = {}
    for key, bindings in node._bindings.key_to_bindings.items():
        for binding in bindings:
            if not binding.description or binding.system or binding.action == "command_palette":
                continue  # the palette is named below, in words rather than Textual's "palette"
            if not (include_all or binding.show or (key, binding.action) in declared):
                continue
            if _offered(node, app, binding):
                label = key_label(binding)
                keys = merged.setdefault((binding.action, binding.description), [])
                if label not in keys:
                    keys.append(label)
    return [KeyLine(tuple(keys), description) for (_action, description), keys in merged.items()]


def _shown_widgets(node: DOMNode) -> Iterator[Widget]:
    """Every widget of `node` that is on the screen: not inside a hidden step pane or tab."""
    for child in node.children:
        if isinstance(child, Widget) and child.display:
            yield child
            yield from _shown_widgets(child)


def screen_name(screen: Screen[Any]) -> str:
    """A shown widget's `help_title` (the walk's step pane), else the screen's, else its class name."""
    for node in (*_shown_widgets(screen), screen):
        named = getattr(node, "help_title", None)
        if isinstance(named, str) and named:
            return named
    words = type(screen).__name__.removesuffix("Screen")
    spaced = "".join(f" {c.lower()}" if c.isupper() else c for c in words).strip()
    return spaced[:1].upper() + spaced[1:]


def keys_of(screen: Screen[Any], app: App[Any]) -> ScreenKeys:
    """The keys of `screen` and of the widgets shown on it, then the app's; each once."""
    here: list[KeyLine] = []
    notes: list[str] = []
    for node in (screen, *_shown_widgets(screen)):
        for line in _lines(node, app):
            if line not in here:
                here.append(line)
        note = getattr(type(node), "HELP_NOTE", "")
        if note and note not in notes:
            notes.append(note)
    everywhere = _lines(app, app, include_all=True)
    if screen.is_modal:  # a dialog hides the app's keys but its priority ones (F1, ctrl+q, tab)
        keys = {key_label(b) for bindings in app._bindings.key_to_bindings.values() for b in bindings if b.priority}
        everywhere = [line for line in everywhere if set(line.keys) <= keys]
    if app.ENABLE_COMMAND_PALETTE:
        everywhere.append(KeyLine((key_label(Binding(app.COMMAND_PALETTE_BINDING, "")),), "Command palette"))
    return ScreenKeys(screen_name(screen), here, everywhere, notes)


def help_text(keys: ScreenKeys) -> Text:
    """The help as styled text, not markup: a key such as "[" would be read as a tag."""
    text = Text()

    def heading(title: str) -> None:
        text.append(title + "\n", style="bold")

    def block(lines: list[KeyLine]) -> None:
        for line in lines:
            text.append(f"  {' '.join(line.keys):<{KEY_COLUMN}}{line.description}\n")

    heading(f"Keys here: {keys.name}")
    block(keys.here or [KeyLine((), "(none of its own)")])
    text.append("\n")
    heading("Everywhere")
    block(keys.everywhere)
    for note in keys.notes:
        text.append(f"\n{note}\n")
    text.append("\nThe footer writes ctrl as ^ (^e is ctrl+e). Press escape to close this help.")
    return text


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,f1", "dismiss", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 80; max-width: 100%; height: 90%; border: round $primary; padding: 0 1; }
    """

    def __init__(self, keys: ScreenKeys) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(help_text(self.keys), id="help-text")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
