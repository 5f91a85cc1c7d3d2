"""Reading a follow-up date as people write it, into the one form the record keeps (YYYY-MM-DD).

A date is read only when it can mean one day: "12/15/2026" is 15 December, "15/12/2026" too, but
"03/04/2026" could be 3 April or 4 March, and is refused with a sentence saying how to write it.
Pure Python, no I/O.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    name: n
    for n, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")),
        1,
    )
    for name in names
}


class NotADate(ValueError):
    """The text cannot be read as one day; str() is the sentence to show."""


def _day(year: int, month: int, day: int, text: str) -> str:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise NotADate(f"'{text}' is not a date on the calendar; write it as YYYY-MM-DD.") from None


def read_follow_up(text: str) -> str:
    """`text` as YYYY-MM-DD ('' stays ''), or NotADate with a sentence saying what to write."""
    t = " ".join(text.split())
    if not t:
        return ""
    if m := re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", t):
        return _day(int(m[1]), int(m[2]), int(m[3]), t)
    if m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", t):
        a, b, year = int(m[1]), int(m[2]), int(m[3])
        if a > 12 >= b:
            return _day(year, b, a, t)
        if b > 12 >= a:
            return _day(year, a, b, t)
        if a == b:
            return _day(year, a, b, t)
        raise NotADate(
            f"'{t}' could be {_name(year, a, b)} or {_name(year, b, a)}; write it as YYYY-MM-DD."
        )
    words = t.lower().replace(",", " ").split()
    if len(words) == 3 and words[2].isdigit() and len(words[2]) == 4:
        first, second, year_text = words
        if first.rstrip("stndrh").isdigit() and second in MONTHS:
            return _day(int(year_text), MONTHS[second], int(first.rstrip("stndrh")), t)
        if first in MONTHS and second.rstrip("stndrh").isdigit():
            return _day(int(year_text), MONTHS[first], int(second.rstrip("stndrh")), t)
    raise NotADate(f"'{t}' is not a date ethicsdesk can read; write the follow-up date as YYYY-MM-DD.")


def _name(year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).strftime("%-d %B")
    except ValueError:
        return f"month {month}, day {day}"
