"""Reading a follow-up date as people write it, into the one form the record keeps (YYYY-MM-DD).

A date is read only when it can mean one day: "12/15/2026" is 15 December, "15/12/2026" too, but
"03/04/2026" could be 3 April or 4 March, and is refused with a sentence saying how to write it.
Pure Python, no I/O.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

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
    raise NotADate(
        f"'{t}' is not a date ethicsdesk can read; write the follow-up date as YYYY-MM-DD "
        "or as a period such as 'in 14 days'."
    )


def _name(year: int, month: int, day: int) -> str:
    try:
        return date(year, month, day).strftime("%-d %B")
    except ValueError:
        return f"month {month}, day {day}"


# --- a dilemma file's follow-up, which may be a date, a period or (in older files) prose ----
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fourteen": 14, "thirty": 30}
_PERIOD = re.compile(r"(?:in|within|after)\s+(\d{1,3}|[a-z]+)\s+(day|week|month)s?")
_DATE_SHAPED = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")


def read_period(text: str, today: date) -> str | None:
    """'in 14 days', 'within two weeks', 'after 3 months' as the day it falls on (YYYY-MM-DD), counted
    from `today`; None when the text is not such a period."""
    m = _PERIOD.fullmatch(" ".join(text.lower().split()).rstrip("."))
    if m is None:
        return None
    n = int(m[1]) if m[1].isdigit() else _NUMBERS.get(m[1])
    if n is None:
        return None
    if m[2] == "day":
        return date.fromordinal(today.toordinal() + n).isoformat()
    if m[2] == "week":
        return date.fromordinal(today.toordinal() + 7 * n).isoformat()
    month = today.month - 1 + n
    year, month = today.year + month // 12, month % 12 + 1
    for day in range(today.day, 0, -1):  # 31 January + 1 month is the last day of February
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            continue
    return None


def file_follow_up(text: str, today: date) -> str | None:
    """A dilemma file's follow-up as a day (a date as people write it, or a period from `today`), or
    None when it is prose (what older files hold: the import keeps it as the plan's revisit text).
    A date-shaped text that is not one day (2026-02-30, 03/04/2026) raises NotADate."""
    t = " ".join(text.split())
    period = read_period(t, today)
    if period is not None:
        return period
    try:
        return read_follow_up(t)
    except NotADate:
        if _DATE_SHAPED.fullmatch(t):
            raise
        return None


def typed_follow_up(text: str, today: date) -> str:
    """A follow-up typed in the walk or given to the command line: a date as people write it, or a
    period counted from `today` ('in 14 days', as dilemma files take it), as YYYY-MM-DD ('' stays '').
    Anything else raises NotADate with the sentence to show."""
    period = read_period(text, today)
    return period if period is not None else read_follow_up(text)


def settle_follow_up(payload: dict[str, Any], today: date) -> dict[str, Any]:
    """The dilemma as a record imports it: the reference's follow-up a day, as the walk
    keeps it. A period counts from `today`; prose (what older files hold, "a phone call the day after
    discharge") is not lost but moves to the end of the plan's revisit text, and no date is set."""
    ref = payload.get("reference")
    if not ref or not ref.get("follow_up"):
        return payload
    text = ref["follow_up"]
    day = file_follow_up(text, today)
    ref = dict(ref)
    if day is not None:
        ref["follow_up"] = day
    else:
        del ref["follow_up"]
        plan = dict(ref.get("plan", {}))
        plan["revisit"] = "\n\n".join(p for p in (plan.get("revisit", ""), text.strip()) if p)
        ref["plan"] = plan
    return {**payload, "reference": ref}
