"""The plain TOML that dilemma files are written in, read without `tomllib`'s character-by-character
walk (five sixths of an import of small files was that walk).

`loads` reads a strict subset: bare keys (`title = …`), `[table]` and `[[array]]` headers of bare
keys, strings without escapes (one-line and `\"\"\"` ones), one-line literal strings, decimal integers,
booleans and arrays of one-line strings. It returns exactly the dictionary `tomllib.loads` would,
or None for any text it is not sure of; the caller then parses that text with `tomllib`, so every
refusal, and its wording, is still tomllib's. Whatever TOML forbids (a key or a table defined
twice, a value in place of a table, a control character) is declined here, never read differently.
"""

from __future__ import annotations

import re
from typing import Any

# No text read here holds a control character but the newline between lines (no tab, which TOML allows
# in places this reader does not look at, and no "\r", so that every line ends with "\n" alone): each
# run of text below stops at one, and the line then fails to match and is left to tomllib.
_CONTROL = r"\x00-\x1f\x7f"
_UNUSUAL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")  # the same within a multi-line string, where newlines belong
_COMMENT = rf"(?:#[^{_CONTROL}]*)?"
_BLANKS = rf"(?:[ ]*{_COMMENT}(?:\n|\Z))*"  # blank lines and comments
_BLANK_LINES = re.compile(_BLANKS)
# the end of a line, and the blank lines after it
_LINE_END = re.compile(rf"[ ]*{_COMMENT}(?:\n|\Z)" + _BLANKS)
_BARE = r"[A-Za-z0-9_-]+"
_KEY = re.compile(rf"({_BARE})[ ]*=[ ]*")
_TEXT = rf'"([^"\\{_CONTROL}]*)"'  # a one-line string without escapes
_BASIC = re.compile(_TEXT)
_LITERAL = re.compile(rf"'([^'{_CONTROL}]*)'")
# At most 18 digits (always within a 64-bit integer); no sign but "-", no leading zero, no "_".
_DIGITS = r"-?(?:0|[1-9][0-9]{0,17})"
_INTEGER = re.compile(_DIGITS)
_BOOLEAN = re.compile(r"true|false")
# The commonest lines, to their end and the blank lines after: `key = "text"` (a text in """ fails it:
# after "" comes a quote, not the line's end), `key = 2`, `[[array.of.tables]]` and `[table]`; one
# match a line.
_PATH = rf"{_BARE}(?:\.{_BARE})*"
_COMMON_LINE = re.compile(
    rf"(?:({_BARE})[ ]*=[ ]*(?:{_TEXT}|({_DIGITS}))|\[\[({_PATH})\]\]|\[({_PATH})\])[ ]*{_COMMENT}(?:\n|\Z)"
    + _BLANKS
)
_ARRAY_SPACE = re.compile(r"[ \n]*")


class _Unsure(Exception):
    """The text holds something this reader leaves to tomllib."""


def loads(text: str) -> dict[str, Any] | None:
    """What `tomllib.loads(text)` returns, or None where this reader leaves the text to tomllib."""
    try:
        return _Reader(text).read()
    except _Unsure:
        return None


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.root: dict[str, Any] = {}
        self.declared: set[tuple[str, ...]] = set()  # paths of [table] headers: none may come twice
        self.arrays: set[int] = set()  # ids of the lists that [[array]] headers made (others are values)

    def read(self) -> dict[str, Any]:
        text, end = self.text, len(self.text)
        table = self.root
        pos = _BLANK_LINES.match(text).end()  # type: ignore[union-attr]  # matches empty text too
        while pos < end:
            line = _COMMON_LINE.match(text, pos)
            if line is None:  # any other value, to its line's end
                pos = self._key_value(table, pos)
                line_end = _LINE_END.match(text, pos)
                if line_end is None:
                    raise _Unsure
                pos = line_end.end()
                continue
            name, text_value, digits, array_path, table_path = line.groups()
            if name is not None:
                if name in table:
                    raise _Unsure  # a value defined twice, or over a table
                table[name] = text_value if digits is None else int(digits)
            elif array_path is not None:
                table = self._array_item(array_path)
            else:
                table = self._table(table_path)
            pos = line.end()
        return self.root

    def _array_item(self, path: str) -> dict[str, Any]:
        """A new table at the end of the array of tables `[[path]]`."""
        *parents, last = path.split(".")
        parent = self._table_at(parents)
        if last not in parent:
            parent[last] = []
            self.arrays.add(id(parent[last]))
        items = parent[last]
        if id(items) not in self.arrays:
            raise _Unsure  # a value or a table already holds the name
        items.append({})
        return items[-1]

    def _table(self, path: str) -> dict[str, Any]:
        """The table `[path]`, declared once."""
        names = tuple(path.split("."))
        if names in self.declared:
            raise _Unsure  # a table declared twice
        self.declared.add(names)
        return self._table_at(list(names))

    def _table_at(self, path: list[str]) -> dict[str, Any]:
        """The table at `path`, made as TOML makes the tables a header implies. A path through an
        array of tables (its last element in TOML) or through a value is left to tomllib."""
        table = self.root
        for name in path:
            inner = table.setdefault(name, {})
            if type(inner) is not dict:
                raise _Unsure
            table = inner
        return table

    def _key_value(self, table: dict[str, Any], pos: int) -> int:
        text = self.text
        key = _KEY.match(text, pos)
        if key is None:
            raise _Unsure
        name, pos = key.group(1), key.end()
        if name in table:
            raise _Unsure  # a value defined twice, or over a table
        value, pos = self._value(pos)
        table[name] = value
        return pos

    def _value(self, pos: int) -> tuple[Any, int]:
        text = self.text
        first = text[pos : pos + 1]
        if first == '"':
            if text.startswith('"""', pos):
                return self._multiline(pos + 3)
            found = _BASIC.match(text, pos)
        elif first == "'":
            found = None if text.startswith("'''", pos) else _LITERAL.match(text, pos)
        elif first == "[":
            return self._array(pos + 1)
        elif first in ("t", "f"):
            found = _BOOLEAN.match(text, pos)
            if found is None:
                raise _Unsure
            return found.group() == "true", found.end()
        else:
            found = _INTEGER.match(text, pos)
            if found is None:
                raise _Unsure
            return int(found.group()), found.end()
        if found is None:
            raise _Unsure
        return found.group(1), found.end()

    def _multiline(self, start: int) -> tuple[str, int]:
        """A \"\"\" string without escapes (a backslash is left to tomllib), its first newline dropped
        as TOML says; one that ends in quotes (\"\"\"\" and more) is left to tomllib too."""
        text = self.text
        close = text.find('"""', start)
        if close < 0 or text.startswith('"', close + 3):
            raise _Unsure
        body = text[start:close]
        if "\\" in body or _UNUSUAL.search(body) is not None:
            raise _Unsure
        return body.removeprefix("\n"), close + 3

    def _array(self, pos: int) -> tuple[list[str], int]:
        """An array of one-line strings without escapes, over one line or several (no comments)."""
        text = self.text
        items: list[str] = []
        pos = _ARRAY_SPACE.match(text, pos).end()  # type: ignore[union-attr]  # matches empty text too
        while not text.startswith("]", pos):
            found = _BASIC.match(text, pos)
            if found is None:
                raise _Unsure
            items.append(found.group(1))
            pos = _ARRAY_SPACE.match(text, found.end()).end()  # type: ignore[union-attr]
            if text.startswith(",", pos):
                pos = _ARRAY_SPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
            elif not text.startswith("]", pos):
                raise _Unsure
        return items, pos + 1
