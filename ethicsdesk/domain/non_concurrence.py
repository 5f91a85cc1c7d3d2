"""After the decision: when the one consulted does not concur, and what the case itself cost the
case manager (moral distress, self-care). Pure data, no I/O.

A "do not concur" answer is a consultation outcome (record.CONSULTATION_OUTCOMES), recorded by the
supervisor in the review screen or written in for a committee or colleague; `non_concurrences` finds
them, and the Consult and Outcome steps, `show` and the reports list the next steps under them.
Moral distress is a text field of the Outcome step (a row of `record_texts`: no migration).
"""

from __future__ import annotations

from ethicsdesk.domain.record import Consultation, RecordState

DO_NOT_CONCUR = "do-not-concur"

NON_CONCURRENCE_TITLE = "When the one consulted does not concur"
NON_CONCURRENCE_STEPS = (
    "Talk it through first: ask what they would do instead and why, and whether a change to your plan "
    "would meet their concern; record what you agreed.",
    "If you still disagree and the question matters to the client, take it one level up: the next manager "
    "in your agency's line, or its clinical or compliance lead, as its policy says.",
    "Ask the ethics committee (or an ethics consultation service) for advice: ctrl+o asks it from any step, "
    "and its answer is kept with the record.",
    "Document the disagreement: your reasons and theirs, in your own words and fairly, who decided in the "
    "end and on what authority. Neither view is removed from the record.",
    "Nothing here delays a step a floor makes yours now: an emergency call or a mandated report is made "
    "whatever the consultation says.",
)

MORAL_DISTRESS = "moral_distress"
MORAL_DISTRESS_LABEL = "Moral distress and self-care"
MORAL_DISTRESS_HINT = (
    "What this case cost you: did you know the right thing and feel kept from doing it? What will you do "
    "to look after yourself (debrief, supervision, peer support, time off)? NACM 14 asks case managers "
    "to care for themselves and keep work and life in balance."
)


def non_concurrences(state: RecordState) -> list[Consultation]:
    """Every answered consultation whose outcome is "do not concur", in the order asked."""
    return [c for c in state.consultations if c.state == "answered" and c.outcome == DO_NOT_CONCUR]


def non_concurrence_text(state: RecordState) -> str:
    """The next steps as the walk shows them where someone did not concur; "" where nobody did."""
    found = non_concurrences(state)
    if not found:
        return ""
    names = ", ".join(c.supervisor for c in found)
    steps = [f"{n}. {step}" for n, step in enumerate(NON_CONCURRENCE_STEPS, 1)]
    return "\n".join([f"{NON_CONCURRENCE_TITLE} ({names} did not):", *steps])
