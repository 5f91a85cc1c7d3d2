"""The supervisor's rating of a rationale, in the review screen's form above the answer: each of the
four domains after ECQAT (domain/quality.py) met, partly met or not met, with its criterion in one
line, the overall level 1-4 and an optional note. Optional: left at "Not rated" it sends nothing,
and a record signs without one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, RadioSet, Static

from ethicsdesk.domain.quality import (
    DOMAIN_CRITERIA,
    DOMAIN_NAMES,
    LEVEL_NAMES,
    LEVELS,
    MARK_NAMES,
    MARKS,
    RATING_DOMAINS,
    SOURCE,
)
from ethicsdesk.tui.widgets.marked_toggles import MarkedRadioButton, pressed_name

if TYPE_CHECKING:  # the service (and the store under it) loads after the first screen is drawn
    from ethicsdesk.service.review import RatingInput

LEGEND = "Overall level: " + ", ".join(f"{n} {LEVEL_NAMES[n]}" for n in LEVELS) + " (3 and 4 are acceptable)."


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class RatingForm(Vertical):
    """The four domains, the level and the note; `chosen` reads them, `clear` sets them back."""

    DEFAULT_CSS = """
    RatingForm { height: auto; }
    RatingForm .criterion { color: $text-muted; }
    RatingForm .rating-title { text-style: bold; }
    """

    def __init__(self, heading: str = "Rating of the rationale", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.heading = heading  # what is rated: the rationale here, a training attempt in its own dialog

    def compose(self) -> ComposeResult:
        yield Static(f"{self.heading} (optional; {SOURCE})", classes="rating-title", markup=False)
        for domain in RATING_DOMAINS:
            yield Static(f"{DOMAIN_NAMES[domain]}: {DOMAIN_CRITERIA[domain]}", classes="criterion", markup=False)
            with RadioSet(id=f"rate-{domain}"):
                for mark in MARKS:
                    yield MarkedRadioButton(MARK_NAMES[mark], name=mark)
                yield MarkedRadioButton("Not rated", value=True, name="", classes="unrated")
        yield Static(LEGEND, classes="criterion", markup=False)
        with RadioSet(id="rate-level"):
            for level in LEVELS:
                yield MarkedRadioButton(str(level), name=str(level))
            yield MarkedRadioButton("Not rated", value=True, name="", classes="unrated")
        yield Input(placeholder="A note on the rating (optional)", id="rate-note")

    def chosen(self) -> RatingInput | str | None:
        """The rating as the form holds it; None when nothing of it is set; a sentence saying what is
        missing when it is set only in part."""
        marks = {d: pressed_name(self.query_one(f"#rate-{d}", RadioSet), "") for d in RATING_DOMAINS}
        level = pressed_name(self.query_one("#rate-level", RadioSet), "")
        note = self.query_one("#rate-note", Input).value
        if not any(marks.values()) and not level and not note.strip():
            return None
        unrated = [DOMAIN_NAMES[d].lower() for d in RATING_DOMAINS if not marks[d]]
        if unrated:
            return f"Rate {_join(unrated)} too, or set the rating back to Not rated."
        if not level:
            return "Choose the overall level, 1 to 4, or set the rating back to Not rated."
        from ethicsdesk.service.review import RatingInput

        return RatingInput(marks, int(level), note)

    def clear(self) -> None:
        for button in self.query(".unrated").results(MarkedRadioButton):
            button.value = True
        self.query_one("#rate-note", Input).value = ""
