"""The floor of Enter from home (bench/enter_parts.py): a bare Textual app, with nothing of ethicsdesk
in it, whose home lists a few records in a ListView and whose Enter pushes a screen composed the
plain Textual way with the form of the walk's Situation step at 80x24 (the step list, the step's
heading, then the fields of ethicsdesk/tui/steps/situation.py in its order, with its labels and
hints copied here as text), the first text box focused on mount.

Imported for the Pilot row; run as a script (`python bare_walk_step.py RECORD.toml`) for the tmux
row. The fields show the texts of the dilemma file given, as the walk shows the record imported
from it. Its home shows "N record(s)" and its heading "Step 1 of 7 · …", as ethicsdesk's do, so
both are watched for the same text on the screen."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Footer,
    Header,
    Input,
    Label,
    ListItem,
    ListView,
    Select,
    SelectionList,
    Static,
    TextArea,
)

STEP_NAMES = ("Situation", "Obligations", "Options", "Weigh", "Decide", "Consult", "Outcome")
INTRO = "Set out what is happening before judging it. Every field saves as you type."
DANGER = (
    "Is anyone in immediate danger?",
    "The client, someone near them, or you. A yes ticks the safety floor and shows its steps here.",
)
# (the dilemma file's key, label, hint): the eleven text boxes, the first one tall
FIELDS = (
    ("facts", "Facts", "What is known and documented. Keep guesses for the next field."),
    ("assumptions", "Assumptions", "What you or others take for granted but have not checked."),
    ("unknowns", "Unknowns", "What you would need to know; who could tell you."),
    (
        "medical_facts",
        "Medical or service facts",
        "Diagnosis, prognosis, treatment or service and its limits: the facts a clinician would give.",
    ),
    ("client_wishes", "The client's wishes", "In the client's own words where possible."),
    ("capacity", "Decision-making capacity", "Assessed? By whom, for which decision? Who decides if not?"),
    ("quality_of_life", "Quality of life", "What a good life means to this client."),
    ("context", "Context", "Family, payer, agency policy, law."),
    ("cultural", "Cultural factors", "Beliefs, language, community, faith."),
    (
        "own_values",
        "Your own values and feelings",
        "What you feel about this client or case, and what of your own values or bias might lean on it.",
    ),
    (
        "stakeholders",
        "Stakeholders",
        "One per line: who: what they want (for example  Daughter: her father safe).",
    ),
)
KINDS = (
    "What kind of problem is it? (one or more)",
    "A legal question goes to the law and your agency's legal or compliance contact; a clinical one to "
    "the clinician responsible; a practice one to policy and your supervisor. Only what is left once "
    "those are answered needs weighing here.",
    (
        "Ethical: what is right, where duties or values conflict",
        "Legal: what a law, regulation or court requires or permits",
        "Clinical: a question of diagnosis, treatment or risk for a clinician",
        "Practice: agency policy, workload, procedure or skill",
    ),
)
DILEMMA_TYPE = (
    "A true dilemma, or right against wrong?",
    "A true dilemma sets two duties you owe against each other, and something is given up whichever you "
    "choose. Right against wrong is not a dilemma: the other course breaks a duty, a law or a code rule.",
    ("A true dilemma: right against right", "Right against wrong: one course is plainly wrong", "Not sure yet"),
)
IDENTIFIERS_HINT = "Names, numbers and dates that identify the client, separated by commas."
DANGER_CHOICES = ("Yes: someone is in danger now", "No", "Not sure yet (treat as yes until you know)")


def record_texts(path: Path | None) -> dict[str, str]:
    """The texts the form shows, from a dilemma file (none: empty fields)."""
    if path is None:
        return {}
    data: dict[str, Any] = tomllib.loads(path.read_text())
    texts = {k: v.strip() for k, v in data.items() if isinstance(v, str)}
    texts["stakeholders"] = "\n".join(f"{s['name']}: {s['interest']}" for s in data.get("stakeholders", []))
    texts["identifiers"] = ", ".join(data.get("identifiers", []))
    return texts


class BareWalk(Screen[None]):
    BINDINGS = [("escape", "app.pop_screen", "Records")]
    DEFAULT_CSS = """
    BareWalk #steps { width: 19; }
    BareWalk TextArea { height: 5; }
    BareWalk #facts { height: 8; }
    BareWalk .hint { color: $text-muted; }
    """

    def __init__(self, texts: dict[str, str]) -> None:
        super().__init__()
        self.texts = texts

    def compose(self) -> ComposeResult:
        text = self.texts.get
        yield Header()
        with Horizontal():
            yield ListView(*[ListItem(Static(name)) for name in STEP_NAMES], id="steps")
            with Vertical():
                yield Static(f"Step 1 of 7 · Situation · {text('title', '(untitled)')}", id="head")
                with VerticalScroll():
                    yield Static(INTRO)
                    yield from self.question(*DANGER)
                    yield Select([(c, c) for c in DANGER_CHOICES])
                    yield Static("")
                    for key, label, hint in FIELDS:
                        yield from self.question(label, hint)
                        yield TextArea(text(key, ""), id=key)
                    yield from self.question("Identifiers to mask in reports", IDENTIFIERS_HINT)
                    yield Input(text("identifiers", ""))
                    yield from self.question(KINDS[0], KINDS[1])
                    yield SelectionList[int](*((kind, n) for n, kind in enumerate(KINDS[2])))
                    yield from self.question(DILEMMA_TYPE[0], DILEMMA_TYPE[1])
                    yield Select([(c, c) for c in DILEMMA_TYPE[2]])
                    yield Static("")
                    yield from self.question("The ethics question", "Given …, is it ethically justifiable to …?")
                    yield TextArea(text("question", ""))
                    yield Label("Title")
                    yield Input(text("title", ""))
                    yield Label("Case code")
                    yield Input(text("case_code", ""))
        yield Footer()

    @staticmethod
    def question(label: str, hint: str) -> ComposeResult:
        yield Label(label)
        yield Static(hint, classes="hint")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()


class BareHome(Screen[None]):
    def __init__(self, texts: dict[str, str], records: int) -> None:
        super().__init__()
        self.texts, self.records = texts, records

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{self.records} record(s)")
        title = self.texts.get("title", "A record")
        yield ListView(*[ListItem(Static(f"{title} ({n})")) for n in range(1, self.records + 1)])
        yield Footer()

    def on_list_view_selected(self, _: ListView.Selected) -> None:
        # ListView takes Enter itself (as Selected): no binding of the screen would see it
        self.app.push_screen(BareWalk(self.texts))


class BareApp(App[None]):
    def __init__(self, record: Path | None = None, records: int = 5) -> None:
        super().__init__()
        self.texts, self.records = record_texts(record), records

    def on_mount(self) -> None:
        self.push_screen(BareHome(self.texts, self.records))


if __name__ == "__main__":
    BareApp(Path(sys.argv[1]) if len(sys.argv) > 1 else None).run()
