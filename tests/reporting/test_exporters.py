"""The exporter interface (reporting/exporters.py): one class per format, found by any of its
names, turning view data into bytes without reading a record or writing a file."""

from __future__ import annotations

import json

import pytest

from ethicsdesk.errors import BadInput
from ethicsdesk.reporting.exporters import EXPORTERS, Exporter, JsonExporter, RenderOptions, exporter_for


@pytest.mark.parametrize(
    ("given", "name", "extension", "binary"),
    [
        ("md", "md", "md", False),
        (" Markdown ", "md", "md", False),
        ("HTML", "html", "html", False),
        ("htm", "html", "html", False),
        ("json", "json", "json", False),
        ("pdf", "pdf", "pdf", True),
    ],
)
def test_each_format_is_found_by_any_of_its_names(given: str, name: str, extension: str, binary: bool) -> None:
    exporter = exporter_for(given)
    assert (exporter.name, exporter.extension, exporter.binary) == (name, extension, binary)
    assert EXPORTERS[name] is exporter


def test_one_class_per_format() -> None:
    classes = [type(e) for e in EXPORTERS.values()]
    assert len(set(classes)) == len(classes) == 4
    assert all(issubclass(c, Exporter) and c is not Exporter for c in classes)


@pytest.mark.parametrize("given", ["docx", "", "markdown2", "report.md"])
def test_an_unknown_format_is_one_sentence_naming_the_formats(given: str) -> None:
    with pytest.raises(BadInput, match=r"is not a report format; use one of: md, html, json, pdf\.$"):
        exporter_for(given)


def test_json_is_the_view_itself_with_terminal_controls_escaped() -> None:
    view = {"title": "A\x9b31mB \u202eC 中文", "n": [1, None]}
    data = JsonExporter().render(view, RenderOptions())
    assert b"\xc2\x9b" not in data and "\u202e".encode() not in data  # neither raw C1 nor bidi
    assert "中文".encode() in data  # other text stays readable, not \u-escaped
    assert json.loads(data) == view
    assert data.endswith(b"}\n")
