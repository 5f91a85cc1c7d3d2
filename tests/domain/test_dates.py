"""Reading a follow-up date (ethicsdesk/domain/dates.py): one day, kept as YYYY-MM-DD, or a sentence."""

from __future__ import annotations

from datetime import date

import pytest

from ethicsdesk.domain.dates import NotADate, read_follow_up


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("2026-12-15", "2026-12-15"),
        ("2026-1-5", "2026-01-05"),
        ("12/15/2026", "2026-12-15"),  # the case the issue found: accepted under a YYYY-MM-DD hint, kept as typed
        ("15/12/2026", "2026-12-15"),
        ("15 December 2026", "2026-12-15"),
        ("Dec 15, 2026", "2026-12-15"),
        ("  ", ""),
    ],
)
def test_a_date_that_means_one_day_is_kept_in_one_form(text: str, kept: str) -> None:
    assert read_follow_up(text) == kept


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("03/04/2026", "could be 4 March or 3 April; write it as YYYY-MM-DD."),
        ("2026-02-30", "is not a date on the calendar"),
        ("next week", "write the follow-up date as YYYY-MM-DD or as a period such as 'in 14 days'."),
    ],
)
def test_anything_else_is_refused_with_a_sentence(text: str, says: str) -> None:
    with pytest.raises(NotADate) as refused:
        read_follow_up(text)
    assert says in str(refused.value)


# --- a dilemma file's follow-up: a date, a period from the day of import, or prose ----------
def test_a_period_is_the_day_it_falls_on() -> None:
    from ethicsdesk.domain.dates import read_period

    today = date(2026, 1, 31)
    assert read_period("in 14 days", today) == "2026-02-14"
    assert read_period("Within two weeks", today) == "2026-02-14"
    assert read_period("after 1 month", today) == "2026-02-28"  # the last day of a shorter month
    assert read_period("in 12 months", today) == "2027-01-31"
    assert read_period("in a fortnight", today) is None
    assert read_period("a call in 3 days' time", today) is None


def test_a_files_follow_up_is_a_day_or_prose() -> None:
    from ethicsdesk.domain.dates import NotADate, file_follow_up

    today = date(2026, 1, 31)
    assert file_follow_up("15 December 2026", today) == "2026-12-15"
    assert file_follow_up("in 3 days", today) == "2026-02-03"
    assert file_follow_up("A phone call the day after discharge.", today) is None
    with pytest.raises(NotADate):
        file_follow_up("2026-02-30", today)


def test_a_typed_follow_up_is_a_date_or_a_period() -> None:
    from ethicsdesk.domain.dates import typed_follow_up

    today = date(2026, 1, 31)
    assert typed_follow_up("in 14 days", today) == "2026-02-14"
    assert typed_follow_up("15 December 2026", today) == "2026-12-15"
    assert typed_follow_up("", today) == ""
    for refused in ("2027-02-30", "A phone call the day after discharge."):
        with pytest.raises(NotADate):
            typed_follow_up(refused, today)
