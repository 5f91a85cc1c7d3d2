"""`shown`: the one function every face passes record text through on its way to a terminal."""

from __future__ import annotations

import json

import pytest

from ethicsdesk.terminal_text import needs_showing, shown


@pytest.mark.parametrize(
    ("raw", "visible"),
    [
        ("\x1b[2J", "\\u001b[2J"),  # clear the screen
        ("\x1b]52;c;UFdORUQ=\x07", "\\u001b]52;c;UFdORUQ=\\u0007"),  # write the clipboard
        ("\x1b]8;;http://x/\x1b\\a\x1b]8;;\x1b\\", "\\u001b]8;;http://x/\\u001b\\a\\u001b]8;;\\u001b\\"),  # a link
        ("\x9b31m", "\\u009b31m"),  # a one-byte C1 CSI
        ("\x85\x90\x9d", "\\u0085\\u0090\\u009d"),
        ("a\u202eb\u2066c\u2069", "a\\u202eb\\u2066c\\u2069"),  # bidi override and isolates
        ("a\rb", "a\\u000db"),  # a carriage return would overwrite the line
        ("\x7f\x00\x08", "\\u007f\\u0000\\u0008"),
    ],
)
def test_what_a_terminal_would_obey_is_shown_as_its_escape(raw: str, visible: str) -> None:
    assert shown(raw) == visible and needs_showing(raw)


def test_plain_text_lines_and_tabs_are_kept() -> None:
    text = "Given her wishes,\n\tis it justifiable — עברית, 中文, café?"
    assert shown(text) == text and not needs_showing(text)
    assert shown("one\r\ntwo") == "one\ntwo"


def test_one_line_also_shows_line_breaks_and_tabs() -> None:
    assert shown("a\nb\tc\u2028d", one_line=True) == "a\\u000ab\\u0009c\\u2028d"


def test_json_passed_through_it_decodes_to_the_original_text() -> None:
    value = {"title": "A\x1b[2JB\x9bC\u202eD\n"}
    text = shown(json.dumps(value, indent=2, ensure_ascii=False))
    assert not needs_showing(text.replace("\n", "")) and json.loads(text) == value
