"""Whom a case manager can consult, as the walk's windows name them: the labels, the hint
for the name, and what a committee's or colleague's answer asks of the case manager. Shared by the
Consult step and the window that asks from any step."""

from __future__ import annotations

KIND_LABELS = {"supervisor": "Supervisor", "committee": "Ethics committee", "colleague": "Colleague"}
NAME_HINTS = {
    "supervisor": "The supervisor's name (they answer in their review queue)",
    "committee": "Which committee, for example: Northside ethics committee",
    "colleague": "The colleague's name",
}
NOT_A_USER = (
    "A committee or a colleague does not answer in ethicsdesk: when they have answered, record what "
    "they told you with 'Record the answer' on this step."
)
