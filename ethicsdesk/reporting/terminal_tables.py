"""Tables for a terminal (`list`, the weighing table of `show` and `samples show`), measured by rich.

Widths are counted in terminal cells, not characters: a CJK character or a full-width letter
takes two cells, a combining accent none, so a column of Japanese titles lines up with one of
English ones. The measuring, cutting and folding by cells is rich's (rich.cells: cell_len,
set_cell_size, chop_cells); the layout is done here because rich's own Table renders each cell
through its whole console pipeline, about 2 ms a row on this kind of machine (bench/): 0.1 s for
the fifty rows of a plain `list` and 15 s for `list --limit 10000`, against a few milliseconds here.

Every cell is record text typed by someone else, so it passes through terminal_text.shown first
(one line: escapes, line breaks and tabs as their visible escapes); nothing in a cell is read as
markup, so `[bold]` or `:smile:` in a title stays those characters. The result is plain lines,
trailing spaces trimmed; only `styled` lines (a terminal that shows it) carry an escape sequence,
for a bold header. rich is imported only for a table that holds text beyond ASCII: `ethicsdesk
--help` never loads it (tests/test_import_hygiene.py).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from ethicsdesk.terminal_text import shown

NARROWEST_FOLD = 10  # cells a folding column keeps however narrow the terminal
BOLD, PLAIN = "\x1b[1m", "\x1b[0m"


@dataclass(frozen=True)
class Column:
    header: str
    justify: Literal["left", "right"] = "left"
    min_width: int | None = None
    max_width: int | None = None  # a longer value is cut, and ends in an ellipsis
    wrap: bool = False  # folds onto further lines when the table is wider than `width`; other columns keep one line


def table_lines(
    columns: Sequence[Column],
    rows: Iterable[Sequence[str]],
    *,
    width: int | None = None,
    gap: int = 2,
    indent: int = 0,
    styled: bool = False,
    header: bool = True,
) -> list[str]:
    """`rows` under `columns` (their headers first unless `header` is False), `gap` cells apart,
    each line `indent` cells in, the whole at most `width` cells wide (None: as wide as the
    content, one line per row) as far as the folding columns can shrink."""
    body = [[shown(str(cell), one_line=True) for cell in row] for row in rows]
    cells = _Cells.of([c.header for c in columns], *body)
    cell_len = cells.cell_len
    widths = []
    for i, column in enumerate(columns):
        natural = max([cell_len(row[i]) for row in body] + [cell_len(column.header) if header else 0])
        natural = min(natural, column.max_width or natural)
        widths.append(max(natural, column.min_width or 0))
    if width is not None:
        widths = _fitted(columns, widths, width - indent - gap * (len(columns) - 1))
    bold = styled and os.environ.get("TERM", "") not in ("dumb", "unknown") and not os.environ.get("NO_COLOR")
    lines = [_line([c.header for c in columns], columns, widths, gap, bold, cells)[0]] if header else []
    for row in body:
        lines += _line(row, columns, widths, gap, False, cells)
    return [" " * indent + line.rstrip() for line in lines]


def _fitted(columns: Sequence[Column], widths: list[int], room: int) -> list[int]:
    """The widths with the folding columns narrowed, in proportion to their width, until the table
    fits `room` cells or they reach NARROWEST_FOLD."""
    folding = [i for i, c in enumerate(columns) if c.wrap]
    excess = sum(widths) - room
    total = sum(widths[i] for i in folding)
    if excess <= 0 or not total:
        return widths
    fitted = list(widths)
    for i in folding:
        share = -(-excess * widths[i] // total)  # rounded up, so that the shares cover the excess
        fitted[i] = max(min(NARROWEST_FOLD, widths[i]), widths[i] - share)
    return fitted


def _line(
    row: Sequence[str], columns: Sequence[Column], widths: list[int], gap: int, bold: bool, cells: _Cells
) -> list[str]:
    """One row as one line, or as several when a folding cell needs them."""
    stacks = [
        _fold(text, w, cells) if c.wrap else [_cut(text, w, cells)]
        for text, c, w in zip(row, columns, widths, strict=True)
    ]
    out = []
    for n in range(max(len(s) for s in stacks)):
        parts = []
        for stack, column, w in zip(stacks, columns, widths, strict=True):
            text = stack[n] if n < len(stack) else ""
            pad = " " * (w - cells.cell_len(text))
            shown_text = f"{BOLD}{text}{PLAIN}" if bold and text else text
            parts.append(pad + shown_text if column.justify == "right" else shown_text + pad)
        out.append((" " * gap).join(parts))
    return out


def _cut(text: str, width: int, cells: _Cells) -> str:
    """`text` in at most `width` cells: cut with an ellipsis when longer (a wide character that
    would straddle the edge gives way to a space)."""
    if cells.cell_len(text) <= width:
        return text
    return cells.set_cell_size(text, width - 1) + "…" if width > 1 else "…"[:width]


def _fold(text: str, width: int, cells: _Cells) -> list[str]:
    """`text` as lines of at most `width` cells: broken at spaces, and a word longer than a line
    (or text without spaces, such as Japanese) cut by cells."""
    cell_len = cells.cell_len
    if cell_len(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for word in text.split():
        if cell_len(word) > width:
            if line:
                lines.append(line)
            *whole, word = cells.chop_cells(word, width)
            lines += whole
            line = ""
        candidate = f"{line} {word}" if line else word
        if cell_len(candidate) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line or not lines else lines


@dataclass(frozen=True)
class _Cells:
    """How many cells text takes, and cutting it by cells: rich's (rich.cells), or, when every
    piece of a table is ASCII, the character count itself. After `shown` an ASCII character is a
    printable one, one cell wide, and a table of English text need not load rich's width tables
    (about 15 ms of a `list`, bench/)."""

    cell_len: Callable[[str], int]
    set_cell_size: Callable[[str, int], str]
    chop_cells: Callable[[str, int], list[str]]

    @classmethod
    def of(cls, *texts: Sequence[str]) -> _Cells:
        if all(t.isascii() for row in texts for t in row):
            return cls(len, _ascii_cell_size, _ascii_chop)
        from rich.cells import cell_len, chop_cells, set_cell_size

        return cls(cell_len, set_cell_size, chop_cells)


def _ascii_cell_size(text: str, total: int) -> str:
    return text[:total].ljust(total)


def _ascii_chop(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)]
