"""Masking in the finished reports: an identifier written into every field a person fills in is
absent from every section of every format, unless --include-identifiers asks for it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from ethicsdesk.domain.checks import decision_questions
from ethicsdesk.domain.client_part import FIELD_CHOICES
from ethicsdesk.domain.problem_framing import FRAMING_FIELDS
from ethicsdesk.domain.record import TEXT_FIELDS
from ethicsdesk.service import Service
from ethicsdesk.service.exporting import export_record
from tests.reporting.test_hostile_text import flat, parse

IDENTIFIERS = ["Anselm Thistlewood", "Thistlewood", "Anselm", "555-0142", "1944-03-17", "O'Hara"]
NAMED = "Anselm Thistlewood (born 1944-03-17, on 555-0142) and Mrs O'Hara; ANSELM, thistlewood"


@pytest.fixture
def named_id(service: Service) -> str:
    rid = service.editing.create_record(f"Discharge of {NAMED}"[:200], case_code="C-77")
    service.editing.set_list(rid, "identifiers", IDENTIFIERS)
    for name in TEXT_FIELDS:
        if name not in ("title", "case_code", *FIELD_CHOICES, *FRAMING_FIELDS):  # a choice cannot hold a name
            service.editing.set_text(rid, name, f"{name}: {NAMED}")
    service.editing.set_list(rid, "tags", ["Thistlewood family"])
    service.editing.set_stakeholders(rid, [("Anselm's daughter", NAMED)])
    home = service.editing.add_option(rid, "Send Anselm home", NAMED)
    stay = service.editing.add_option(rid, "Keep Thistlewood on the ward", NAMED)
    fw = service.framework_of(service.record(rid))
    for p in fw.ids:
        service.editing.score(rid, home, p, -1 if p == "nonmaleficence" else 1)
        service.editing.score(rid, stay, p, 0)
        service.editing.note(rid, home, p, NAMED)
    service.editing.decide(rid, "chosen", home)
    for field in ("rationale", "mitigation"):
        service.editing.decide(rid, field, NAMED)
    service.editing.decide(rid, "follow_up", "2026-12-15")  # a date, read as one: it cannot carry a name
    for q in decision_questions(service.record(rid), fw):
        service.editing.answer(rid, q.key, NAMED)
    service.editing.request_consultation(rid, "Dana Thistlewood-Ray", NAMED)
    return rid


def leaked(text: str) -> list[str]:
    folded = flat(text).casefold()
    return [i for i in IDENTIFIERS if i.casefold() in folded]


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_no_identifier_survives_anywhere(service: Service, named_id: str, tmp_path: Path, fmt: str) -> None:
    result = export_record(service, named_id, fmt, tmp_path / f"r.{fmt}")
    assert result.path is not None
    raw = result.path.read_text(encoding="utf-8")
    assert leaked(raw) == []
    readable = "".join(parse(raw).text) if fmt == "html" else raw  # O'Hara is O&#39;Hara in raw HTML
    assert leaked(readable) == []
    assert raw.count("[identifier 1]") + raw.count("\\[identifier 1\\]") >= 20  # every section has one


def test_every_section_of_the_json_is_masked(service: Service, named_id: str, tmp_path: Path) -> None:
    result = export_record(service, named_id, "json", tmp_path / "r.json")
    assert result.path is not None
    data = json.loads(result.path.read_text(encoding="utf-8"))
    for section, value in data.items():
        assert leaked(json.dumps(value, ensure_ascii=False)) == [], section
    assert data["report"]["identifiers"] == [f"[identifier {n}]" for n in range(1, 7)]
    assert data["consultation"]["supervisor"] == "Dana [identifier 2]-Ray"
    assert [o["key"] for o in data["options"]] == ["send-[identifier 3]-home", "keep-[identifier 2]-on-the-ward"]
    assert data["decision"]["chosen"] == "send-[identifier 3]-home"  # keys stay consistent


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_include_identifiers_shows_them(service: Service, named_id: str, tmp_path: Path, fmt: str) -> None:
    result = export_record(service, named_id, fmt, tmp_path / f"r.{fmt}", include_identifiers=True)
    assert result.path is not None
    text = result.path.read_text(encoding="utf-8")
    readable = "".join(parse(text).text) if fmt == "html" else text
    assert set(leaked(readable)) == set(IDENTIFIERS)


def test_the_pdf_is_masked_too(service: Service, named_id: str, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint", reason="PDF NOT TESTED: weasyprint is not installed")
    from tests.conftest import require_tool

    result = export_record(service, named_id, "pdf", tmp_path / "r.pdf")
    assert result.path is not None
    text = subprocess.run(
        [require_tool("pdftotext"), str(result.path), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert leaked(text) == [] and "[identifier 1]" in text
