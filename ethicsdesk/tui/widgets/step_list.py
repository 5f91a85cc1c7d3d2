"""The seven steps down the left side: where you are, and which steps still lack something.

One OptionList draws the seven lines. It was a ListView, whose every line is two widgets (an item and
its text): fifteen of the walk's widgets, each styled, laid out and drawn whenever a record opens.
"""

from __future__ import annotations

from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ethicsdesk.domain.walk import STEP_TITLES, STEPS, StepId, as_step


class StepList(OptionList):
    DEFAULT_CSS = """
    StepList {
        width: 19; height: auto; max-height: 100%;
        border: none; border-right: solid $panel-lighten-2; padding: 0;
        &:focus { border: none; border-right: solid $panel-lighten-2; }
        & > .option-list--option { padding: 0 1; }
    }
    """

    def __init__(self) -> None:
        super().__init__(*[Option(STEP_TITLES[s], id=f"step-{s}") for s in STEPS], id="steps")

    @property
    def lines(self) -> list[str]:
        """The seven lines as shown, marks included."""
        return [str(self.get_option_at_index(n).prompt) for n in range(self.option_count)]

    def show(self, current: StepId, lacks: dict[str, list[str]]) -> None:
        """Mark each step: '>' is where you are, '✓' complete, '•' still lacks something.

        The marks are characters, not colours, so they survive a screen reader and a monochrome link.
        """
        shown = self.lines
        for n, step in enumerate(STEPS, 1):
            mark = ">" if step == current else ("•" if lacks.get(step) else "✓")
            line = f"{mark} {n} {STEP_TITLES[step]}"
            if shown[n - 1] != line:  # a line redrawn only when its mark changed
                self.replace_option_prompt_at_index(n - 1, line)
        index = STEPS.index(current)
        if self.highlighted != index:
            self.highlighted = index

    @staticmethod
    def step_of(option: Option) -> StepId:
        """The step an option of this list stands for."""
        return as_step((option.id or "").removeprefix("step-"))
