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
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

PLACEHOLDER = "[identifier {n}]"


def _is_invisible(char: str) -> bool:
    """A format character (soft hyphen U+00AD, zero-width space U+200B, joiners, bidi marks, the
    byte-order mark): invisible on the page, so "Ann\u00adika" reads as the listed "Annika"."""
    return unicodedata.category(char) == "Cf"


# Dashes NFKC keeps apart from "-": a number written with a non-breaking hyphen reads the same.
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"))


def _clusters(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, characters) of each base character with the combining marks and format
    characters that follow it, so "e" + U+0301 composes to "é" as one unit."""
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or not (unicodedata.combining(text[i]) or _is_invisible(text[i])):
            yield start, i, text[start:i]
            start = i


def _folded(text: str, *, skeleton: bool = False) -> tuple[str, list[int], list[int]]:
    """The text as it reads, for matching: NFKC (one form for composed and decomposed accents, for
    full-width letters and ligatures), format characters dropped, case folded ("ß" reads as "ss");
    with `skeleton`, accents dropped too. Each character of the result maps to the start and end of
    the run of the original it came from, so a match found here masks exactly that run there."""
    if text.isascii():  # no format characters, no accents, NFKC changes nothing, one case per letter
        return text.lower(), list(range(len(text))), list(range(1, len(text) + 1))
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end, run in _clusters(text):
        seen = "".join(c for c in run if not _is_invisible(c))
        if skeleton:
            seen = "".join(c for c in unicodedata.normalize("NFKD", seen) if not unicodedata.combining(c))
        seen = unicodedata.normalize("NFKC", seen).casefold().translate(_DASHES)
        out.append(seen)
        starts += [start] * len(seen)
        ends += [end] * len(seen)
    return "".join(out), starts, ends


def _key(identifier: str, *, skeleton: bool = False) -> str:
    return " ".join(_folded(identifier, skeleton=skeleton)[0].split()).casefold()


class IdentifierMask:
    """Replaces every occurrence of the record's identifiers, whatever its case or Unicode form.

    One regular expression with the longest identifiers first, applied in a single pass, so that
    "Bryony Thistlewood" is masked whole before "Bryony" could be, and a placeholder is never
    masked again. An identifier must not be the middle of a longer word or number ("Al" does not
    mask "also"), but any run of spaces or line breaks matches the spaces inside it, because
    free text wraps where it likes. Text and identifiers are matched as they read (`_folded`): a
    soft hyphen, a zero-width space or a decomposed accent inside a name no longer hides it.
    """

    def __init__(self, identifiers: Sequence[str]) -> None:
        self.numbers: dict[str, int] = {}
        self.listed: dict[str, str] = {}  # skeleton -> the identifier as listed, for near-misses
        for raw in identifiers:
            ident = _key(raw)
            if ident and ident not in self.numbers:
                self.numbers[ident] = len(self.numbers) + 1
                self.listed.setdefault(_key(raw, skeleton=True), " ".join(raw.split()))
        self.pattern = _alternation(self.numbers)
        self.near_pattern = _alternation(self.listed)
        self._masked: dict[str, str] = {}
        self._needles = _needles(self.numbers)

    def text(self, value: str) -> str:
        if self.pattern is None:
            return value
        # A report repeats its words (keys, principle names, labels): each is masked once.
        done = self._masked.get(value)
        if done is None:
            done = self._masked[value] = self._mask(value)
        return done

    def _mask(self, value: str) -> str:
        pattern = self.pattern
        assert pattern is not None  # text() asks only when there are identifiers to mask
        if value.isascii():
            low = value.lower()
            if self._needles is not None and not any(needle in low for needle in self._needles):
                return value  # no identifier can match: a substring test is far cheaper than the pattern
            if pattern.search(low) is None:
                return value  # the usual case, without mapping each character back (_folded)
        folded, starts, ends = _folded(value)
        out: list[str] = []
        done = 0
        for match in pattern.finditer(folded):
            start, end = starts[match.start()], ends[match.end() - 1]
            out += [value[done:start], self._placeholder(match)]
            done = end
        return "".join(out) + value[done:] if out else value

    def _placeholder(self, match: re.Match[str]) -> str:
        n = self.numbers.get(" ".join(match.group(0).split()).casefold())
        return PLACEHOLDER.format(n=n if n is not None else "?")

    def near_misses(self, value: str) -> list[tuple[str, str]]:
        """(passage, identifier as listed) for each passage of `value` that is a listed identifier
        but for its accents ("Zoe" for "Zoë"), and so is not masked: the author should list it too."""
        if self.near_pattern is None:
            return []
        folded, starts, ends = _folded(value, skeleton=True)
        found = []
        for match in self.near_pattern.finditer(folded):
            passage = value[starts[match.start()] : ends[match.end() - 1]]
            found.append((" ".join(passage.split()), self.listed[" ".join(match.group(0).split()).casefold()]))
        return found

    def value(self, data: Any) -> Any:
        """The same data with every string masked, dict keys included (option keys are made from
        labels, so a key can carry a name); structure, numbers and booleans are kept."""
        if self.pattern is None:
            return _copied(data)
        if len(self._masked) > _MEMO_LIMIT:
            self._masked.clear()  # a mask kept for many reports keeps its memory bounded
        return self._walk(data)

    def _walk(self, data: Any) -> Any:
        # A report's view holds about 1,400 values: exact types first (the view is plain data), the
        # memo read inline, so the walk costs little beside the strings that need the pattern.
        kind = type(data)
        if kind is str:
            return self._masked.get(data) or self.text(data)
        walk, memo, text = self._walk, self._masked, self.text
        if kind is dict:
            return {
                (memo.get(k) or text(k)) if type(k) is str else walk(k): (
                    (memo.get(v) or text(v)) if type(v) is str else walk(v)
                )
                for k, v in data.items()
            }
        if kind is list or kind is tuple:
            return [(memo.get(v) or text(v)) if type(v) is str else walk(v) for v in data]
        if isinstance(data, str):
            return self.text(data)
        if isinstance(data, dict):
            return {self._walk(k): self._walk(v) for k, v in data.items()}
        if isinstance(data, list | tuple):
            return [self._walk(v) for v in data]
        return data


_MEMO_LIMIT = 50_000


def _copied(data: Any) -> Any:
    """`data` with its structure copied as `IdentifierMask.value` gives it (tuples become lists),
    nothing masked: the walk of a record with no identifiers."""
    if isinstance(data, dict):
        return {_copied(k): _copied(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_copied(v) for v in data]
    return data


def _needles(identifiers: Iterable[str]) -> tuple[str, ...] | None:
    """For each identifier, the longest of its words made only of ASCII: in ASCII text lowered, a
    match of the identifier contains that word as it is. None when an identifier has no such word
    (a non-ASCII letter such as the dotless "ı" can match an ASCII one when case is ignored)."""
    needles = []
    for ident in identifiers:
        words = [w for w in ident.split(" ") if w.isascii()]
        if not words:
            return None
        needles.append(max(words, key=len))
    return tuple(needles)


def _alternation(identifiers: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted(identifiers, key=len, reverse=True)
    return re.compile("|".join(_pattern_of(i) for i in ordered), re.IGNORECASE) if ordered else None


def _pattern_of(identifier: str) -> str:
    body = r"\s+".join(re.escape(part) for part in identifier.split(" "))
    before = r"(?<!\w)" if re.match(r"\w", identifier) else ""
    after = r"(?!\w)" if re.search(r"\w$", identifier) else ""
    return before + body + after


def mask_identifiers(data: Any, identifiers: Sequence[str]) -> Any:
    """`data` (plain view data: dicts, lists, strings) with the identifiers masked everywhere."""
    return mask_for(tuple(identifiers)).value(data)


@lru_cache(maxsize=64)
def mask_for(identifiers: tuple[str, ...]) -> IdentifierMask:
    """The mask of these identifiers, made once: its patterns are compiled and its memo of masked
    strings (the view's labels, the framework's and the catalogue's words, which every report
    repeats) kept from one report to the next, for as long as records listing the same identifiers
    are exported (many reports in one process: the app, a batch). Masking depends on nothing else."""
    return IdentifierMask(identifiers)


def find_near_misses(fields: Iterable[tuple[str, str]], identifiers: Sequence[str]) -> list[Lookalike]:
    """Passages of (masked) free text that spell a listed identifier with other accents, once per
    field and passage: masking leaves them, so the author is warned before the report leaves."""
    mask = mask_for(tuple(identifiers))
    found: list[Lookalike] = []
    seen: set[tuple[str, str]] = set()
    for where, text in fields:
        for passage, listed in mask.near_misses(text):
            if (where, passage) not in seen:
                seen.add((where, passage))
                found.append(Lookalike(f"the listed identifier '{listed}' spelled another way", passage, where))
    return found


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
