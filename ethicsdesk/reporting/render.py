"""The Jinja2 environment for reports, and the escaping that keeps user text inert in each format.

Templates live in `reports/` (shipped with the wheel as `ethicsdesk/_shipped/reports`); an agency
may put its own copies of any of them in a folder (`--templates DIR`), which is searched first.
Every template is autoescaped and undefined names are errors, so a misspelt name in an agency's
template fails loudly instead of printing nothing. A template error becomes one BadInput naming
the template file and the line.

HTML gets Jinja2's own escaping. Markdown has no such thing, so for Markdown templates every
value printed with {{ }} passes through `markdown_inline`: the same autoescape mechanism, with a
Markdown escaper behind it (see MarkdownText). jinja2 is imported lazily: `ethicsdesk --help` and
the TUI's first frame do not pay for it.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import os
import re
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ethicsdesk.errors import BadInput
from ethicsdesk.reporting import text_layout
from ethicsdesk.terminal_text import BIDI_CONTROLS, replaced

if TYPE_CHECKING:
    import jinja2

FORMATS_WITH_TEMPLATES = ("html", "md")

# Text holding bidirectional formatting characters (BIDI_CONTROLS) is isolated (HTML <bdi>, Markdown
# U+2068 ... U+2069): an unclosed override (U+202E) would reverse the text after it.
_LINE_BREAKS = re.compile("\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_MARKDOWN_INLINE = str.maketrans(
    {
        # Entities rather than backslashes: every Markdown dialect treats an entity as text, not
        # all honour a backslash before < (Python-Markdown does not); &#124; keeps table cells whole.
        # ">" matters only at the start of a line (a quote), handled with the other line starts.
        "&": "&amp;",
        "<": "&lt;",
        "|": "&#124;",
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "~": "\\~",
        "$": "\\$",  # GitHub renders $...$ as mathematics
    }
)
# What starts a block when it opens a line: a heading, a quote, a list item, a setext underline or
# a thematic break, and (below) a number followed by "." or ")" and a space.
_BLOCK_START = re.compile(r"#{1,6}(?=\s|$)|>|[-+](?=\s|$)|[-=](?=[-=\s]*$)")
_ORDERED_ITEM = re.compile(r"(\d{1,9})([.)])(?=\s|$)")


def shipped_reports_dir() -> Path:
    """The shipped templates: inside an installed wheel, else the checkout's `reports/`."""
    package = Path(__file__).resolve().parent.parent  # ethicsdesk/, beside _shipped/
    for candidate in (package / "_shipped" / "reports", package.parent / "reports"):
        if (candidate / "report.html.j2").is_file():
            return candidate
    raise BadInput("The shipped report templates are missing; reinstall ethicsdesk.")


# --- Markdown -------------------------------------------------------------------------------------
def _clean(text: str, line_break: str) -> str:
    """Line breaks of every kind as `line_break`, then the other control characters as U+FFFD, so a
    report printed in a terminal (cat report.md) cannot carry escape sequences."""
    return replaced(_LINE_BREAKS.sub(line_break, text))


def _isolate(text: str) -> str:
    return f"\u2068{text}\u2069" if BIDI_CONTROLS.search(text) else text


def _markdown_line(line: str) -> str:
    # Leading spaces go: four of them would make an indented code block.
    line = line.lstrip().translate(_MARKDOWN_INLINE)
    item = _ORDERED_ITEM.match(line)
    if item:
        line = f"{item.group(1)}\\{item.group(2)}{line[item.end() :]}"
    elif _BLOCK_START.match(line):
        line = "\\" + line
    return _isolate(line)


def markdown_inline(text: str) -> str:
    """Text that stays one inert run of characters wherever a template puts it: in a table cell, a
    heading, a list item. Line breaks become spaces; every Markdown and HTML metacharacter is
    escaped."""
    return _markdown_line(_clean(str(text), " "))


def markdown_paragraphs(text: str) -> str:
    """Multi-line text as Markdown paragraphs: blank lines separate paragraphs, other line breaks
    are kept as hard breaks (a trailing backslash), every line escaped as in markdown_inline."""
    paragraphs = re.split(r"\n\s*\n", _clean(str(text), "\n").strip())
    return "\n\n".join("\\\n".join(_markdown_line(x) for x in p.split("\n")) for p in paragraphs if p.strip())


def markdown_inline_markup(text: str) -> Any:
    """markdown_inline as a filter: already escaped, so marked safe."""
    from markupsafe import Markup

    return Markup(markdown_inline(text))


def markdown_paragraphs_markup(text: str) -> Any:
    """markdown_paragraphs as a filter: already escaped, so marked safe."""
    from markupsafe import Markup

    return Markup(markdown_paragraphs(text))


class MarkdownText(str):
    """A string that escapes itself for Markdown when Jinja2's autoescape asks it to (`__html__`)."""

    def __html__(self) -> str:
        return markdown_inline(self)


def _markdown_finalize(value: Any) -> Any:
    # Plain strings only: Markup (macros, filters) is already formatted and passes through.
    return MarkdownText(value) if type(value) is str else value


