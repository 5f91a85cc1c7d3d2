"""The plain-text views (`show`, `samples show`) in 78 columns: a long option or debrief question
wraps under its own text, never back to the terminal's left edge."""

from __future__ import annotations

import re

from ethicsdesk.knowledge.dilemma_files import read_dilemma
from ethicsdesk.reporting.plain_text import dilemma_text
from ethicsdesk.reporting.text_layout import PAGE_WIDTH
from tests.conftest import DILEMMAS


def test_samples_show_wraps_options_and_questions_with_hanging_indents() -> None:
    dilemma = read_dilemma(DILEMMAS / "threat-to-third-party.toml")
    lines = dilemma_text(dilemma).splitlines()
    assert all(len(line) <= PAGE_WIDTH for line in lines), [line for line in lines if len(line) > PAGE_WIDTH]
    for n in range(1, len(dilemma.data.options) + 1):
        at = next(i for i, line in enumerate(lines) if line.startswith(f"  {n}. "))
        assert lines[at + 1].startswith(" " * len(f"  {n}. ")) and lines[at + 1][len(f"  {n}. ")] != " "
    question = next(i for i, line in enumerate(lines) if line.startswith("  - Which facts here"))
    assert re.match(r"    \S", lines[question + 1])
    for label in ("Tags: ", "Obligations: "):
        at = next(i for i, line in enumerate(lines) if line.startswith(label))
        assert lines[at + 1].startswith("  ")
