"""Choose a sample dilemma from the shipped library: for a training attempt or a cohort view.

Dismisses with the sample id, or None on escape. A sample without a reference weighing is listed
but cannot be picked: there would be nothing to debrief against.
"""

from __future__ import annotations

from typing import cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ethicsdesk.errors import EthicsdeskError
from ethicsdesk.tui.app_face import AppFace, ServiceReady


class SamplePickerScreen(ModalScreen[str | None]):
    @property
    def face(self) -> AppFace:
        """The app, typed as what this screen asks of it (tui/app_face.py)."""
        return cast("AppFace", self.app)
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    SamplePickerScreen { align: center middle; }
    SamplePickerScreen > Vertical { width: 78; max-width: 100%; height: 90%; border: round $primary; padding: 0 1; }
    SamplePickerScreen #picker-head { height: auto; margin-bottom: 1; }
    SamplePickerScreen OptionList { height: 1fr; }
    """

    def __init__(self, title: str = "Choose a sample dilemma") -> None:
        super().__init__()
        self.heading = title

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"{self.heading}\nenter to choose · escape to cancel", id="picker-head", markup=False)
            yield OptionList(id="samples")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        if self.face.service_ready:
            self.load()

    def on_service_ready(self, _: ServiceReady) -> None:
        self.load()

    def load(self) -> None:
        listing = self.query_one(OptionList)
        listing.clear_options()
        try:
            samples = self.face.service.training.samples()
        except EthicsdeskError as exc:
            self.query_one("#picker-head", Static).update(exc.message)
            return
        for s in samples:
            # rich Text, not markup: a trainer's title may hold brackets
            prompt = Text.assemble((s.title, "bold"), "\n", (s.id, "dim"))
            if not s.has_reference:
                prompt.append("  (no reference weighing: cannot be used for training)", "dim")
            listing.add_option(Option(prompt, id=s.id, disabled=not s.has_reference))
        if samples:
            listing.highlighted = next((i for i, s in enumerate(samples) if s.has_reference), None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
