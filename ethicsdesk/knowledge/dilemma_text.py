"""What a dilemma file's text is checked for before it is parsed: what would make the TOML parser take
too long or fail unhelpfully."""

from __future__ import annotations

import re

# tomllib takes time quadratic in the number of parts of a dotted key or table name (100,000 parts:
# 8 s; the 1 MiB limit allows 500,000), so a file with such a key is refused before it is parsed.
# The format's deepest key has 4 parts. A run of parts is looked for only where one starts (not after a
# key character, a quote or a dot), which keeps the search linear.
MAX_KEY_PARTS = 64
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_LONG_DOTTED_KEY = re.compile(
    r"""(?<![A-Za-z0-9_"'.-])""" + _KEY_PART + r"(?:[ \t]*\.[ \t]*" + _KEY_PART + f"){{{MAX_KEY_PARTS},}}"
)


def line_of_long_dotted_key(text: str) -> int | None:
    """The first line with a key of over MAX_KEY_PARTS dotted parts, or None. A match lies within a line
    and has a dot between parts: only a line of that many dots is searched (all text: a third of the parse)."""
    if text.count(".") < MAX_KEY_PARTS:
        return None
    for number, line in enumerate(text.split("\n"), start=1):
        if line.count(".") >= MAX_KEY_PARTS and _LONG_DOTTED_KEY.search(line) is not None:
            return number
    return None


# Where a decimal integer too long for int() is (it may also sit in a string; then the line is a hint).
HUGE_NUMBER = re.compile(r"(?<![0-9_])[0-9][0-9_]{4300,}")
