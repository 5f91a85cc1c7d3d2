"""Hostile text in every field stays inert (no element, link, table break or heading of its own) and
intact (every character of it can still be read) in every text format."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from markdown_it import MarkdownIt

from ethicsdesk.service import Service
from ethicsdesk.service.exporting import export_record
from ethicsdesk.terminal_text import BIDI_CONTROLS
from tests.conftest import CASE_MANAGER
from tests.reporting.conftest import HOSTILE_LABEL, HOSTILE_LINES, HOSTILE_TEXT, build_hostile_record

# Every element the shipped HTML template makes; anything else came from user text.
TEMPLATE_ELEMENTS = {
    "html", "head", "meta", "title", "style", "body", "div", "p", "strong", "span", "header", "h1", "h2",
    "h3", "h4", "dl", "dt", "dd", "main", "section", "ul", "ol", "li", "table", "caption", "thead", "tbody",
    "tr", "th", "td", "svg", "rect", "footer", "br", "bdi",
}  # fmt: skip


class Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if not self.in_style:
            self.text.append(data)


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser


def flat(text: str) -> str:
    """Whitespace as single spaces, bidi formatting characters dropped (an HTML report drops them, a
    Markdown one isolates them): how a reader sees the characters."""
    return re.sub(r"\s+", " ", BIDI_CONTROLS.sub("", text))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The hostile record's reports, keyed by format (and its id under "id"). Built once for the
    module: the record takes some sixty changes, each a durable transaction."""
    folder = tmp_path_factory.mktemp("hostile")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ETHICSDESK_HOME", str(folder))  # never the real config (the autouse fixture is per test)
        mp.delenv("ETHICSDESK_DB", raising=False)
        service = Service.open(f"sqlite:///{folder / 'hostile.db'}", CASE_MANAGER)
        try:
            rid = build_hostile_record(service)
            reports = {"id": rid}
            for fmt in ("md", "html", "json"):
                result = export_record(service, rid, fmt, folder / f"r.{fmt}", include_identifiers=True)
                assert result.path is not None
                reports[fmt] = result.path.read_text(encoding="utf-8")
        finally:
            service.close()
    return reports


def test_html_makes_no_element_or_attribute_of_user_text(hostile: dict[str, str]) -> None:
    page = parse(hostile["html"])
    made = {tag for tag, _ in page.tags}
    assert made <= TEMPLATE_ELEMENTS, made - TEMPLATE_ELEMENTS
    assert not [a for _, attrs in page.tags for a in attrs if a.startswith("on") or a in ("src", "href")]
    assert [tag for tag, _ in page.tags].count("style") == 1
    assert [tag for tag, _ in page.tags].count("h1") == 1


def test_html_keeps_every_hostile_line_readable(hostile: dict[str, str]) -> None:
    text = flat("".join(parse(hostile["html"]).text))
    for line in HOSTILE_LINES:
        assert flat(line) in text, line[:40]
    assert flat(HOSTILE_LABEL) in text


def test_html_head_has_the_csp_first_and_nothing_external(hostile: dict[str, str]) -> None:
    html = hostile["html"]
    head = html[html.index("<head>") + len("<head>") :].lstrip()
    csp = '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'sha256-'
    assert head.startswith(csp)
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None and "<" not in title.group(1)  # a title holds text only: no <bdi> there
    assert "<script" not in html.lower().replace("&lt;script", "")
    assert not re.search(r"(src|href)\s*=", html.replace("src=x", ""))  # only the escaped payload says src=


def rendered_markdown(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough").render(markdown)


def test_markdown_makes_no_element_of_user_text(hostile: dict[str, str]) -> None:
    markdown = hostile["md"]
    page = parse(rendered_markdown(markdown))
    made = {tag for tag, _ in page.tags}
    allowed = {"h1", "h2", "h3", "h4", "p", "ul", "ol", "li", "strong", "em", "table", "thead", "tbody", "tr",
               "th", "td", "blockquote", "pre", "code", "hr", "br"}  # fmt: skip
    assert made <= allowed, made - allowed
    assert [tag for tag, _ in page.tags].count("h1") == 1
    assert not [a for _, attrs in page.tags for a in attrs if a.startswith("on") or a in ("src", "href")]
    # the template's own emphasis only: user text never makes <em> (it has _em_ and **bold**)
    assert all("PWNED" not in (attrs.get("title") or "") for _, attrs in page.tags)


def test_markdown_tables_stay_whole(hostile: dict[str, str]) -> None:
    html = rendered_markdown(hostile["md"])
    for table in re.findall(r"<table>.*?</table>", html, re.S):
        header = len(re.findall(r"<th[ >]", table.split("</thead>")[0]))
        rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
        assert rows and all(len(re.findall(r"<td[ >]", r)) == header for r in rows)


def test_markdown_keeps_every_hostile_line_readable(hostile: dict[str, str]) -> None:
    html = rendered_markdown(hostile["md"])
    text = flat("".join(parse(html).text))
    for line in HOSTILE_LINES:
        assert flat(line) in text, line[:40]
    assert flat(HOSTILE_LABEL) in text


def test_markdown_raw_text_has_no_terminal_escapes_or_raw_markup(hostile: dict[str, str]) -> None:
    markdown = hostile["md"]
    assert "<script" not in markdown and "<img" not in markdown and "\x1b" not in markdown
    assert "\u2068\u202e" in markdown  # the right-to-left override is isolated, not dropped


def test_json_keeps_every_field_exactly(hostile: dict[str, str]) -> None:
    data: dict[str, Any] = json.loads(hostile["json"])
    assert data["record"]["title"] == HOSTILE_LABEL
    assert data["question"] == HOSTILE_TEXT
    assert {f["text"] for f in data["situation"]["fields"]} == {HOSTILE_TEXT}
    assert [o["label"] for o in data["options"]] == [HOSTILE_LABEL, HOSTILE_LABEL + " 2"]
    assert data["decision"]["rationale"] == HOSTILE_TEXT
    assert data["consultation"]["supervisor"] == HOSTILE_LABEL
    asked = next(c for c in data["consultations"] if not c["sign_off"])
    assert (asked["whom"], asked["question"], asked["notes"]) == (HOSTILE_LABEL, HOSTILE_TEXT, HOSTILE_TEXT)
    assert data["outcome"]["outcome"] == HOSTILE_TEXT
