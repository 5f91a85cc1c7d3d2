"""The prompts of the Decide step as data: the justification conditions of principlism, the tests
of the chosen action and the decisional-conflict (SURE) items, with the keys their answers are kept
under in RecordState.answers (see ethicsdesk.domain.checks). Pure data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prompt:
    id: str
    title: str
    question: str
    fails_on: str = "no"  # for a yes/no test: the answer that fails it (most are failed by "no")


# The justification conditions of principlism, asked for each principle the chosen option
# compromises: infringing a principle is defensible only when all of them hold.
JUSTIFICATION_CONDITIONS: tuple[Prompt, ...] = (
    Prompt(
        "good-reason",
        "A good reason",
        "Why does the principle you act on outweigh, in this case, the one you are compromising?",
    ),
    Prompt(
        "prospect-of-success",
        "A realistic prospect of success",
        "How likely is the chosen option to achieve what it is chosen for, and on what evidence?",
    ),
    Prompt(
        "no-better-alternative",
        "No morally preferable alternative",
        "Which other options could reach the same aim with less compromise, and why are they not available?",
    ),
    Prompt(
        "least-infringement",
        "The least infringement",
        "How have you kept the compromise as small as the aim allows (in scope, time and what is shared)?",
    ),
    Prompt(
        "harm-minimised",
        "Harm minimised",
        "What will you do to soften the effects of the compromise on the client and on others?",
    ),
)

# Tests of the chosen action, each answered yes or no.
ACTION_TESTS: tuple[Prompt, ...] = (
    Prompt(
        "publicity",
        "Publicity",
        "Would you be at ease if this action and your reasons for it were made public?",
    ),
    Prompt(
        "justice",
        "Justice",
        "Would you do the same for another client in the same circumstances?",
    ),
    Prompt(
        "universality",
        "Universality",
        "Would you advise a colleague facing the same situation to act the same way?",
    ),
    # Honest with oneself (NACM 12) and objective (CCMC Principle 3), with respect for the client's
    # difference (NACM 11): liking a client more skews a choice as surely as liking them less, and so
    # does a background unlike one's own. Asked the other way round from the three above, as case
    # managers are taught it, so "yes" is the answer that fails it.
    Prompt(
        "liking",
        "Liking",
        "Would your answer change if the client were someone you like more or less, or someone who differs "
        "from you (in culture, faith, class or way of life)?",
        fails_on="yes",
    ),
)

# A short decisional-conflict check in the spirit of the SURE test; a "no" signals conflict.
SURE_ITEMS: tuple[Prompt, ...] = (
    Prompt("sure", "Sure", "Do you feel confident that this is the right choice?"),
    Prompt("understood", "Understood", "Do you understand the options and what each would mean for the client?"),
    Prompt(
        "risks-benefits",
        "Risks and benefits",
        "Is it clear to you which risks and benefits matter most in this case?",
    ),
    Prompt(
        "supported",
        "Supported",
        "Do you have enough support and advice (supervisor, team, policy) to make this choice?",
    ),
)

_YES = frozenset({"yes", "y", "true"})
_NO = frozenset({"no", "n", "false"})


def action_test_key(test: str) -> str:
    return f"test:{test}"


def sure_key(item: str) -> str:
    return f"sure:{item}"


def is_yes(answer: str | None) -> bool:
    return (answer or "").strip().lower() in _YES


def is_no(answer: str | None) -> bool:
    return (answer or "").strip().lower() in _NO
