"""Sources and plan in dilemma files: `[[reference.sources]]`, `[reference.plan]`, and a follow-up that is a
date, a period counted from the day of import, or (in older files) prose that moves to the plan."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ethicsdesk.domain.dates import settle_follow_up
from ethicsdesk.knowledge.dilemma_files import read_dilemma
from tests.knowledge.test_dilemma_files import COSTED, refusal

PLANNED = (
    COSTED.replace('follow_up = "In a week."\n', 'follow_up = "in 14 days"\n')
    + """
[reference.plan]
actions = "The case manager calls on Monday."
communication = "The client hears it first, then the team."
revisit = "If the client asks to stay."

[[reference.sources]]
kind = "code"
detail = "NACM 2"

[[reference.sources]]
kind = "colleague"
detail = "The team lead, on Friday"
"""
)
TODAY = date(2026, 1, 31)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "planned.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_sources_and_a_plan_are_read_into_the_payload(tmp_path: Path) -> None:
    ref = read_dilemma(write(tmp_path, PLANNED)).payload()["reference"]
    assert ref["sources"] == [
        {"kind": "code", "detail": "NACM 2"},
        {"kind": "colleague", "detail": "The team lead, on Friday"},
    ]
    assert ref["plan"] == {
        "actions": "The case manager calls on Monday.",
        "communication": "The client hears it first, then the team.",
        "revisit": "If the client asks to stay.",
    }


def test_a_file_without_them_still_validates(tmp_path: Path) -> None:
    ref = read_dilemma(write(tmp_path, COSTED)).data.reference
    assert ref is not None
    assert (ref.sources, ref.plan) == ([], None)


@pytest.mark.parametrize(
    ("written", "settled"),
    [
        ('"in 14 days"', "2026-02-14"),
        ('"within two weeks"', "2026-02-14"),
        ('"In a week."', "2026-02-07"),
        ('"after 1 month"', "2026-02-28"),
        ('"2026-12-15"', "2026-12-15"),
        ("2026-12-15", "2026-12-15"),  # a TOML date
    ],
)
def test_a_follow_up_date_or_period_becomes_a_date_at_import(tmp_path: Path, written: str, settled: str) -> None:
    text = COSTED.replace('follow_up = "In a week."', f"follow_up = {written}")
    payload = settle_follow_up(read_dilemma(write(tmp_path, text)).payload(), TODAY)
    assert payload["reference"]["follow_up"] == settled
    assert "plan" not in payload["reference"]


def test_a_prose_follow_up_still_imports_and_moves_to_the_plans_revisit_text(tmp_path: Path) -> None:
    prose = "A phone call the day after discharge; a home visit soon."
    text = PLANNED.replace('follow_up = "in 14 days"', f'follow_up = "{prose}"')
    payload = settle_follow_up(read_dilemma(write(tmp_path, text)).payload(), TODAY)
    ref = payload["reference"]
    assert "follow_up" not in ref
    assert ref["plan"]["revisit"] == f"If the client asks to stay.\n\n{prose}"
    assert ref["plan"]["actions"] == "The case manager calls on Monday."


@pytest.mark.parametrize(
    ("old", "new", "field", "expected"),
    [
        ('kind = "code"', 'kind = "gossip"', "reference.sources[1].kind", "expected one of the kinds of source"),
        ('detail = "NACM 2"', 'detail = ""', "reference.sources[1].detail", "at least 1 character"),
        ('revisit = "If', 'colour = "red"\nrevisit = "If', "reference.plan.colour", "not part of the format"),
        ('follow_up = "in 14 days"', 'follow_up = "03/04/2026"', "reference.follow_up", "could be"),
        ('follow_up = "in 14 days"', 'follow_up = "2026-02-30"', "reference.follow_up", "not a date on the calendar"),
        ('follow_up = "in 14 days"', "follow_up = 14", "reference.follow_up", "valid string"),
    ],
)
def test_a_bad_value_is_refused_in_one_sentence_naming_file_and_field(
    tmp_path: Path, old: str, new: str, field: str, expected: str
) -> None:
    assert old in PLANNED
    message = refusal(write(tmp_path, PLANNED.replace(old, new, 1)))
    assert f": {field}: " in message and expected in message, message


def test_more_sources_than_the_cap_are_refused(tmp_path: Path) -> None:
    many = "".join(f'\n[[reference.sources]]\nkind = "other"\ndetail = "Source {n}"\n' for n in range(31))
    assert "at most 30 sources" in refusal(write(tmp_path, COSTED + many))


def test_the_kinds_a_file_takes_are_the_kinds_the_record_keeps() -> None:
    from typing import get_args

    from ethicsdesk.domain.record import SOURCE_KINDS
    from ethicsdesk.knowledge.dilemma_files import SourceIn

    assert get_args(SourceIn.model_fields["kind"].annotation) == SOURCE_KINDS


def test_samples_show_lists_the_references_sources_plan_and_follow_up() -> None:
    from ethicsdesk.reporting.plain_text import dilemma_text
    from tests.knowledge.test_dilemma_files import DISCHARGE

    text = dilemma_text(read_dilemma(DISCHARGE))
    assert "Sources consulted:\n  - code: NACM 1 and NACM 2: his dignity" in text
    assert "Plan: who does what, by when:" in text and "Plan: revisit if:" in text
    assert "Follow-up:\n  in 7 days" in text


def test_a_document_of_the_case_file_is_a_kind_of_source(tmp_path: Path) -> None:
    """`document`: the case file's own papers (a proxy form, an OT report), added to the kinds."""
    text = PLANNED.replace(
        'kind = "colleague"\ndetail = "The team lead, on Friday"', 'kind = "document"\ndetail = "OT report"'
    )
    ref = read_dilemma(write(tmp_path, text)).payload()["reference"]
    assert ref["sources"][1] == {"kind": "document", "detail": "OT report"}
    message = refusal(write(tmp_path, PLANNED.replace('kind = "code"', 'kind = "book"', 1)))
    assert "document" in message and "literature" in message, message
