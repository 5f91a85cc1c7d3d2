"""The checks of a dilemma file's text before it is parsed: a key of too many dotted parts is found on
the line where it is, looked for only on lines with enough dots."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ethicsdesk.knowledge.dilemma_text import _LONG_DOTTED_KEY, MAX_KEY_PARTS, line_of_long_dotted_key


def searched_whole(text: str) -> int | None:
    """The line of the first match of the pattern over the whole text, as it was searched before."""
    found = _LONG_DOTTED_KEY.search(text)
    return None if found is None else text.count("\n", 0, found.start()) + 1


def dotted(parts: int, part: str = "a") -> str:
    return ".".join([part] * parts) + " = 1"


def test_a_key_of_too_many_parts_is_found_on_its_line() -> None:
    prose = 'facts = "' + "She said so. " * 80 + '"'
    text = "\n".join(["title = 'x'", prose, dotted(MAX_KEY_PARTS + 1), dotted(MAX_KEY_PARTS + 5)])
    assert line_of_long_dotted_key(text) == 3


def test_a_key_of_as_many_parts_as_allowed_is_not() -> None:
    assert line_of_long_dotted_key("title = 'x'\n" + dotted(MAX_KEY_PARTS)) is None
    assert line_of_long_dotted_key("") is None


LINES = st.sampled_from(
    [
        "title = 'x'",
        dotted(MAX_KEY_PARTS + 1),
        dotted(MAX_KEY_PARTS),
        dotted(MAX_KEY_PARTS + 1, '"a.b"'),
        dotted(MAX_KEY_PARTS + 1, "'q'") + "\r",
        "x" + ". " * 70,
        "." * 200,
        "",
    ]
)


@given(st.lists(LINES, max_size=6))
def test_the_line_is_the_one_a_search_of_the_whole_text_finds(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert line_of_long_dotted_key(text) == searched_whole(text)