# --- HTML -----------------------------------------------------------------------------------------
def html_text(text: str) -> str:
    """An HTML document as it leaves ethicsdesk, in one pass: every control character but tab and
    line feed as U+FFFD (`export --format html --out -` reaches a terminal, which obeys ESC, OSC 52
    and C1), and no bidi embedding, override or isolate character: one inside a sentence ethicsdesk
    wrote (an option's label in the analysis) reversed the words after it, and a <title> cannot hold
    <bdi>. The values that carried one are still isolated in <bdi> (_html_finalize, html_paragraphs),
    so right-to-left text keeps to itself."""
    return BIDI_CONTROLS.sub("", replaced(text))


def _html_finalize(value: Any) -> Any:
    if type(value) is str and BIDI_CONTROLS.search(value):
        from markupsafe import Markup

        return Markup("<bdi>{}</bdi>").format(value)
    return value


def html_plain(text: str) -> Any:
    """Escaped text without the <bdi> isolation: for <title> and attributes, which hold text only."""
    from markupsafe import escape

    return escape(str(text))


def html_paragraphs(text: str) -> Any:
    """Multi-line text as escaped <p> elements, line breaks kept; `dir="auto"` lets a right-to-left
    paragraph read right to left without turning the page around."""
    from markupsafe import Markup, escape

    def line(text: str) -> Any:
        return Markup("<bdi>{}</bdi>").format(text) if BIDI_CONTROLS.search(text) else escape(text)

    paragraphs = re.split(r"\n\s*\n", _LINE_BREAKS.sub("\n", str(text)).strip())
    return Markup("\n").join(
        Markup('<p dir="auto">{}</p>').format(Markup("<br>\n").join(line(x) for x in p.split("\n")))
        for p in paragraphs
        if p.strip()
    )


# --- filters both formats share -------------------------------------------------------------------
def when(iso: str | None) -> str:
    """'2025-11-23T15:47:01.5Z' as '2025-11-23 15:47 UTC'; other text as it is."""
    if not iso:
        return ""
    match = re.fullmatch(r"(\d{4}-\d\d-\d\d)T(\d\d:\d\d)(?::\d\d(?:\.\d+)?)?Z", iso)
    return f"{match.group(1)} {match.group(2)} UTC" if match else iso


def signed(score: int | None, missing: str = "·") -> Any:
    """A score or total with its sign: +2, 0, -1; an unscored cell is a middle dot (or `missing`:
    the training files write --). Made from a number only, so it is marked safe (Markdown would
    otherwise escape a leading sign, or read -- as a line)."""
    from markupsafe import Markup

    return Markup(text_layout.signed(None if score is None else int(score), unscored=missing))


def percent(value: float) -> str:
    """An agreement from 0 to 1 as a whole percentage, half up (12.5% shows as 13%), not Python's
    round-half-to-even."""
    return f"{int(value * 100 + 0.5)}%"


