"""Step 3, Options: at least two, including the status quo and a creative alternative."""

from __future__ import annotations

from collections.abc import Collection

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import ListItem, ListView, Static

from ethicsdesk.domain.record import Option, RecordState
from ethicsdesk.tui.steps.base import StepPane, WalkView
from ethicsdesk.tui.widgets.wrapped_text import WrappedText


def floor_marks(state: RecordState, option: str, floors: list[str], rules: Collection[str] = ()) -> str:
    """'honours duty-to-warn', 'BREACHES …' or '? … not judged', in words, not colours; a code rule
    (one of `rules`) is 'BREAKS CODE RULE …', never a failed floor."""
    marks = []
    for f in floors:
        verdict = state.floor_checks.get((f, option))
        broken = f"BREAKS CODE RULE {f}" if f in rules else f"BREACHES {f}"
        marks.append(f"honours {f}" if verdict else (broken if verdict is False else f"? {f} not judged"))
    return "; ".join(marks)


class OptionsPane(StepPane):
    step = "options"
    title = "Options"
    intro = (
        "List what you could do. Include the status quo (carrying on as now) and at least one "
        "creative option that meets more of the interests at stake. Two options at least."
    )
    BINDINGS = [
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("d", "remove", "Remove"),
        Binding("left_square_bracket", "move(-1)", "Up"),
        Binding("right_square_bracket", "move(1)", "Down"),
        Binding("f", "floor", "Floor check"),
    ]
    DEFAULT_CSS = """
    OptionsPane ListView { height: auto; max-height: 14; border: round $panel-lighten-2; }
    OptionsPane ListItem { padding: 0 1; }
    OptionsPane ListView > ListItem.-highlight { background: $block-cursor-blurred-background; }
    OptionsPane ListView:focus > ListItem.-highlight { background: $block-cursor-background; text-style: bold; }
    OptionsPane #options-prompt { color: $warning; height: auto; }
    """

    def compose(self) -> ComposeResult:
        yield self.intro_widget()
        yield ListView(id="option-list")
        yield Static("", id="options-prompt", markup=False)
        yield Static("a add · e edit · d remove · [ ] move · f floor and code-rule check", classes="hint")

    def first_field(self) -> str | None:
        return "option-list"

    def refresh_view(self, view: WalkView) -> None:
        self._view = view
        listing = self.query_one("#option-list", ListView)
        keep = listing.index or 0
        removing = listing.clear()
        floors = view.analysis.rules.floors
        rules = {f for f in floors if view.catalogue.obligation(f).floor == "rule"}
        self._texts: list[str] = []
        self._rows: list[WrappedText] = []  # kept here: a ListItem appended just now has not mounted its child yet
        for n, o in enumerate(view.state.options, 1):
            text = f"{n}. {o.label}"
            if o.description:
                text += f"\n     {o.description}"
            marks = floor_marks(view.state, o.key, floors, rules)
            if marks:
                text += f"\n     [{marks}]"
            self._texts.append(text)
            self._rows.append(WrappedText("  " + text))  # wrapped lines keep their indent
        mounting = listing.extend(
            ListItem(row, name=o.key) for row, o in zip(self._rows, view.state.options, strict=True)
        )
        if view.state.options:
            listing.index = min(keep, len(view.state.options) - 1)
        self._mark_highlighted()

        # The old rows leave and the new ones mount after this call, so the list could not highlight the
        # row at its index: after an edit the option in hand lost its highlight. Highlight it once they have.
        async def highlight_once_mounted() -> None:
            await removing
            await mounting
            self._highlight_at_index()

        self.call_next(highlight_once_mounted)
        prompt = []
        if len(view.state.options) < 2:
            prompt.append(f"Add {2 - len(view.state.options)} more option(s) to go on (press a).")
        labels = " ".join(o.label.lower() for o in view.state.options)
        if view.state.options and not any(w in labels for w in ("status quo", "continue", "as now", "keep")):
            prompt.append("Is one of these the status quo? If not, consider adding it.")
        self.query_one("#options-prompt", Static).update("\n".join(prompt))

    def on_list_view_highlighted(self, event: ListView.Highlighted) -> None:
        event.stop()
        self._mark_highlighted()

    def _open_listing(self) -> ListView | None:
        """The option list, unless the step is closing: the walk left, or the app quit at once after a
        change, while the list's rows were still mounting or its messages on their way."""
        listing = next(iter(self.query("#option-list").results(ListView)), None)
        return listing if listing is not None and listing.is_attached else None

    def _mark_highlighted(self) -> None:
        """A '▶' before the option that e, d, [ ], and f act on: a mark, not only a colour, so that it
        shows in any theme, on a monochrome link and to a screen reader."""
        listing = self._open_listing()
        if listing is None:
            return
        for i, (row, text) in enumerate(zip(getattr(self, "_rows", []), getattr(self, "_texts", []), strict=True)):
            row.set_text(("▶ " if i == listing.index else "  ") + text)

    def _highlight_at_index(self) -> None:
        listing = self._open_listing()
        if listing is None:
            return
        for i, item in enumerate(listing.query_children(ListItem).results()):
            item.highlighted = i == listing.index

    def _selected(self) -> str | None:
        listing = self.query_one("#option-list", ListView)
        item = listing.highlighted_child
        return item.name if item is not None else None

    def _option_to_change(self) -> Option | None:
        """The highlighted option, when there is one and this step may be changed (else it says why)."""
        key = self._selected()
        if key is None or not self._editable():
            return None
        return self._view.state.option(key)

    def _editable(self) -> bool:
        view = getattr(self, "_view", None)
        if view is not None and not view.editable(self.step):
            given = self.step in view.locked
            self.notify(
                "The options are given in training." if given else "This record is read-only here.", severity="warning"
            )
            return False
        return True

    def action_add(self) -> None:
        from ethicsdesk.tui.screens.option_edit import OptionEditScreen

        if not self._editable():
            return

        def added(result: tuple[str, str] | None) -> None:
            if result:
                self.walk.change(lambda s, rid: s.editing.add_option(rid, result[0], result[1]))

        self.app.push_screen(OptionEditScreen(), added)

    def action_edit(self) -> None:
        from ethicsdesk.tui.screens.option_edit import OptionEditScreen

        option = self._option_to_change()
        if option is None:
            return
        key = option.key

        def edited(result: tuple[str, str] | None) -> None:
            if result:
                self.walk.change(
                    lambda s, rid: s.editing.change_option(rid, key, label=result[0], description=result[1])
                )

        self.app.push_screen(OptionEditScreen(option.label, option.description), edited)

    def action_remove(self) -> None:
        from ethicsdesk.tui.screens.confirm import ConfirmScreen

        option = self._option_to_change()
        if option is None:
            return
        key = option.key

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.walk.change(lambda s, rid: s.editing.remove_option(rid, key))

        question = f"Remove the option '{option.label}' and its scores? (The log keeps the history.)"
        self.app.push_screen(ConfirmScreen(question), confirmed)

    def action_move(self, delta: int) -> None:
        option = self._option_to_change()
        if option is None:
            return
        key = option.key
        keys = [o.key for o in self._view.state.options]
        position = keys.index(key) + delta
        if 0 <= position < len(keys):
            self.walk.change(lambda s, rid: s.editing.move_option(rid, key, position))
            self.query_one("#option-list", ListView).index = position

    def action_floor(self) -> None:
        from ethicsdesk.tui.screens.floor_check import FloorCheckScreen

        option = self._option_to_change()
        if option is None:
            return
        key = option.key
        floors = self._view.analysis.rules.floors
        if not floors:
            self.notify("No floor or code rule is ticked in Obligations, so there is nothing to check.")
            return
        current = {f: self._view.state.floor_checks.get((f, key)) for f in floors}
        names = {f: self._view.catalogue.obligation(f).name for f in floors}

        def judged(result: dict[str, bool | None] | None) -> None:
            for f, verdict in (result or {}).items():
                if verdict != current[f]:
                    self._check_floor(f, key, verdict)

        rules = {f for f in floors if self._view.catalogue.obligation(f).floor == "rule"}
        self.app.push_screen(FloorCheckScreen(option.label, names, current, rules), judged)

    def _check_floor(self, floor: str, key: str, verdict: bool | None) -> None:
        # a method, not a lambda in judged's loop: each change keeps its own floor and verdict
        self.walk.change(lambda s, rid: s.editing.check_floor(rid, floor, key, verdict))
