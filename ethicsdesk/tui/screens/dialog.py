"""What every dialog window shares: centred over the screen beneath, framed, its body scrolling when
the terminal is too short (WindowBody), a line for the one-sentence error, a row of buttons, escape
to cancel, and enter moving from field to field until the last one submits.

A dialog says what it is for in `compose` and `submit`; the cancel button (id "cancel") and escape
run `action_cancel`, which dismisses with None unless the dialog says otherwise. The first field has
the focus when the window opens (the screen's AUTO_FOCUS: WindowBody takes none itself). Textual
runs a message handler of every class in the chain, so a dialog changes these by the class
variables and methods here, not by handlers of its own.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from ethicsdesk.tui.widgets.button import Button
from ethicsdesk.tui.widgets.window_body import WindowBody

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    ENTER_SUBMITS: ClassVar[bool] = True
    # A dialog's own DEFAULT_CSS sets its width and frame on `Name > VerticalScroll` and wins over these.
    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > VerticalScroll {
        width: 70; max-width: 100%; height: auto; max-height: 100%; border: round $primary; padding: 1 2;
    }
    Dialog #error { color: $error; }
    Dialog .dialog-buttons { height: auto; margin-top: 1; }
    Dialog .dialog-buttons Button { margin-right: 2; }
    """

    @staticmethod
    def error_line() -> Static:
        return Static("", id="error", markup=False)

    @classmethod
    def form(cls, heading: str, *fields: tuple[str, Widget], foot: Widget) -> WindowBody:
        """The window of a form: the heading (markup), each field under its label, the line for the
        error, then `foot` (the buttons)."""
        labelled = [widget for label, field in fields for widget in (Label(label), field)]
        return WindowBody(Static(heading), *labelled, cls.error_line(), foot)

    @staticmethod
    def buttons(*buttons: Button) -> Horizontal:
        """The row of buttons at the foot of the window; a button with id "cancel" cancels, any
        other submits."""
        return Horizontal(*buttons, classes="dialog-buttons")

    def show_error(self, message: str) -> None:
        self.query_one("#error", Static).update(message)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a field moves to the next one; in the last, it submits (unless ENTER_SUBMITS is
        off: then only the button does)."""
        inputs = list(self.query(Input))
        if not self.ENTER_SUBMITS and event.input is inputs[-1]:
            return
        if event.input in inputs[:-1]:
            inputs[inputs.index(event.input) + 1].focus()
        else:
            self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.action_cancel()
        else:
            self.submit()

    def submit(self) -> None:
        raise NotImplementedError

    def action_submit(self) -> None:
        self.submit()

    def action_cancel(self) -> None:
        self.dismiss(None)
