"""How the walk's fields read what is typed: here the sources consulted, one a line as "kind: detail"."""

from __future__ import annotations

import pytest

from ethicsdesk.domain.record import SOURCE_KINDS
from ethicsdesk.errors import BadInput
from ethicsdesk.tui.widgets.fields import source_lines


def test_each_known_kind_is_read_with_its_detail() -> None:
    text = "\n".join(f"{kind.upper()}: about {kind}" for kind in SOURCE_KINDS)
    assert source_lines(text) == [(kind, f"about {kind}") for kind in SOURCE_KINDS]


def test_a_document_of_the_case_file_is_a_kind() -> None:
    assert source_lines("document: health care proxy form\ndocument: OT report, 3 March") == [
        ("document", "health care proxy form"),
        ("document", "OT report, 3 March"),
    ]


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("the state statute", ("other", "the state statute")),  # no kind named
        ("NACM 18: the duty to warn", ("other", "NACM 18: the duty to warn")),  # words before the colon
        ("https://example.org/guidance", ("other", "https://example.org/guidance")),  # a web address
    ],
)
def test_a_line_that_names_no_kind_is_kept_whole_as_other(line: str, kept: tuple[str, str]) -> None:
    assert source_lines(f"code: NACM 18\n\n{line}") == [("code", "NACM 18"), kept]


@pytest.mark.parametrize("line", ["book: Beauchamp and Childress", "Statute: 12-3", "lit: an article"])
def test_an_unknown_kind_is_refused_naming_the_kinds(line: str) -> None:
    """It used to become "other: book: …", a kind nobody chose; now the field is not saved and the
    message offers the kinds."""
    with pytest.raises(BadInput) as refused:
        source_lines(f"code: NACM 18\n{line}")
    message = refused.value.message
    assert "line 2" in message and f"'{line.split(':')[0].lower()}' is not a kind of source" in message
    assert all(kind in message for kind in SOURCE_KINDS)
