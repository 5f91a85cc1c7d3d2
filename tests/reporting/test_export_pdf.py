"""The PDF report, through weasyprint (the optional `pdf` extra).

Skipped where weasyprint cannot be imported, which is every machine without `pip install
'ethicsdesk[pdf]'` (or the dev extra, once it lists weasyprint); the message without it is
tested in test_export.py. The text check uses poppler's pdftotext (tests/conftest.require_tool)."""

from __future__ import annotations

import subprocess
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
    events = [e["payload"] for e in service.event_payloads(discharge_id) if e["type"] == "record.exported"]
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
