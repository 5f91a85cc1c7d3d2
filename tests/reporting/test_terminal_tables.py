"""Terminal tables (reporting/terminal_tables.py): widths in terminal cells, record text inert.

Alignment is measured as a terminal shows it: the cell at which each column starts, counted with
rich.cells.cell_len (a CJK or full-width character is two cells, as wcwidth says)."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from ethicsdesk.reporting.terminal_tables import Column, table_lines

COLUMNS = [Column("ID"), Column("CASE", max_width=10), Column("TITLE", wrap=True)]
ROWS = [
    ["a1", "東京-01", "東京都の在宅介護：家族の同意がない退院計画"],
    ["b22", "C-1", "A plain English title"],
    ["c333", "ｶﾅ-2", "ＡＢＣ全角とｶﾀｶﾅ半角 mixed width"],
    ["d4", "서울", "한국어 제목과 English"],
]


def starts(line: str, texts: list[str]) -> list[int]:
    """The cell at which each of `texts` starts in `line`, in order."""
    found, at = [], 0
    for text in texts:
        index = line.index(text, at)
        found.append(cell_len(line[:index]))
        at = index + len(text)
    return found


def test_wide_text_lines_up_with_narrow_text() -> None:
    lines = table_lines(COLUMNS, ROWS)
    assert lines[0].split() == ["ID", "CASE", "TITLE"]
    header = starts(lines[0], ["ID", "CASE", "TITLE"])
    assert [starts(line, row) for line, row in zip(lines[1:], ROWS, strict=True)] == [header] * len(ROWS)
    assert header == [0, 6, 15]  # ID 4 cells wide, CASE 7 (東京-01 is 7 cells), two cells apart


def test_the_old_character_count_would_not_line_up() -> None:
    """The guard above can fail: padding by characters (str.ljust) puts the CJK row's title elsewhere."""
    lines = [f"{i:<6}{c:<12}{t}" for i, c, t in ROWS]
    assert len({starts(line, [t])[0] for line, (_, _, t) in zip(lines, ROWS, strict=True)}) > 1


def test_a_narrow_terminal_folds_the_title_in_its_column_by_cells() -> None:
    lines = table_lines(COLUMNS, ROWS, width=40)
    assert max(cell_len(line) for line in lines) <= 40
    assert len(lines) > len(ROWS) + 1  # titles folded onto further lines ...
    continued = [line for line in lines if line.startswith(" ")]
    assert continued and all(len(line) - len(line.lstrip()) == 15 for line in continued)  # ... in their column


def test_a_long_case_code_is_cut_with_an_ellipsis() -> None:
    (line,) = table_lines(COLUMNS, [["x", "C-2024-0001-ABCDEF", "t"]])[1:]
    assert "C-2024-00…" in line
    header, line = table_lines(COLUMNS, [["x", "東京都港区六本木", "t"]])
    assert "東京都港 …" in line  # cut at ten cells: a wide character does not fit in the last one
    assert starts(line, ["t"]) == starts(header, ["TITLE"]) == [16]


@pytest.mark.parametrize(
    "title",
    ["A\x1b[2JB", "x\x9b31my", "left\u202eright", "osc\x1b]52;c;UFdORUQ=\x07", "two\nlines\tand tab"],
)
def test_control_characters_are_shown_as_escapes(title: str) -> None:
    text = "\n".join(table_lines(COLUMNS, [["x", "c", title]], styled=True))
    body = text.split("\n", 1)[1]
    assert "\x1b" not in body and "\x9b" not in body and "\u202e" not in body and "\x07" not in body
    assert "\\u" in body
    assert len(table_lines(COLUMNS, [["x", "c", title]])) == 2  # one row, one line: the line break is shown too


def test_markup_and_emoji_codes_stay_as_typed() -> None:
    (line,) = table_lines(COLUMNS, [["x", "c", "[bold]not bold[/bold] :smile: [link=http://x]y[/link]"]])[1:]
    assert line.endswith("[bold]not bold[/bold] :smile: [link=http://x]y[/link]")


def test_plain_unless_styled(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not any("\x1b" in line for line in table_lines(COLUMNS, ROWS))
    monkeypatch.setenv("TERM", "xterm-256color")
    assert "\x1b[1m" in table_lines(COLUMNS, ROWS, styled=True)[0]  # the header is bold at a terminal ...
    monkeypatch.setenv("TERM", "dumb")
    assert not any("\x1b" in line for line in table_lines(COLUMNS, ROWS, styled=True))  # ... that shows it
    assert not any(line != line.rstrip() for line in table_lines(COLUMNS, ROWS))


def test_too_narrow_a_terminal_cuts_no_id_and_keeps_ten_cells_of_title() -> None:
    """Below the width the one-line columns need, the ids stay whole (a record is named by its id)
    and the title still folds in ten cells; the terminal wraps what is left over."""
    lines = table_lines(COLUMNS, ROWS, width=16)
    assert [line.split()[0] for line in lines if not line.startswith(" ")] == ["ID", "a1", "b22", "c333", "d4"]
    titles = [after(line, 15) for line in lines]
    assert max(cell_len(title) for title in titles) == 10
    assert titles[1:3] == ["東京都の在", "宅介護：家"]  # five wide characters a line


def after(line: str, cells: int) -> str:
    """What `line` shows from its cell `cells` on."""
    for index in range(len(line) + 1):
        if cell_len(line[:index]) >= cells:
            return line[index:]
    return ""


def test_ascii_text_is_measured_as_rich_measures_it() -> None:
    """A table of ASCII text is laid out without loading rich's width tables; the shortcut must
    cut and fold exactly as rich.cells does."""
    from rich.cells import chop_cells, set_cell_size

    from ethicsdesk.reporting.terminal_tables import _ascii_cell_size, _ascii_chop, _Cells

    assert _Cells.of(["plain", "text"]).cell_len is len
    assert _Cells.of(["plain", "東京"]).cell_len is cell_len
    for text in ["", "a", "a case code", "C-2024-0001-ABCDEF", "x" * 41, "\\u001b[2J"]:
        for width in (1, 2, 5, 10, 40):
            assert _ascii_cell_size(text, width) == set_cell_size(text, width)
            assert _ascii_chop(text, width) == chop_cells(text, width)
    english = [["a1", "C-1", "A plain title that is long enough to fold"], ["b22", "C-2024-0001-ABCDEF", "Short"]]
    for table_width in (None, 30, 16):
        # the same rows with one wide character added at the end of the last title lay out alike
        wide = [*english[:-1], [*english[-1][:2], "Short東"]]
        laid_out = table_lines(COLUMNS, english, width=table_width)
        assert laid_out[:-1] == table_lines(COLUMNS, wide, width=table_width)[:-1]
