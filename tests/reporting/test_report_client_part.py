"""The client's part in the report: the case manager's own values and the medical or service facts in the
situation, who decides and the client's part in the decision, the liking test among the tests of the
action, and the capable-client flag among what is missing. Each format (md, html, json, pdf) carries
them, and an identifier written into them is masked."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from ethicsdesk.domain.checks import action_test_key
from ethicsdesk.service import Service
from ethicsdesk.service.exporting import export_record
from tests.conftest import require_tool

NAME = "Orla Fennimore"
OWN_VALUES = f"I find {NAME} hard work and I notice I hurry our visits."
MEDICAL = f"{NAME} has stable heart failure and walks 50 metres with a frame."
INFORMED = f"Told by the team at the Tuesday meeting; {NAME} was not there."


@pytest.fixture
def part_id(service: Service) -> str:
    rid = service.editing.create_record("A move to supported housing", case_code="C-88")
    service.editing.set_list(rid, "identifiers", [NAME])
    service.editing.set_text(rid, "own_values", OWN_VALUES)
    service.editing.set_text(rid, "medical_facts", MEDICAL)
    first = service.editing.add_option(rid, "Stay at home (status quo)")
    service.editing.add_option(rid, "Move to supported housing")
    service.editing.decide(rid, "chosen", first)
    service.editing.set_text(rid, "decision_maker", "team")
    service.editing.set_text(rid, "client_involved", "no")
    service.editing.set_text(rid, "client_informed", INFORMED)
    service.editing.answer(rid, action_test_key("liking"), "yes")
    return rid


def text_of(service: Service, rid: str, fmt: str, tmp_path: Path) -> str:
    result = export_record(service, rid, fmt, tmp_path / f"report.{fmt}")
    assert result.path is not None
    if fmt != "pdf":
        return result.path.read_text()
    return subprocess.run(
        [require_tool("pdftotext"), str(result.path), "-"], capture_output=True, text=True, timeout=60, check=True
    ).stdout


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_each_format_carries_the_new_sections_masked(service: Service, part_id: str, fmt: str, tmp_path: Path) -> None:
    if fmt == "pdf":
        pytest.importorskip("weasyprint")
    text = " ".join(text_of(service, part_id, fmt, tmp_path).split())
    for words in (
        "Medical or service facts",
        "has stable heart failure",
        "own values and feelings",
        "I notice I hurry our visits",
        "Who decides, and the client",
        "The team",
        "Did the client take part in the decision?",
        "Whether and how the client is told",
        "Told by the team at the Tuesday meeting",
        "Would your answer change if the client were someone you like more or less",
        "The client took no part in this decision",
        "The liking test was answered yes",
    ):
        assert words in text, (fmt, words)
    assert NAME not in text and "[identifier 1]" in text


def test_the_json_report_carries_them_for_programs(service: Service, part_id: str, tmp_path: Path) -> None:
    view = json.loads(text_of(service, part_id, "json", tmp_path))
    part = {p["id"]: p for p in view["decision"]["client_part"]}
    assert (part["decision_maker"]["value"], part["decision_maker"]["text"]) == ("team", "The team")
    assert part["client_involved"]["value"] == "no"
    assert part["client_informed"]["text"] == INFORMED.replace(NAME, "[identifier 1]")
    fields = {f["id"]: f["text"] for f in view["situation"]["fields"]}
    assert fields["own_values"] == OWN_VALUES.replace(NAME, "[identifier 1]")
    assert fields["medical_facts"] == MEDICAL.replace(NAME, "[identifier 1]")
    assert [t["answer"] for t in view["checks"]["tests"] if t["id"] == "liking"] == ["yes"]
    assert "capable-client-left-out" in [f["id"] for f in view["checks"]["findings"]]
    assert NAME not in json.dumps(view)


def test_unmasked_when_asked(service: Service, part_id: str, tmp_path: Path) -> None:
    result = export_record(service, part_id, "md", tmp_path / "open.md", include_identifiers=True)
    assert result.path is not None
    assert NAME in result.path.read_text()


def test_a_record_without_them_says_they_are_not_answered(service: Service, tmp_path: Path) -> None:
    rid = service.editing.create_record("Nothing about the client's part yet")
    text = text_of(service, rid, "md", tmp_path)
    section = text.split("### Who decides, and the client's part", 1)[1].split("### Rationale", 1)[0]
    assert section.count("*Not answered.*") == 3
    assert "Medical or service facts" in text.split("## 3.", 1)[0]  # listed as not recorded
