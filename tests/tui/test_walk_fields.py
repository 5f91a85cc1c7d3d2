"""Every field of every step and window of the walk keeps what is typed into it.

The fields are found by walking the widget tree (every focusable Input and TextArea of each step's
pane, and of every window a key of that pane opens), never from a list kept here: a field added later,
of a kind the walk does not know how to save, makes this test fail. The record's chosen option
compromises a principle, so the Decide step shows the justification fields (they
once crashed the walk).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from textual.binding import Binding
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, TextArea

from ethicsdesk.domain.checks import JUSTIFICATION_CONDITIONS, justification_key
from ethicsdesk.domain.walk import STEPS
from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.walk import WalkScreen
from ethicsdesk.tui.steps.base import StepPane
from tests.tui.harness import autosaved, in_walk, make_app, notices, type_text, wait_until

SIZE = (80, 24)


@pytest.fixture
def compromised_id(service: Service, weighed_id: str) -> str:
    """Decided for an option that scores below zero on autonomy: the justification fields show."""
    chosen = service.record(weighed_id).options[1].key
    service.editing.score(weighed_id, chosen, "autonomy", -1)
    service.editing.decide(weighed_id, "chosen", chosen)
    return weighed_id


def typeable(root: Widget) -> list[Input | TextArea]:
    """The fields a person can type into, in the order of the widget tree."""
    found: list[Input | TextArea] = []
    for widget in root.query("Input, TextArea").results():
        assert isinstance(widget, Input | TextArea)
        if widget.focusable and not (isinstance(widget, TextArea) and widget.read_only):
            found.append(widget)
    return found


def value_of(widget: Input | TextArea) -> str:
    return widget.value if isinstance(widget, Input) else widget.text


class Words:
    """A distinct word for each field; a field whose hint asks for a date gets a date in that form."""

    def __init__(self) -> None:
        self.n = 0

    def next_for(self, widget: Input | TextArea) -> str:
        self.n += 1
        if isinstance(widget, Input) and re.fullmatch(r"YYYY-MM-DD", str(widget.placeholder)):
            return f"2027-{self.n % 12 + 1:02d}-{self.n % 27 + 1:02d}"
        return "qz" + "".join(chr(ord("a") + int(d)) for d in f"{self.n:03d}")


async def type_into(pilot: Pilot[Any], widget: Input | TextArea, text: str) -> None:
    widget.focus()
    await pilot.pause()
    await pilot.press("end")
    await type_text(pilot, text)


async def commit(pilot: Pilot[Any], root: Widget) -> None:
    """A form whose fields are not saved as they are typed is committed by its primary button."""
    for button in root.query(Button).results():
        if button.variant == "primary" and button.display and not button.disabled:
            button.press()
            await pilot.pause()
            return


async def fill_windows(pilot: Pilot[Any], walk: WalkScreen, pane: StepPane, words: Words, typed: list[str]) -> None:
    """Press each key the pane (and the widget focused when it opens) offers; in each window that
    opens with fields, type into every field and commit it; close any other window."""
    app = pilot.app
    focused = app.focused
    bindings = list(type(pane).BINDINGS)
    if focused is not None and focused is not pane:
        bindings += [b for b in type(focused).BINDINGS if getattr(b, "show", True)]
    for binding in bindings:
        key = binding.key.split(",")[0] if isinstance(binding, Binding) else binding[0]
        if focused is not None:
            focused.focus()
            await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        window = app.screen
        if not isinstance(window, ModalScreen):
            continue
        fields = typeable(window)
        for field in fields:
            word = words.next_for(field)
            await type_into(pilot, field, word)
            typed.append(word)
        if fields:
            await commit(pilot, window)
        if app.screen is window:
            await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is walk, f"the window of '{key}' closed")
        await walk.settled()


@pytest.mark.slow
async def test_every_field_of_every_step_and_window_keeps_what_was_typed(
    service: Service, compromised_id: str
) -> None:
    rid = compromised_id
    words = Words()
    typed: list[str] = []  # every word typed anywhere
    on_steps: dict[tuple[str, int], str] = {}  # (step, the field's place in its pane) -> the word
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        for step in STEPS:
            await walk.go_to(step)
            await pilot.pause()
            pane = walk.query_one(f"#pane-{step}", StepPane)
            await fill_windows(pilot, walk, pane, words, typed)
            fields = typeable(pane)
            for place, field in enumerate(fields):
                word = words.next_for(field)
                await type_into(pilot, field, word)
                on_steps[(step, place)] = word
                typed.append(word)
            await pilot.press("shift+tab")  # leaving the last field saves it
            await commit(pilot, pane)
            await walk.settled()
        # the pause after the last key, then every save answered
        await autosaved(pilot, walk)
        assert notices(app, "error") == []
        assert [n for n in notices(app) if n.title.startswith("Not saved")] == []

    assert len(on_steps) >= 20  # the walk has at least this many fields (a bad query finds none)
    assert len(typed) >= len(on_steps) + 3  # and windows: an option's label and description, a note
    justifications = [k for k in on_steps if k[0] == "decide"]
    assert len(justifications) >= len(JUSTIFICATION_CONDITIONS) + 3  # rationale, mitigation, follow-up
    state = service.record(rid)
    stored = json.dumps(state.snapshot(), ensure_ascii=False)
    assert [w for w in typed if w not in stored] == []
    for condition in JUSTIFICATION_CONDITIONS:
        assert state.answers[justification_key("autonomy", condition.id)].strip()
    assert service.integrity.verify(rid) == (1, [])

    # reopened (a new session, as after a dropped link), every field shows what was typed into it
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        shown: dict[tuple[str, int], str] = {}
        for step in STEPS:
            await walk.go_to(step)
            await pilot.pause()
            for place, field in enumerate(typeable(walk.query_one(f"#pane-{step}", StepPane))):
                shown[(step, place)] = value_of(field)
    lost = {k: w for k, w in on_steps.items() if w not in shown.get(k, "")}
    assert lost == {}, shown


async def test_typing_into_a_reopened_field_continues_its_text(service: Service, situated_id: str) -> None:
    """The cursor is after a stored value, in a text box and a one-line field alike: typing went in front."""
    service.editing.set_text(situated_id, "title", "Refuses the care home")
    for field, key in (("f-text-facts", "facts"), ("f-question", "question"), ("f-title", "title")):
        before = service.record(situated_id).text[key]
        service.editing.save_cursor(situated_id, "situation", field)
        app = make_app(service, Start(record_id=situated_id))
        async with app.run_test(size=SIZE) as pilot:
            await in_walk(pilot)
            assert app.focused is not None and app.focused.id == field
            await type_text(pilot, " Checked.")
            await pilot.press("ctrl+q")
        assert service.record(situated_id).text[key] == before + " Checked.", field
