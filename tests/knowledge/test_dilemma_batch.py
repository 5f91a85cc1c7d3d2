"""Several dilemma files as one batch: all checked before any is used, every problem of every file
named (once only the first bad file was)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ethicsdesk.knowledge.dilemma_batch import read_dilemmas
from ethicsdesk.knowledge.dilemma_files import DilemmaProblems
from tests.knowledge.test_dilemma_files import DISCHARGE, GIFT, MINIMAL


def test_one_bad_file_refuses_the_batch(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(MINIMAL.replace('key = "go"', 'key = "stay"'))
    with pytest.raises(DilemmaProblems, match=r"bad\.toml"):
        read_dilemmas([GIFT, bad, DISCHARGE])
    assert [d.id for d in read_dilemmas([GIFT, DISCHARGE])] == ["gift-from-family", "discharge-against-advice"]


def test_every_problem_of_every_file_is_named(tmp_path: Path) -> None:
    first = tmp_path / "first.toml"
    first.write_text(MINIMAL.replace('key = "go"', 'key = "stay"'))
    second = tmp_path / "second.toml"
    second.write_text('title = "only a title"\n')
    with pytest.raises(DilemmaProblems) as caught:
        read_dilemmas([first, GIFT, second, tmp_path / "missing.toml"])
    problems = caught.value.problems
    assert any(p.startswith(str(first)) for p in problems)
    assert sum(p.startswith(str(second)) for p in problems) >= 3  # each missing field, not the first only
    assert any(p.startswith(str(tmp_path / "missing.toml")) for p in problems)
    assert caught.value.summary == f"{len(problems)} problems in 3 of 4 dilemma file(s); nothing was imported."
    assert caught.value.message.startswith(caught.value.summary.split(";")[0] + ", the first: ")
