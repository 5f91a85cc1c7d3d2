"""Before the situation is set out: is anyone in immediate danger, and what kind of problem is this?

Two questions the practitioner models put first. The danger question comes before everything else,
because a "yes" is not a dilemma to think through: the safety floor (`imminent-risk`, from the
obligation catalogue, with its own steps) applies now, and the rest of the walk can wait. The
classification says which kinds of question the problem raises (ethical, legal, clinical, practice:
one or more) and whether it is a true dilemma (right against right) or a right against a wrong,
which is not a dilemma at all: the right thing is done and recorded, and pressure to do otherwise
is taken to a supervisor.

Kept as text fields of the record (rows of `record_texts`, `field.set` events: no migration). The
kinds are stored as their ids joined by commas, in the order of PROBLEM_KINDS. Pure data, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class _Floor(Protocol):
    @property
    def requires_now(self) -> tuple[str, ...]: ...


class _Catalogue(Protocol):
    """What of the obligation catalogue (domain/obligations.py) the danger steps read. The catalogue
    is not imported: it imports the record, which imports this module's field names."""

    def get(self, obligation_id: str) -> _Floor | None: ...

IMMEDIATE_DANGER = "immediate_danger"
PROBLEM_KINDS_FIELD = "problem_kinds"
DILEMMA_TYPE = "dilemma_type"
FRAMING_FIELDS = (IMMEDIATE_DANGER, PROBLEM_KINDS_FIELD, DILEMMA_TYPE)

# The floor a "yes" raises: the catalogue's safety floor about life (shared/DESIGN.md's minimum ids).
DANGER_FLOOR = "imminent-risk"

DANGER_QUESTION = "Is anyone in immediate danger?"
# kept to two lines at 80 columns, so that the question stays in view above the facts when a step opens
DANGER_HINT = "The client, someone near them, or you. A yes ticks the safety floor and shows its steps here."
DANGER_CHOICES = {
    "yes": "Yes: someone is in danger now",
    "no": "No",
    "unsure": "Not sure yet (treat as yes until you know)",
}
DANGER_BANNER = "SOMEONE MAY BE IN IMMEDIATE DANGER: act first, think the dilemma through afterwards."

PROBLEM_KINDS = ("ethical", "legal", "clinical", "practice")
PROBLEM_KIND_LABELS = {
    "ethical": "Ethical: what is right, where duties or values conflict",
    "legal": "Legal: what a law, regulation or court requires or permits",
    "clinical": "Clinical: a question of diagnosis, treatment or risk for a clinician",
    "practice": "Practice: agency policy, workload, procedure or skill",
}
PROBLEM_KINDS_QUESTION = "What kind of problem is it? (one or more)"
PROBLEM_KINDS_HINT = (
    "A legal question goes to the law and your agency's legal or compliance contact; a clinical one to "
    "the clinician responsible; a practice one to policy and your supervisor. Only what is left once "
    "those are answered needs weighing here."
)

DILEMMA_TYPES = {
    "true-dilemma": "A true dilemma: right against right",
    "right-vs-wrong": "Right against wrong: one course is plainly wrong",
    "unsure": "Not sure yet",
}
DILEMMA_TYPE_QUESTION = "A true dilemma, or right against wrong?"
DILEMMA_TYPE_HINT = (
    "A true dilemma sets two duties you owe against each other, and something is given up whichever you "
    "choose. Right against wrong is not a dilemma: the other course breaks a duty, a law or a code rule."
)
RIGHT_VS_WRONG_STEPS = (
    "This is not a dilemma to weigh: do the right thing.",
    "Record what was asked or proposed, what you did instead and why, and when.",
    "If anyone presses you to do the wrong thing, consult your supervisor (or the next person up, or "
    "your agency's compliance contact, if the pressure comes from your supervisor) and record that too.",
)

CHOICES: dict[str, dict[str, str]] = {IMMEDIATE_DANGER: DANGER_CHOICES, DILEMMA_TYPE: DILEMMA_TYPES}
FRAMING_LABELS = {
    IMMEDIATE_DANGER: DANGER_QUESTION,
    PROBLEM_KINDS_FIELD: "Kind of problem",
    DILEMMA_TYPE: "True dilemma or right against wrong",
}


def problem_kinds(value: str) -> list[str]:
    """The kinds a stored value names, in PROBLEM_KINDS order (unknown ids left out)."""
    named = {part.strip() for part in value.split(",")}
    return [k for k in PROBLEM_KINDS if k in named]


def kinds_value(kinds: Iterable[str]) -> str:
    """The stored value of a set of kinds: their ids joined by commas, in PROBLEM_KINDS order."""
    return ",".join(problem_kinds(",".join(kinds)))


def framing_problem(name: str, value: str) -> str | None:
    """Why `value` cannot be stored in the framing field `name` (one clause), or None if it can."""
    if value == "" or name not in FRAMING_FIELDS:
        return None
    if name == PROBLEM_KINDS_FIELD:
        parts = [part.strip() for part in value.split(",")]
        if all(parts) and all(p in PROBLEM_KINDS for p in parts) and len(set(parts)) == len(parts):
            return None
        return f"expected one or more of {', '.join(PROBLEM_KINDS)}, separated by commas (or leave it out)"
    if value in CHOICES[name]:
        return None
    return f"expected one of {', '.join(CHOICES[name])} (or leave it out)"


def danger_raised(text: dict[str, str]) -> bool:
    """The danger question was answered yes, or not sure (treated as yes until known)."""
    return text.get(IMMEDIATE_DANGER, "") in ("yes", "unsure")


def shown_framing(name: str, value: str) -> str:
    """A framing field's value as people read it (the label of each choice; "" when not answered)."""
    if name == PROBLEM_KINDS_FIELD:
        return "; ".join(PROBLEM_KIND_LABELS[k] for k in problem_kinds(value))
    return CHOICES.get(name, {}).get(value, value)


def danger_steps(catalogue: _Catalogue) -> list[str]:
    """The safety floor's steps, emergency services first (the catalogue's own order)."""
    floor = catalogue.get(DANGER_FLOOR)
    return list(floor.requires_now) if floor is not None else []
