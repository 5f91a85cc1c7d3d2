"""The whole analysis of the weighing, in words: what the figures show, never what to choose."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

from ethicsdesk.tui.steps.base import WalkView
from ethicsdesk.tui.widgets.wrapped_text import WrappedText


def analysis_text(view: WalkView) -> str:
    a, state = view.analysis, view.state
    label = {o.key: o.label for o in state.options}
    out = ["WEIGHTED TOTALS (score × weight, summed)"]
    for key in a.ranking:
        out.append(f"  {a.totals[key]:>+4d}  {label.get(key, key)}")
    if a.unscored:
        out.append(f"  ({len(a.unscored)} cell(s) unscored count as 0)")
    out += ["", "RULES SCREEN", "  " + (a.rules.text or "No floor is ticked.")]
    if a.rules.note:
        out.append("  " + a.rules.note)
    out += ["", "TENSIONS"]
    out += [f"  - {t.text}" for t in a.tensions] or ["  None found."]
    # robustness_text already holds every flip's sentence (and says when a kind has none): print it
    # once, not again flip by flip
    out += ["", "ROBUSTNESS", "  " + (a.robustness_text or "Nothing to test yet.")]
    # principles sharing a rank (justice and equity, by default) are shown joined: they are weighed together
    ranks = [" + ".join(view.framework.name_of(p) for p in rank) for rank in a.ranked.ranks]
    out += ["", "RANKED VIEW (priority order: " + " > ".join(ranks) + ")"]
    out.append("  " + a.ranked.basis)
    out.append("  " + (a.ranked.text or ""))
    out += ["", "ethicsdesk shows what the figures say. The decision, and the reasons for it, are yours."]
    return "\n".join(out)


class AnalysisScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,a,q", "close", "Close")]
    DEFAULT_CSS = """
    AnalysisScreen { align: center middle; }
    AnalysisScreen > VerticalScroll { width: 90%; max-width: 100; height: 90%; border: round $primary; padding: 0 1; }
    """

    def __init__(self, view: WalkView) -> None:
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            # list items and totals keep their indent when they wrap (tui/widgets/wrapped_text.py)
            yield WrappedText(analysis_text(self.view), hang=2)

    def action_close(self) -> None:
        self.dismiss(None)
