"""The seven steps down the left side: where you are, and which steps still lack something."""

from __future__ import annotations

from textual.widgets import ListItem, ListView, Static

from ethicsdesk.domain.walk import STEP_TITLES, STEPS, StepId
from ethicsdesk.tui.widgets.steady_text import show_text


class StepList(ListView):
    DEFAULT_CSS = """
    StepList { width: 19; height: auto; max-height: 100%; border-right: solid $panel-lighten-2; }
    StepList > ListItem { padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__(*[ListItem(Static(STEP_TITLES[s]), id=f"step-{s}") for s in STEPS], id="steps")

    def show(self, current: StepId, lacks: dict[str, list[str]]) -> None:
        """Mark each step: '>' is where you are, '✓' complete, '•' still lacks something.

        The marks are characters, not colours, so they survive a screen reader and a monochrome link.
        """
        for n, step in enumerate(STEPS, 1):
            mark = ">" if step == current else ("•" if lacks.get(step) else "✓")
            show_text(self.query_one(f"#step-{step}", ListItem).query_one(Static), f"{mark} {n} {STEP_TITLES[step]}")
        index = STEPS.index(current)
        if self.index != index:
            self.index = index
