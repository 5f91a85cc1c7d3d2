"""Tables for a terminal (`list`, the weighing table of `show` and `samples show`), laid out by rich.

Widths are counted in terminal cells, not characters: a CJK character or a full-width letter
takes two cells, a combining accent none, so a column of Japanese titles lines up with one of
English ones (rich.cells). Every cell is record text typed by someone else, so it passes through
terminal_text.shown first (one line: escapes, line breaks and tabs as their visible escapes) and is
handed to rich as a Text, never as markup: `[bold]` or `:smile:` in a title stays those characters.

The result is plain lines, trailing spaces trimmed; only `styled` lines (a terminal that shows
colour) carry rich's escape sequences, for a bold header. rich is imported inside `table_lines`:
`ethicsdesk --help` never loads it (tests/test_import_hygiene.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from ethicsdesk.reporting.terminal_text import shown

UNLIMITED = 100_000  # "as wide as the content": one line per row, for a pipe or a file


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
    each line `indent` cells in, the whole at most `width` cells wide (None: as wide as the content)."""
    import io

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(
        box=None, padding=(0, gap), collapse_padding=True, pad_edge=False, show_edge=False, show_header=header
    )
    for c in columns:
        table.add_column(
            Text(c.header, style="bold" if styled else ""),
            justify=c.justify,
            min_width=c.min_width,
            max_width=c.max_width,
            no_wrap=not c.wrap,
            overflow="fold" if c.wrap else "ellipsis",
        )
    for row in rows:
        table.add_row(*(Text(shown(str(cell), one_line=True)) for cell in row))
    out = io.StringIO()
    console = Console(
        file=out,
        width=max(20, (width or UNLIMITED) - indent),
        force_terminal=styled,
        color_system="auto" if styled else None,  # TERM=dumb and NO_COLOR are honoured
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
    )
    console.print(table)
    return [" " * indent + line.rstrip() for line in out.getvalue().splitlines()]