def csp_hash(css: str) -> Any:
    """The Content-Security-Policy source that allows exactly this <style> element and no other
    (base64 and quotes only, so it is marked safe and its quotes stay quotes)."""
    from markupsafe import Markup

    digest = hashlib.sha256(str(css).encode("utf-8")).digest()
    return Markup(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")


def chart_rows(options: list[dict[str, Any]], half: int = 100, cells: int = 20) -> list[dict[str, Any]]:
    """Bars of the weighted totals around a zero line, scaled to the largest total.

    For SVG: `x` and `width` in a box `2 * half` wide with zero at `half`. For text: `left` and
    `right`, how many of `cells` characters to fill either side of the zero line.
    """
    scale = max([abs(o["weighted_total"]) for o in options] + [1])
    rows = []
    for o in options:
        total = o["weighted_total"]
        size = round(half * abs(total) / scale)
        filled = round(cells * abs(total) / scale)
        rows.append(
            {
                "number": o["number"],
                "label": o["label"],
                "total": total,
                "chosen": o["chosen"],
                "x": half - size if total < 0 else half,
                "width": size,
                "left": filled if total < 0 else 0,
                "right": filled if total > 0 else 0,
            }
        )
    return rows


def bar_line(row: dict[str, Any], cells: int = 20) -> Any:
    """One option's bar as a line of text for a Markdown code block: its number, the bar either
    side of the zero line, its total. Built from numbers only, so nothing in it needs escaping."""
    from markupsafe import Markup

    left, right = int(row["left"]), int(row["right"])
    bar = " " * (cells - left) + "█" * left + "│" + "█" * right + " " * (cells - right)
    total = int(row["total"])
    return Markup(f"{int(row['number']):>2}  {bar} {f'{total:+d}' if total else '0':>4}")


# --- the environment ------------------------------------------------------------------------------
def report_environment(fmt: str, templates: Path | None = None) -> jinja2.Environment:
    """The environment for `fmt` ("html" or "md"): the agency's folder first, then the shipped one."""

    if fmt not in FORMATS_WITH_TEMPLATES:
        raise BadInput(f"There are no report templates for '{fmt}'.")
    if templates is not None and not Path(templates).is_dir():
        raise BadInput(f"The templates folder {templates} does not exist.")
    return _cached_environment(fmt, None if templates is None else Path(templates).resolve())


@functools.cache
def _cached_environment(fmt: str, templates: Path | None) -> jinja2.Environment:
    """One environment per format and folder for the life of the process: an environment keeps its
    compiled templates, and building one per report recompiled them every time (bench/: 71 ms of a
    render, against about 3 ms once compiled)."""
    import jinja2

    from ethicsdesk.reporting.template_sandbox import BoundedSandbox, ConfinedLoader

    search = [shipped_reports_dir()] if templates is None else [templates, shipped_reports_dir()]
    # Sandboxed: a template from an agency's folder is code someone else wrote, and the plain
    # Environment lets it reach `os` through any function's globals (cycler.__init__.__globals__);
    # bounded in time and size, and reading only from inside its folders (template_sandbox.py).
    env = BoundedSandbox(
        loader=ConfinedLoader([str(p) for p in search]),
        # Every template is escaped, partials included: a partial renders user text too.
        autoescape=jinja2.select_autoescape(
            enabled_extensions=("html", "htm", "xml", "j2"), default_for_string=True, default=True
        ),
        undefined=jinja2.StrictUndefined,
        finalize=_markdown_finalize if fmt == "md" else _html_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(
        paragraphs=markdown_paragraphs_markup if fmt == "md" else html_paragraphs,
        bar_line=bar_line,
        plain=html_plain if fmt == "html" else markdown_inline_markup,
        when=when,
        signed=signed,
        percent=percent,
        csp_hash=csp_hash,
    )
    env.globals["format"] = fmt
    if templates is None:
        env.bytecode_cache = _compiled_templates(type(env).__name__, fmt)
    return env


def _compiled_templates(kind: str, fmt: str) -> jinja2.BytecodeCache | None:
    """The shipped templates' compiled code, kept between processes: compiling them afresh costs an
    export about as much as the whole of `--help` takes to start (bench/ measures both).
    Jinja2 keeps it in its own per-user folder (0700, refused if anyone else owns it), keyed by
    template name and file, and recompiles when the source's checksum differs; the pattern keeps apart
    environments whose code differs (sandboxed or not, per format).
    An agency's own templates are compiled afresh each time."""
    import jinja2

    class QuietCache(jinja2.FileSystemBytecodeCache):
        # a cache that cannot be read or written is only slower: never a failed report
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:
                bucket.reset()

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    try:
        return QuietCache(pattern=f"__ethicsdesk_{kind}_{fmt}_%s.cache")
    except (OSError, RuntimeError):  # no safe folder of one's own in the temporary directory
        return None


def render_template(fmt: str, name: str, context: dict[str, Any], templates: Path | None = None) -> str:
    """Render one report template; any template error is a BadInput naming the file and line."""
    import jinja2

    from ethicsdesk.reporting.template_sandbox import render_bounded

    env = report_environment(fmt, templates)
    folders = [str(p) for p in env.loader.searchpath] if isinstance(env.loader, jinja2.FileSystemLoader) else []
    try:
        rendered = render_bounded(env.get_template(name), context)
        return html_text(rendered) if fmt == "html" else rendered
    except RecursionError:
        raise BadInput(f"The report template {name} includes or calls itself without end.") from None
    except MemoryError:
        raise BadInput(f"The report template {name} needs more memory than this computer has.") from None
    except jinja2.TemplateSyntaxError as exc:
        where = exc.filename or exc.name or name
        said = f"The report template {where} has an error on line {exc.lineno}: {exc.message}"
        raise BadInput(_sentence(said)) from None
    except jinja2.TemplateNotFound as exc:
        raise BadInput(f"The report template '{exc.name}' is not in {' or '.join(folders)}.") from None
    except (jinja2.TemplateError, TypeError, ValueError, KeyError, AttributeError, ArithmeticError) as exc:
        located = _template_frame(exc, [str(Path(f).resolve()) for f in folders])
        if located is None and not isinstance(exc, jinja2.TemplateError):
            raise  # not a template's fault: a bug in ethicsdesk, with its traceback
        where = f"{located[0]} has an error on line {located[1]}" if located else f"{name} has an error"
        message = getattr(exc, "message", None) or str(exc)
        raise BadInput(_sentence(f"The report template {where}: {message}")) from None


def _sentence(text: str) -> str:
    """One full stop at the end: Jinja2's own messages sometimes end with one ("… is unsafe.")."""
    return text.rstrip().rstrip(".") + "."


def _template_frame(exc: BaseException, folders: list[str]) -> tuple[str, int] | None:
    """The innermost template file and line in the traceback (Jinja2 rewrites its frames so that
    they point at template source); a template is a file in one of the template folders."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        in_folder = any(str(Path(frame.filename).resolve()).startswith(f + os.sep) for f in folders)
        if in_folder and frame.lineno is not None:
            found = (frame.filename, frame.lineno)
    return found
