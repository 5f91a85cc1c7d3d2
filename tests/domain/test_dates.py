"""Reading a follow-up date (ethicsdesk/domain/dates.py): one day, kept as YYYY-MM-DD, or a sentence."""

from __future__ import annotations

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
        ("next week", "write the follow-up date as YYYY-MM-DD."),
    ],
)
def test_anything_else_is_refused_with_a_sentence(text: str, says: str) -> None:
    with pytest.raises(NotADate) as refused:
        read_follow_up(text)
    assert says in str(refused.value)
