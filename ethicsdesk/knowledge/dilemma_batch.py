"""Reading several dilemma files as one batch (`import FILE…`): every file is checked before any is
used, and a refusal names every problem of every file, as `samples validate` does (only the first
bad file was named)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ethicsdesk.errors import BadInput
from ethicsdesk.knowledge.dilemma_files import Dilemma, DilemmaProblems, read_dilemma


@contextmanager
def collection_paused() -> Iterator[None]:
    """The cyclic garbage collector held off while a batch is built: the batch's many new objects are
    not garbage, yet their allocation set off collections that walked the whole heap again and again
    (a third of an import of 5,000 small files). Cycles left meanwhile go at the next collection."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_dilemmas(paths: list[Path]) -> list[Dilemma]:
    """Every file checked before any is used: one bad file refuses the whole batch, and the refusal
    (DilemmaProblems) lists every problem of every file in `problems`, as `samples validate` does;
    its message is the one problem, or how many there are in how many files and the first."""
    found: list[Dilemma] = []
    problems: list[str] = []
    bad = 0
    with collection_paused():
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
