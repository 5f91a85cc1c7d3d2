"""What the report says in its header, its lists and its integrity section: identifiers named
when a copy includes them, "Not recorded" only for what the walk asks for, an option legend beside the
matrix, and no sentence that points at a hash on the wrong side of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ethicsdesk.service import Service
from ethicsdesk.service.exporting import export_record


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_copy_with_identifiers_names_them_in_its_header(
    service: Service, threat_id: str, in_tmp: Path, fmt: str
) -> None:
    identifiers = service.record(threat_id).identifiers
    assert identifiers
    result = export_record(service, threat_id, fmt, include_identifiers=True)
    assert result.path is not None
    text = result.path.read_text(encoding="utf-8")
    header = text[: text.index("1. The question")]
    assert "Identifiers" in header
    assert all(i in header for i in identifiers), [i for i in identifiers if i not in header]

    masked = export_record(service, threat_id, fmt, out=in_tmp / f"masked.{fmt}")
    assert masked.path is not None
    masked_text = masked.path.read_text(encoding="utf-8")
    assert not any(i in masked_text for i in identifiers)


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_not_recorded_lists_only_what_the_walk_asks_for(service: Service, in_tmp: Path, fmt: str) -> None:
    rid = service.editing.create_record("Refuses the care home", case_code="C-7")
    result = export_record(service, rid, fmt)
    assert result.path is not None
    text = result.path.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if "Not recorded" in x)
    assert "Facts" in line and "Assumptions" in line
    assert "Summary" not in line and "Setting" not in line


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_the_matrix_has_a_legend_and_the_integrity_wording_points_nowhere(
    service: Service, threat_id: str, in_tmp: Path, fmt: str
) -> None:
    result = export_record(service, threat_id, fmt)
    assert result.path is not None
    text = result.path.read_text(encoding="utf-8")
    weighing = text[text.index("5. Weighing") : text.index("Weighted totals")]
    for n, option in enumerate(service.record(threat_id).options, 1):
        assert f"{n} = {option.label}" in weighing or f"{n}. {option.label}" in weighing
    assert "hash below" not in text and "hash above" not in text
    assert "'s lead" not in text


def test_the_pdf_keeps_the_chart_and_its_caption_on_one_page(service: Service, threat_id: str, in_tmp: Path) -> None:
    import subprocess

    from tests.conftest import require_tool

    pytest.importorskip("weasyprint")
    pdftotext = require_tool("pdftotext")
    result = export_record(service, threat_id, "pdf")
    assert result.path is not None
    text = subprocess.run([pdftotext, str(result.path), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")

    def page_of(text: str) -> int:
        return next(n for n, page in enumerate(pages) if text in " ".join(page.split()))

    assert page_of("Weighted totals") == page_of("The figures show how the options compare")


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_a_choice_scored_at_no_cost_is_asked_what_it_gives_up(service: Service, in_tmp: Path, fmt: str) -> None:
    """No principle scored below zero does not mean the dilemma costs nothing: the report asks what is
    given up, or whether this is right against wrong; and the floor and code-rule lines say when to
    consult (never delaying an emergency call or a mandated report; a code rule before acting)."""
    rid = service.editing.create_record("Refuses the care home", case_code="C-7")
    home = service.editing.add_option(rid, "Home with support")
    service.editing.add_option(rid, "Care home")
    service.editing.score(rid, home, "autonomy", 2)
    service.editing.decide(rid, "chosen", home)
    service.editing.set_obligation(rid, "mandated-report", True)
    service.editing.set_obligation(rid, "conflict-of-interest", True)
    result = export_record(service, rid, fmt)
    assert result.path is not None
    text = " ".join(result.path.read_text(encoding="utf-8").split())
    assert "no compromise needs justifying" not in text
    assert "Ask what it still gives up, and for whom" in text and "rather than a true dilemma" in text
    assert "consultation never delays an emergency call or a mandated report" in text
    assert "For a duty to protect, consult at once, before disclosing if time allows." in text
    assert "never before it" not in text
    assert "consult a supervisor before acting" in text and "Consult a supervisor now." not in text
