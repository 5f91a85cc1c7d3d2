"""The supervisor's rating of the rationale in the sign-off part of every report format: `show`
(and the replay and review panes, which print the same text), JSON (`consultation.rating`),
Markdown, HTML and, where weasyprint and pdftotext are here, PDF. A record re-asked after a rated
answer shows no rating until the new request is rated: a rating stays with its own request."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from ethicsdesk.reporting.plain_text import record_summary
from ethicsdesk.service import Service
from ethicsdesk.service.exporting import export_record
from ethicsdesk.service.review import RatingInput
from tests.conftest import require_tool
from tests.reporting.conftest import SUPERVISOR

NOTE = "The analysis names the floor but not how the client's own safety was weighed."


def exported(service: Service, rid: str, fmt: str, tmp_path: Path) -> str:
    result = export_record(service, rid, fmt, tmp_path / f"report-{len(list(tmp_path.iterdir()))}.{fmt}")
    assert result.path is not None
    return result.path.read_text(encoding="utf-8")


def shown(service: Service, rid: str) -> str:
    state = service.record(rid)
    return record_summary(state, service.framework_of(state), service.catalogue(), service.head(rid), 200)


def test_json_carries_the_rating_under_consultation(service: Service, signed_threat_id: str, tmp_path: Path) -> None:
    rating = json.loads(exported(service, signed_threat_id, "json", tmp_path))["consultation"]["rating"]
    assert [(d["id"], d["mark"]) for d in rating["domains"]] == [
        ("question", "met"), ("information", "met"), ("analysis", "partly"), ("conclusions", "met")
    ]
    assert (rating["level"], rating["acceptable"], rating["note"]) == (3, True, NOTE)
    assert rating["rated_by"] == SUPERVISOR.name


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_markdown_and_html_show_it_before_the_signature(
    service: Service, signed_threat_id: str, tmp_path: Path, fmt: str
) -> None:
    text = exported(service, signed_threat_id, fmt, tmp_path).replace("&#39;", "'")
    rating_at = text.index("Rating of the rationale")
    sign_off = "<h3>Sign-off</h3>" if fmt == "html" else "### Sign-off\n"
    # the sign-off consultation's conditions (the last of them: a committee's answer has its own)
    assert text.rindex("Changes or conditions asked for") < rating_at < text.index(sign_off)
    part = text[rating_at:]
    assert "3 of 4 (acceptable)" in part and NOTE in part and "Partly met" in part
    assert "Pearlman et al., American Journal of Bioethics, 2016" in part


def test_show_prints_it_in_the_consultation(service: Service, signed_threat_id: str) -> None:
    text = shown(service, signed_threat_id)
    part = text[text.index("Rating of the rationale, by Dana Whitlock"):]
    assert "  Ethical analysis: Partly met." in part
    assert "Overall level: 3 of 4 (acceptable); 3 and 4 are acceptable." in part
    assert NOTE in " ".join(part.split())


def test_a_new_request_reports_no_rating_until_it_is_rated(
    service: Service, threat_id: str, db_url: str, tmp_path: Path
) -> None:
    supervisor = Service.open(db_url, SUPERVISOR, service.clock)
    try:
        low = RatingInput(dict.fromkeys(("question", "information", "analysis", "conclusions"), "not-met"), 1)
        supervisor.review.answer_consultation(threat_id, "do-not-concur", "Start again from the facts.", rating=low)
        assert "1 of 4 (poor)" in exported(service, threat_id, "md", tmp_path)
        service.editing.request_consultation(threat_id, SUPERVISOR.name, "Rewritten: is warning him justified now?")
        assert json.loads(exported(service, threat_id, "json", tmp_path))["consultation"]["rating"] is None
        assert "Rating of the rationale" not in exported(service, threat_id, "md", tmp_path)
        assert "Rating of the rationale" not in shown(service, threat_id)
    finally:
        supervisor.close()


def test_the_pdf_text_holds_the_rating(service: Service, signed_threat_id: str, tmp_path: Path) -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        pytest.skip(f"PDF NOT TESTED: weasyprint is not importable here ({exc})")
    result = export_record(service, signed_threat_id, "pdf", tmp_path / "report.pdf")
    assert result.path is not None
    text = subprocess.run(
        [require_tool("pdftotext"), str(result.path), "-"], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "Rating of the rationale" in flat and "3 of 4 (acceptable)" in flat
