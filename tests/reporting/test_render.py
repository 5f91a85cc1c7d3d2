"""The report environment: where templates come from, how user text is escaped in each format, and
how a broken template is reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from ethicsdesk.errors import BadInput
from ethicsdesk.reporting.render import (
    bar_line,
    chart_rows,
    csp_hash,
    html_paragraphs,
    markdown_inline,
    markdown_paragraphs,
    render_template,
    report_environment,
    shipped_reports_dir,
    signed,
    when,
)

REPO = Path(__file__).resolve().parents[2]


def rendered(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)


# --- where templates come from --------------------------------------------------------------------
def test_the_shipped_templates_are_the_checkouts_reports_folder() -> None:
    assert shipped_reports_dir() == REPO / "reports"


def test_an_agencys_folder_is_searched_before_the_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "_words.j2").write_text(
        (REPO / "reports" / "_words.j2").read_text().replace("Situation", "Circumstances"), encoding="utf-8"
    )
    env = report_environment("html", tmp_path)
    assert env.get_template("_words.j2").module.sections["situation"] == "Circumstances"  # type: ignore[attr-defined]
    assert "Circumstances" not in (REPO / "reports" / "_words.j2").read_text()


def test_a_missing_agency_folder_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="does not exist"):
        report_environment("md", tmp_path / "nope")


def test_there_are_templates_only_for_html_and_markdown() -> None:
    with pytest.raises(BadInput, match="no report templates for 'json'"):
        report_environment("json")


# --- template errors name the template and the line -----------------------------------------------
def test_a_syntax_error_names_the_template_and_line(tmp_path: Path) -> None:
    (tmp_path / "report.md.j2").write_text("# fine\n\n{% if %}\n", encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        render_template("md", "report.md.j2", {}, tmp_path)
    assert "report.md.j2" in caught.value.message
    assert "line 3" in caught.value.message


def test_an_undefined_name_is_an_error_with_its_line_not_an_empty_string(tmp_path: Path) -> None:
    (tmp_path / "report.html.j2").write_text("<p>one</p>\n<p>{{ record.titel }}</p>\n", encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        render_template("html", "report.html.j2", {"record": {"title": "t"}}, tmp_path)
    message = caught.value.message
    assert "report.html.j2" in message and "line 2" in message and "titel" in message


def test_an_error_inside_an_included_partial_names_the_partial(tmp_path: Path) -> None:
    (tmp_path / "report.md.j2").write_text("{% include '_part.j2' %}\n", encoding="utf-8")
    (tmp_path / "_part.j2").write_text("a\nb\n{{ 1 // 0 }}\n", encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        render_template("md", "report.md.j2", {}, tmp_path)
    assert "_part.j2" in caught.value.message and "line 3" in caught.value.message


def test_a_missing_template_is_named(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match=r"'nothing\.md\.j2' is not in"):
        render_template("md", "nothing.md.j2", {}, tmp_path)


# --- HTML escaping --------------------------------------------------------------------------------
def test_html_autoescapes_every_value(tmp_path: Path) -> None:
    (tmp_path / "t.html.j2").write_text("<p>{{ x }}</p>", encoding="utf-8")
    out = render_template("html", "t.html.j2", {"x": "<script>alert(1)</script>&"}, tmp_path)
    assert out == "<p>&lt;script&gt;alert(1)&lt;/script&gt;&amp;</p>"


def test_html_isolates_text_that_carried_bidi_controls_and_drops_them(tmp_path: Path) -> None:
    (tmp_path / "t.html.j2").write_text("<p>{{ x }} after</p>", encoding="utf-8")
    out = render_template("html", "t.html.j2", {"x": "\u202eevil<"}, tmp_path)
    assert out == "<p><bdi>evil&lt;</bdi> after</p>"


def test_html_paragraphs_keep_paragraphs_and_line_breaks_escaped() -> None:
    out = str(html_paragraphs("one <b>\ntwo\n\nthree"))
    assert out == '<p dir="auto">one &lt;b&gt;<br>\ntwo</p>\n<p dir="auto">three</p>'


# --- Markdown escaping ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "[x](javascript:alert(1))",
        "![x](http://example.invalid/x.png)",
        "**bold** _em_ `code` ~~s~~",
        "# heading",
        "- item",
        "+ item",
        "12. item",
        "3) item",
        "> quote",
        "---",
        "===",
        "a | b | c",
        "back\\slash\\",
        "&amp; &lt;b&gt; &#60;",
        "<http://example.invalid>",
    ],
)
def test_markdown_inline_text_renders_back_to_itself_and_nothing_else(text: str) -> None:
    html = rendered(markdown_inline(text))
    assert html.startswith("<p>") and html.count("<") == 2, html  # one paragraph, no other element
    from html import unescape

    assert unescape(html[3:-5]) == text


def test_markdown_inline_keeps_a_table_row_whole() -> None:
    row = f"| {markdown_inline('a | b')} | {markdown_inline('line one' + chr(10) + 'line two')} |"
    html = rendered("| x | y |\n| --- | --- |\n" + row + "\n")
    assert html.count("<td>") == 2
    assert "<td>a | b</td>" in html and "<td>line one line two</td>" in html


def test_markdown_inline_neutralises_terminal_escapes() -> None:
    assert markdown_inline("a\x1b[31mred\x9b") == "a\ufffd\\[31mred\ufffd"


def test_markdown_isolates_text_that_carries_bidi_controls() -> None:
    assert markdown_inline("\u202eabc") == "\u2068\u202eabc\u2069"
    assert markdown_inline("עברית") == "עברית"  # right-to-left text alone needs nothing


def test_markdown_paragraphs_keep_paragraphs_and_hard_breaks() -> None:
    text = "# one\n- two\n\n  three"
    assert markdown_paragraphs(text) == "\\# one\\\n\\- two\n\nthree"
    assert rendered(markdown_paragraphs(text)) == "<p># one<br />\n- two</p>\n<p>three</p>\n"


def test_markdown_templates_escape_every_value_but_not_markup_they_make(tmp_path: Path) -> None:
    (tmp_path / "t.md.j2").write_text(
        "# {{ title }}\n\n{{ body|paragraphs }}\n\n{{ score|signed }} {{ n }}\n", encoding="utf-8"
    )
    out = render_template("md", "t.md.j2", {"title": "*x*", "body": "<b>", "score": -2, "n": 3}, tmp_path)
    assert out == "# \\*x\\*\n\n&lt;b>\n\n-2 3\n"


# --- small filters --------------------------------------------------------------------------------
def test_when_shows_minutes_in_utc() -> None:
    assert when("2025-03-04T09:05:07.123456Z") == "2025-03-04 09:05 UTC"
    assert when("") == "" and when("yesterday") == "yesterday"


def test_signed_scores() -> None:
    assert [str(signed(s)) for s in (2, 0, -1, None)] == ["+2", "0", "-1", "·"]


def test_csp_hash_is_the_base64_sha256_source() -> None:
    assert csp_hash("") == "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"


def test_chart_rows_scale_to_the_largest_total() -> None:
    options = [
        {"number": 1, "label": "a", "weighted_total": 10, "chosen": True},
        {"number": 2, "label": "b", "weighted_total": -5, "chosen": False},
        {"number": 3, "label": "c", "weighted_total": 0, "chosen": False},
    ]
    a, b, c = chart_rows(options)
    assert (a["x"], a["width"], a["left"], a["right"]) == (100, 100, 0, 20)
    assert (b["x"], b["width"], b["left"], b["right"]) == (50, 50, 10, 0)
    assert (c["width"], c["left"], c["right"]) == (0, 0, 0)
    assert str(bar_line(b)) == " 2            " + "█" * 10 + "│" + " " * 20 + "   -5"


# --- an agency's template is sandboxed ------------------------------------------------------------
HOSTILE_TEMPLATES = [
    "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}",
    "{{ joiner.__init__.__globals__.os.popen('touch PWNED').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ namespace.__init__.__globals__['__builtins__']['open']('PWNED', 'w') }}",
]


@pytest.mark.parametrize("body", HOSTILE_TEMPLATES)
def test_a_template_cannot_reach_the_operating_system(
    body: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plain Environment let a template run shell commands through a function's globals."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "report.md.j2").write_text(f"# report\n{body}\n", encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        render_template("md", "report.md.j2", {}, tmp_path)
    assert "report.md.j2" in caught.value.message and "line 2" in caught.value.message
    assert "unsafe" in caught.value.message
    assert not (tmp_path / "PWNED").exists()
