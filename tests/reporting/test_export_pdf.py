"""The PDF report, through weasyprint (the optional `pdf` extra).

Skipped where weasyprint cannot be imported, which is every machine without `pip install
'ethicsdesk[pdf]'` (or the dev extra, once it lists weasyprint); the message without it is
tested in test_export.py. The text check uses poppler's pdftotext (tests/conftest.require_tool)."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from ethicsdesk.service import Service
from ethicsdesk.service.exporting import export_record
from tests.conftest import require_tool

pytestmark = pytest.mark.slow

TITLE = "A capable patient refuses rehabilitation and wants to go home alone"


@pytest.fixture(autouse=True)
def weasyprint_importable() -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        pytest.skip(f"PDF NOT TESTED: weasyprint is not importable here ({exc}); pip install 'ethicsdesk[pdf]'")


def test_the_pdf_starts_with_pdf_and_has_the_title_in_its_text(
    service: Service, discharge_id: str, tmp_path: Path
) -> None:
    result = export_record(service, discharge_id, "pdf", tmp_path / "report.pdf")
    assert result.path is not None
    pdf = result.path.read_bytes()
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(
        [require_tool("pdftotext"), "-layout", str(result.path), "-"],
        capture_output=True, text=True, timeout=60, check=True,
    ).stdout
    assert " ".join(TITLE.split()) in " ".join(text.split())
    assert "Thistlewood" not in text and "[identifier 1]" in text  # masked in the PDF too
    assert "Page 1 of" in text  # the print stylesheet's page footer
    events = [e["payload"] for e in service.integrity.event_payloads(discharge_id) if e["type"] == "record.exported"]
    assert events == [{"format": "pdf", "masked": True, "target": str(result.path)}]


def test_the_pdf_page_size_follows_the_config_file(
    service: Service, discharge_id: str, tmp_path: Path, isolated_home: Path
) -> None:
    (isolated_home / "config.toml").write_text('report_paper = "letter"\n')
    result = export_record(service, discharge_id, "pdf", tmp_path / "report.pdf")
    assert result.path is not None
    info = subprocess.run(
        [require_tool("pdfinfo"), str(result.path)], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    assert "612 x 792 pts (letter)" in info


def _pages_of_each_ending(html: str, lines: range) -> dict[int, list[str]]:
    """The report's ending (the Integrity section, its table, the closing notice) printed after 0, 1,
    2 … lines of text, each on pages of its own, so that the page break falls at every height of the
    ending in turn; rendered as one PDF with the report's own stylesheet (one render, not dozens)."""
    import weasyprint

    style = re.search(r"<style[^>]*>(.*?)</style>", html, re.DOTALL)
    assert style is not None
    ending = html[html.index('<section id="integrity">') : html.index("</footer>") + len("</footer>")]
    cases = "".join(
        f'<div class="page" style="break-before: page"><main><p style="margin: 0">Case {n} begins.</p>'
        + "".join(f'<p style="margin: 0">Filler line {k}.</p>' for k in range(n))
        + ending  # closes the <main> it opened
        + "</div>"
        for n in lines
    )
    page = f"<!DOCTYPE html><html><head><style>{style[1]}</style></head><body>{cases}</body></html>"
    pdf = weasyprint.HTML(string=page)
    path = Path(tempfile.mkdtemp()) / "endings.pdf"
    path.write_bytes(pdf.write_pdf())
    text = subprocess.run(
        [require_tool("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    by_case: dict[int, list[str]] = {}
    case = -1
    for page in text.split("\f"):
        found = re.search(r"Case (\d+) begins", page)
        case = int(found[1]) if found else case
        if page.strip():
            by_case.setdefault(case, []).append(page)
    return by_case


def _body(page: str) -> list[str]:
    """The lines of a page less the running footer ("Confidential … Page n of m")."""
    return [line.strip() for line in page.splitlines() if line.strip() and not re.search(r"Page \d+ of \d+$", line)]


def test_the_last_page_never_holds_a_lone_line_or_row(service: Service, discharge_id: str, tmp_path: Path) -> None:
    """Wherever the page break falls in the report's ending, the closing notice stays whole (it used
    to leave its last line, "Exported by …", alone on the last page) and the last page holds more
    than the notice: the rows of the table above come along, never one row alone."""
    result = export_record(service, discharge_id, "html", tmp_path / "report.html")
    assert result.path is not None
    lines_on_a_page = range(0, 60)  # more than an A4 page holds at this size: every break position
    for n, pages in _pages_of_each_ending(result.path.read_text(encoding="utf-8"), lines_on_a_page).items():
        last = _body(pages[-1])
        notice = [i for i, line in enumerate(last) if line.startswith(("Confidential.", "Exported by ethicsdesk"))]
        assert len(notice) == 2, f"after {n} lines the closing notice is split:\n{pages[-1]}"
        if len(pages) > 1:  # the ending broke across pages: the notice is not alone, nor with one line
            before = last[: notice[0]]
            assert len(before) >= 2, f"after {n} lines the last page holds only {before}:\n{pages[-1]}"
