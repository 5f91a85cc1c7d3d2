"""Who decides, and the client's part in the decision: the fields, their choices and how
people read them. Pure data, no I/O; the record (domain/record.py) holds them as text fields.

Asked on the Decide step, beside the choice they are about, and kept as text fields (the
`record_texts` name/value table: no migration). Two of them are a choice from a short list, so a
check can read them (domain/checks.py `_client_part`); an empty value means "not answered yet".
"""

from __future__ import annotations

CLIENT_PART_FIELDS = ("decision_maker", "client_involved", "client_informed")
# Who decides keeps the client's own care decision (the client, shared, a surrogate, the treating
# physician, a court or protective agency) apart from an action that is the professional's to take:
# the case manager's or the team's judgement, or a professional duty that a legal or safety floor
# imposes (a mandated report, a duty to protect, an emergency call), which is not the client's to make.
DECISION_MAKERS = (
    "client",
    "shared",
    "surrogate",
    "treating-physician",
    "court-or-agency",
    "case-manager",
    "team",
    "duty",
)
CLIENT_INVOLVEMENT = ("yes", "partly", "no", "unknown")
FIELD_CHOICES: dict[str, tuple[str, ...]] = {
    "decision_maker": DECISION_MAKERS,
    "client_involved": CLIENT_INVOLVEMENT,
}
# How the walk, `show` and the reports word each choice (one wording everywhere).
CHOICE_LABELS: dict[str, dict[str, str]] = {
    "decision_maker": {
        "client": "The client",
        "shared": "Shared: the client with the case manager or team",
        "surrogate": "A surrogate (proxy, guardian or parent)",
        "treating-physician": "The treating physician",
        "court-or-agency": "A court or protective agency",
        "case-manager": "The case manager",
        "team": "The team",
        "duty": "A professional duty (legal or safety floor)",
    },
    "client_involved": {
        "yes": "Yes",
        "partly": "Partly (heard, but did not decide)",
        "no": "No",
        "unknown": "Not known",
    },
}
CLIENT_PART_LABELS = {
    "decision_maker": "Who decides",
    "client_involved": "Did the client take part in the decision?",
    "client_informed": "Whether and how the client is told",
}


def shown_value(name: str, value: str) -> str:
    """A field's value as people read it: a choice by its label, any other text as it is."""
    return CHOICE_LABELS.get(name, {}).get(value, value)


def choice_problem(name: str, value: str) -> str | None:
    """Why `value` cannot be stored in the choice field `name` (one clause), or None if it can."""
    choices = FIELD_CHOICES.get(name)
    if choices is None or value == "" or value in choices:
        return None
    return f"expected one of {', '.join(choices)} (or leave it out)"
