"""The PDF's long unbroken runs of text get break opportunities for layout only: the words read the
same, and nothing in a tag, an attribute or the stylesheet changes."""

from __future__ import annotations

import re

from ethicsdesk.reporting.exporters import soft_breaks

ZWSP = "\u200b"  # a zero width space: where a line may end, invisible on the page


def test_a_long_run_gets_break_opportunities_and_reads_the_same() -> None:
    word = "a" * 50 + "&amp;" + "b" * 100
    html = f"<p>{word} and short words</p>"
    broken = soft_breaks(html)
    assert broken.count(ZWSP) == 3  # 151 characters, the entity one of them: a break every 40
    assert broken.replace(ZWSP, "") == html
    assert f"&am{ZWSP}" not in broken and f"&{ZWSP}" not in broken


def test_tags_attributes_the_stylesheet_and_short_text_are_left_alone() -> None:
    html = (
        "<style>.x{content:'" + "y" * 120 + "'}</style>"
        '<p title="' + "z" * 120 + '">a few short words</p><td>' + "w" * 79 + "</td>"
    )
    assert soft_breaks(html) == html


def test_each_piece_between_breaks_is_at_most_forty_characters() -> None:
    broken = soft_breaks("<p>" + "é" * 1000 + "</p>")
    pieces = re.sub(r"</?p>", "", broken).split(ZWSP)
    assert max(len(p) for p in pieces) == 40 and "".join(pieces) == "é" * 1000
