"""Step 2, Obligations: the duties the situation touches, and the rules screen for floors."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from ethicsdesk.tui.steps.base import StepPane, WalkView
from ethicsdesk.tui.widgets.caption import Caption
from ethicsdesk.tui.widgets.fields import KINDS_IN_WORDS, FieldText
from ethicsdesk.tui.widgets.marked_toggles import MarkedSelectionList
from ethicsdesk.tui.widgets.reading import ReadingBox


class ObligationsPane(StepPane):
    step = "obligations"
    title = "Obligations"
    intro = (
        "Tick every duty this situation touches (space or enter). Where the code or the law answers "
        "the question, the rest of the walk documents how the rule is followed."
    )
    # The legal-floor banner is docked: it stays in view however far the pane scrolls (focusing the list
    # used to scroll it out of an 80x24 terminal, all but its bottom edge). Its full text is long, so it
    # scrolls within a third of the pane (tab reaches it); the list keeps within what is left.
    DEFAULT_CSS = """
    ObligationsPane #floor-banner {
        dock: top; height: auto; max-height: 35%; border: heavy $warning; padding: 0 1; margin-bottom: 1;
    }
    ObligationsPane #floor-text { height: auto; }
    ObligationsPane SelectionList { height: auto; max-height: 90%; }
    ObligationsPane #obligation-detail { margin-top: 1; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="floor-banner"):
            yield Static("", id="floor-text", markup=False)
        yield self.intro_widget()
        yield MarkedSelectionList(id="obligation-list")
        yield ReadingBox(id="obligation-detail", title="The highlighted duty (tab here to read it)")
        # Sources consulted here, beside the provisions each duty names, because reading them is what
        # ticking a duty sends the case manager to do; a supervisor asks "what did you read?" next.
        yield Caption(
            "Sources consulted",
            f"One per line, kind: what or who. Kinds: {KINDS_IN_WORDS} (document: a paper of the case "
            "file). For example  code: NACM 18  or  document: OT home assessment, 3 March.",
        )
        yield FieldText("sources", id="f-sources")

    def first_field(self) -> str | None:
        return "obligation-list"

    def load(self, view: WalkView) -> None:
        items = self.query_one("#obligation-list", SelectionList)
        with items.prevent(SelectionList.SelectedChanged):
            items.clear_options()
            items.add_options(
                Selection(
                    ob.name + (f"  [{ob.floor_name.upper()}]" if ob.floor else ""),
                    ob.id,
                    ob.id in view.state.obligations,
                )
                for ob in view.catalogue.obligations
            )
            # Highlight the first duty, so that space ticks it at once: with nothing highlighted the
            # list swallows space and enter, and a keyboard user sees nothing happen.
            items.highlighted = 0 if items.option_count else None
        items.disabled = view.read_only
        self._catalogue = view.catalogue
        super().load(view)

    def refresh_view(self, view: WalkView) -> None:
        self._sync_ticks(view)
        banner = self.query_one("#floor-text", Static)
        floors = [view.catalogue.obligation(f) for f in view.analysis.rules.floors]
        self.query_one("#floor-banner").display = bool(floors)
        if floors:
            duty = "this duty" if len(floors) == 1 else "these duties"
            kinds = ", ".join(dict.fromkeys("code rule" if ob.floor == "rule" else ob.floor or "" for ob in floors))
            # code rules alone are named as such: an option breaks a rule, it does not fail a floor
            only_rules = all(ob.floor == "rule" for ob in floors)
            if only_rules:  # no one is in danger today: decline, disclose, record, consult first
                lines = [f"CODE RULE — weighing cannot override {duty}. Consult your supervisor before acting."]
            else:
                lines = [
                    f"FLOOR ({kinds}) — weighing cannot override {duty}. Consult your supervisor now, "
                    "never delaying or replacing a report or emergency call you owe."
                ]
            for ob in floors:
                lines.append(f"{ob.name} requires:")
                lines += [f"- {r}" for r in ob.requires_now]
            if view.catalogue.floor_note and not only_rules:  # the note is about law differing by place
                lines.append(view.catalogue.floor_note)
            banner.update("\n".join(lines))
        self._show_detail()

    def _sync_ticks(self, view: WalkView) -> None:
        """Tick what the record holds: a duty can be ticked from elsewhere (a yes to the danger question
        on Situation ticks the safety floor), and the list was filled only when the walk opened."""
        items = self.query_one("#obligation-list", SelectionList)
        wanted = set(view.state.obligations)
        if set(items.selected) == wanted & set(view.catalogue.ids):
            return
        with items.prevent(SelectionList.SelectedChanged, SelectionList.SelectionToggled):
            for oid in view.catalogue.ids:
                (items.select if oid in wanted else items.deselect)(oid)

    def on_selection_list_selection_toggled(self, event: SelectionList.SelectionToggled[str]) -> None:
        event.stop()
        oid = event.selection.value
        ticked = oid in event.selection_list.selected
        self.walk.change(lambda s, rid: s.editing.set_obligation(rid, oid, ticked))

    def on_selection_list_selection_highlighted(self, event: SelectionList.SelectionHighlighted[str]) -> None:
        event.stop()
        self._show_detail()

    def _show_detail(self) -> None:
        items = self.query_one("#obligation-list", SelectionList)
        catalogue = getattr(self, "_catalogue", None)
        if catalogue is None or items.highlighted is None:
            return
        ob = catalogue.obligation(items.get_option_at_index(items.highlighted).value)
        text = (
            f"{ob.name}: {ob.description}\nRests on: {', '.join(ob.provisions)}.  Bears on: {', '.join(ob.principles)}."
        )
        self.query_one("#obligation-detail", ReadingBox).update(text)
