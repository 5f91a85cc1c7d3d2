"""Reading several dilemma files as one batch (`import FILE…`): every file is checked before any is
used, and a refusal names every problem of every file, as `samples validate` does (only the first
bad file was named)."""

from __future__ import annotations

from pathlib import Path

from ethicsdesk.errors import BadInput
from ethicsdesk.knowledge.dilemma_files import Dilemma, DilemmaProblems, read_dilemma


def read_dilemmas(paths: list[Path]) -> list[Dilemma]:
    """Every file checked before any is used: one bad file refuses the whole batch, and the refusal
    (DilemmaProblems) lists every problem of every file in `problems`, as `samples validate` does;
    its message is the one problem, or how many there are in how many files and the first."""
    found: list[Dilemma] = []
    problems: list[str] = []
    bad = 0
    for path in paths:
        try:
            found.append(read_dilemma(path))
        except DilemmaProblems as exc:
            problems.extend(exc.problems)
            bad += 1
        except BadInput as exc:
            problems.append(exc.message)
            bad += 1
    if len(problems) == 1:
        raise DilemmaProblems(problems[0], problems)
    if problems:
        counted = f"{len(problems)} problems in {bad} of {len(paths)} dilemma file(s)"
        first = f"{counted}, the first: {problems[0][:-1]}; nothing was imported."
        raise DilemmaProblems(first, problems, f"{counted}; nothing was imported.")
    return found
