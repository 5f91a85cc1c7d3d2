"""Inputs that know which part of the record they edit (`save_key`), so one handler saves them all.

Keys: "text:<field>", "list:<tags|identifiers>", "stakeholders", "decision:<part>", "answer:<question>".
"""

from __future__ import annotations

from textual.widgets import Input, TextArea


class FieldInput(Input):
    def __init__(self, save_key: str, value: str = "", **kwargs: object) -> None:
        super().__init__(value=value, **kwargs)  # type: ignore[arg-type]
        self.save_key = save_key


class FieldText(TextArea):
    DEFAULT_CSS = """
    FieldText { height: 5; }
    FieldText.tall { height: 8; }
    """

    def __init__(self, save_key: str, text: str = "", **kwargs: object) -> None:
        super().__init__(text, soft_wrap=True, tab_behavior="focus", **kwargs)  # type: ignore[arg-type]
        self.save_key = save_key


def set_quietly(widget: FieldInput | FieldText, value: str) -> None:
    """Put a stored value into a field without it counting as an edit to save."""
    if isinstance(widget, FieldInput):
        if widget.value != value:
            with widget.prevent(Input.Changed):
                widget.value = value
    elif widget.text != value:
        with widget.prevent(TextArea.Changed):
            widget.load_text(value)
