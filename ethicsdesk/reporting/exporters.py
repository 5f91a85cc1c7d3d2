"""The rationale report's formats: one exporter class per format behind one small interface.

An exporter turns view data (plain dicts and lists from reporting/view.py, already masked when
masking was asked for) into the bytes of a file. It reads no record, writes no file and logs no
event: that is the export operation's work (service/exporting.py). Each class names its format and
any other names it answers to, its file extension, and whether its bytes are binary (a binary
format cannot go to a terminal); `exporter_for` finds one by any of its names.

Markdown and HTML are Jinja2 templates in the top-level `reports/` (reporting/render.py: the
environment and the escaping of each format); PDF is the HTML laid out by weasyprint; JSON is the
view data itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from ethicsdesk.errors import BadInput
from ethicsdesk.reporting.render import chart_rows, render_template
from ethicsdesk.terminal_text import shown

PDF_HINT = "PDF export needs weasyprint: pip install 'ethicsdesk[pdf]'."


@dataclass(frozen=True)
class RenderOptions:
    templates: Path | None = None  # the agency's template folder, searched before the shipped one
    paper: str = "A4"  # PDF page size


class Exporter:
    """One output format. `render` turns the (already masked) view data into the file's bytes."""

    name: ClassVar[str]
    aliases: ClassVar[tuple[str, ...]] = ()  # other names a user may give for the format
    extension: ClassVar[str]
    binary: ClassVar[bool] = False  # binary formats cannot go to a terminal
    # whether the format shows the record's event history (the shipped HTML, PDF and Markdown list
    # only who contributed): a format that does not is given none to build and mask
    shows_history: ClassVar[bool] = False

    def render(self, view: dict[str, Any], options: RenderOptions) -> bytes:
        raise NotImplementedError


def _template_context(view: dict[str, Any], paper: str | None) -> dict[str, Any]:
    return {**view, "chart": chart_rows(view["options"]), "paper": paper}


class MarkdownExporter(Exporter):
    name, aliases, extension = "md", ("markdown",), "md"

    def render(self, view: dict[str, Any], options: RenderOptions) -> bytes:
        return render_template("md", "report.md.j2", _template_context(view, None), options.templates).encode()


class HtmlExporter(Exporter):
    name, aliases, extension = "html", ("htm",), "html"

    def render(self, view: dict[str, Any], options: RenderOptions) -> bytes:
        return self.html(view, options, paper=None).encode()

    @staticmethod
    def html(view: dict[str, Any], options: RenderOptions, paper: str | None) -> str:
        return render_template("html", "report.html.j2", _template_context(view, paper), options.templates)


def json_text(data: Any) -> str:
    """Data as indented JSON for people and programs alike: the C1 and bidi controls that json.dumps
    leaves raw are written as \\u escapes too (terminal_text.shown), so the text is safe to print
    and still decodes to the original."""
    return shown(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


class JsonExporter(Exporter):
    name, extension, shows_history = "json", "json", True

    def render(self, view: dict[str, Any], options: RenderOptions) -> bytes:
        return json_text(view).encode()


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    # A report is self-contained; anything it would fetch can only have come from user text.
    raise ValueError(f"reports fetch nothing ({url[:60]})")


# A run of text this long without a space gets a break opportunity every _BREAK_EVERY characters,
# for the PDF's layout only. With `overflow-wrap: anywhere` alone, laying out a 20,000-character word
# tried each character as a break and took several times a whole report. The opportunity is a zero
# width space, not a <wbr>: WeasyPrint makes each <wbr> an inline box of its own and lays each piece
# out apart (four such words took 1.8x as long), where the space leaves the run one text for Pango.
_SOFT_BREAK = "\u200b"
_LONG_RUN = re.compile(r"[^\s<>]{80,}")
_TEXT = re.compile(r"(<style[^>]*>.*?</style>)|>([^<]+)<", re.DOTALL)
_BREAK_EVERY = 40
_CHARACTER = re.compile(r"&#?\w+;|.", re.DOTALL)  # an entity (&amp;) counts as the one character it is


def _break_run(run: re.Match[str]) -> str:
    """The run with a soft break between pieces of _BREAK_EVERY characters, an entity (&amp;) never cut."""
    parts, piece, length = [], [], 0
    for token in _CHARACTER.findall(run.group(0)):
        piece.append(token)
        length += 1
        if length == _BREAK_EVERY:
            parts.append("".join(piece))
            piece, length = [], 0
    parts.append("".join(piece))
    return _SOFT_BREAK.join(p for p in parts if p)


def soft_breaks(html: str) -> str:
    """`html` with break opportunities in its long unbroken runs of text (not in tags, attributes or
    the stylesheet): the words read the same; only where a line may end changes."""

    def text(found: re.Match[str]) -> str:
        if found.group(1):
            return found.group(1)
        return ">" + _LONG_RUN.sub(_break_run, found.group(2)) + "<"

    return _TEXT.sub(text, html)


class PdfExporter(Exporter):
    name, extension, binary = "pdf", "pdf", True

    def render(self, view: dict[str, Any], options: RenderOptions) -> bytes:
        try:
            import weasyprint
        except ImportError:
            raise BadInput(PDF_HINT) from None
        except OSError as exc:  # installed, but its system libraries (Pango) are missing
            raise BadInput(f"{PDF_HINT} (weasyprint cannot start: {exc})") from None
        html = soft_breaks(HtmlExporter.html(view, options, paper=options.paper))
        pdf = weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
        assert isinstance(pdf, bytes)
        return pdf


EXPORTERS: dict[str, Exporter] = {
    e.name: e for e in (MarkdownExporter(), HtmlExporter(), JsonExporter(), PdfExporter())
}
_BY_ANY_NAME = {n: e for e in EXPORTERS.values() for n in (e.name, *e.aliases)}


def exporter_for(fmt: str) -> Exporter:
    """The exporter a user means by `fmt` (any case, spaces around it, an alias such as 'markdown')."""
    exporter = _BY_ANY_NAME.get(fmt.strip().lower())
    if exporter is None:
        raise BadInput(f"'{fmt}' is not a report format; use one of: {', '.join(EXPORTERS)}.")
    return exporter
