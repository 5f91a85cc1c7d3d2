"""What a check finds missing in a record (`Finding`), and how the checks name several things in one
sentence: the shared vocabulary of checks.py and its neighbours."""

from __future__ import annotations

from dataclasses import dataclass

from ethicsdesk.domain.walk import StepId


@dataclass(frozen=True)
class Finding:
    id: str
    step: StepId  # every Finding names the step that can mend it
    text: str
    subject: str = ""  # the option, principle, obligation or item concerned, when there is one


def join_names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
