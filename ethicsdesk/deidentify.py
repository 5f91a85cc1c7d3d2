"""De-identification of report data: masking the record's identifiers, and spotting text that looks
like an identifier nobody listed.

Reports name the client by the case code. Everything the case manager entered as an identifier
(names, numbers, dates) is replaced, wherever it occurs in the report data, by a numbered
placeholder such as "[identifier 2]". The scanner then reads what is left for things that look
like identifiers (phone numbers, e-mail addresses, dates ...), so the author can list or reword
them before the report leaves the agency. Pure Python, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

PLACEHOLDER = "[identifier {n}]"


class IdentifierMask:
    """Replaces every occurrence of the record's identifiers, whatever its case.

    One regular expression with the longest identifiers first, applied in a single pass, so that
    "Bryony Thistlewood" is masked whole before "Bryony" could be, and a placeholder is never
    masked again. An identifier must not be the middle of a longer word or number ("Al" does not
    mask "also"), but any run of spaces or line breaks matches the spaces inside it, because
    free text wraps where it likes.
    """

    def __init__(self, identifiers: Sequence[str]) -> None:
        self.numbers: dict[str, int] = {}
        for raw in identifiers:
            ident = " ".join(raw.split())
            if ident and ident.casefold() not in self.numbers:
                self.numbers[ident.casefold()] = len(self.numbers) + 1
        ordered = sorted(self.numbers, key=len, reverse=True)
        self.pattern = re.compile("|".join(_pattern_of(i) for i in ordered), re.IGNORECASE) if ordered else None

    def text(self, value: str) -> str:
        if self.pattern is None:
            return value
        return self.pattern.sub(self._placeholder, value)

    def _placeholder(self, match: re.Match[str]) -> str:
        n = self.numbers.get(" ".join(match.group(0).split()).casefold())
        return PLACEHOLDER.format(n=n if n is not None else "?")

    def value(self, data: Any) -> Any:
        """The same data with every string masked, dict keys included (option keys are made from
        labels, so a key can carry a name); structure, numbers and booleans are kept."""
        if isinstance(data, str):
            return self.text(data)
        if isinstance(data, dict):
            return {self.value(k): self.value(v) for k, v in data.items()}
        if isinstance(data, list | tuple):
            return [self.value(v) for v in data]
        return data


def _pattern_of(identifier: str) -> str:
    body = r"\s+".join(re.escape(part) for part in identifier.split(" "))
    before = r"(?<!\w)" if re.match(r"\w", identifier) else ""
    after = r"(?!\w)" if re.search(r"\w$", identifier) else ""
    return before + body + after


def mask_identifiers(data: Any, identifiers: Sequence[str]) -> Any:
    """`data` (plain view data: dicts, lists, strings) with the identifiers masked everywhere."""
    return IdentifierMask(identifiers).value(data)


# --- things that look like identifiers ------------------------------------------------------------
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_STREET = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Place|Pl|"
    r"Terrace|Close|Crescent|Highway|Hwy|Parkway|Pkwy|Square|Sq|Row|Mews|Circle|Trail|Gardens)"
)
_RECORD_WORDS = (
    r"(?:MRN|NHS|SSN|ID|medical\s+record|hospital\s+number|record|patient|chart|file|member|policy|"
    r"account|acct|claim|medicaid|medicare|insurance|case|client|licen[cs]e|passport)"
)

# In priority order: a span claimed by an earlier kind is not reported again by a later one (a
# date is not also a phone number).
LOOKALIKES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("an e-mail address", re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("a web address", re.compile(r"\b(?:(?:https?|ftp)://|www\.)[^\s<>\"']+", re.IGNORECASE)),
    ("a social security number", re.compile(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])")),
    (
        "a full date",
        re.compile(
            r"(?<![\d-])\d{4}-\d{1,2}-\d{1,2}(?![\d-])"
            r"|(?<![\d/.])\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})(?![\d/.])"
            rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?,?\s+\d{{4}}\b"
            rf"|\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b",
            re.IGNORECASE,
        ),
    ),
    (
        "a record number",
        re.compile(
            rf"\b{_RECORD_WORDS}\s*(?:no\.?|num(?:ber)?\.?|#)?\s*[:#]?\s*[A-Z]{{0,4}}[-\s]?\d[\w-]{{2,}}",
            re.IGNORECASE,
        ),
    ),
    (
        "a street address",
        re.compile(rf"\b\d{{1,5}}[A-Za-z]?\s+(?:[A-Z][\w'-]*\.?\s+){{1,4}}{_STREET}\b\.?|\bP\.?\s?O\.?\s+Box\s+\d+"),
    ),
    (
        "a phone or fax number",
        re.compile(r"(?<![\w+-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,4}){1,4}(?![\w-])"),
    ),
)

_MIN_PHONE_DIGITS, _MAX_PHONE_DIGITS = 7, 15


@dataclass(frozen=True)
class Lookalike:
    """A passage of free text that looks like an identifier but is not masked."""

    kind: str  # "a phone or fax number", ...
    text: str
    where: str  # the report's name for the field, e.g. "Situation: facts"

    def __str__(self) -> str:
        return f"{self.where}: '{self.text}' looks like {self.kind}"


def _plausible(kind: str, text: str) -> bool:
    if kind == "a phone or fax number":
        return _MIN_PHONE_DIGITS <= sum(c.isdigit() for c in text) <= _MAX_PHONE_DIGITS
    return True


def find_lookalikes(fields: Iterable[tuple[str, str]], ignore: Iterable[str] = ()) -> list[Lookalike]:
    """Identifier lookalikes in (where, text) pairs, once per field and passage, in field order.

    Passages that contain one of `ignore`, or are part of one (the record's own id, its case code
    and its listed identifiers, which a report shows on purpose), are not reported.
    """
    known = [i.casefold() for i in ignore if i]
    found: list[Lookalike] = []
    seen: set[tuple[str, str]] = set()
    for where, text in fields:
        taken: list[tuple[int, int]] = []
        for kind, pattern in LOOKALIKES:
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(start < b and a < end for a, b in taken):
                    continue
                passage = " ".join(match.group(0).split()).rstrip(".,;:")
                folded = passage.casefold()
                if not _plausible(kind, passage) or any(k in folded or folded in k for k in known):
                    continue
                taken.append((start, end))
                if (where, passage) not in seen:
                    seen.add((where, passage))
                    found.append(Lookalike(kind, passage, where))
    return found
