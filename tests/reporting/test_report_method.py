"""The method's questions in the reports: the danger question (a yes with the safety floor's steps,
emergency services first), the kind of problem and right against wrong, moral distress on Outcome, and
the next steps where the one consulted did not concur. Markdown, HTML and JSON carry them (the JSON
under keys added beside the stable ones); a record that answered none says so and lists no steps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ethicsdesk.service import Service
from ethicsdesk.service.exporting import export_record
from ethicsdesk.settings import User

DANA = User("Dana Okafor", "supervisor")


@pytest.fixture
def method_id(service: Service, db_url: str) -> str:
    rid = service.editing.create_record("Wants to leave the ward tonight", case_code="C-31")
    service.editing.set_text(rid, "immediate_danger", "yes")
    service.editing.set_text(rid, "problem_kinds", "clinical,ethical")
    service.editing.set_text(rid, "dilemma_type", "right-vs-wrong")
    service.editing.set_text(rid, "moral_distress", "qz Angry that the ward would not listen; talked to peer group.")
    first = service.editing.add_option(rid, "Stay on the ward (status quo)")
    service.editing.add_option(rid, "Leave with a crisis plan")
    service.editing.decide(rid, "chosen", first)
    service.editing.request_consultation(rid, DANA.name, "Is this defensible?")
    supervisor = Service.open(db_url, DANA)
    assert isinstance(supervisor, Service)
    supervisor.review.answer_consultation(rid, "do-not-concur", "qz The crisis plan is not in place.")
    supervisor.close()
    return rid


def exported(service: Service, rid: str, fmt: str, tmp_path: Path) -> str:
    result = export_record(service, rid, fmt, tmp_path / f"report.{fmt}")
    assert result.path is not None
    return result.path.read_text()


def test_the_json_report_carries_them_under_added_keys(service: Service, method_id: str, tmp_path: Path) -> None:
    data = json.loads(exported(service, method_id, "json", tmp_path))
    screen = data["safety_screen"]
    assert (screen["answer"], screen["raised"], screen["floor"], screen["floor_ticked"]) == (
        "yes", True, "imminent-risk", True
    )
    assert screen["steps"][0].startswith("If life is in danger now, call emergency services")
    assert data["problem_framing"]["kinds"] == ["ethical", "clinical"]  # stored in the list's order
    assert data["problem_framing"]["dilemma_type"] == "right-vs-wrong"
    assert data["problem_framing"]["right_vs_wrong_steps"][0].endswith("do the right thing.")
    assert data["outcome"]["moral_distress"].startswith("qz Angry")
    concur = data["non_concurrence"]
    assert concur["applies"] and concur["by"][0]["whom"] == DANA.name
    assert any("ethics committee" in s for s in concur["steps"])
    # the stable keys are where they were
    assert [o["id"] for o in data["obligations"]] == ["imminent-risk"] and data["obligations"][0]["floor"] == "safety"


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_markdown_and_html_show_them_in_order(service: Service, method_id: str, fmt: str, tmp_path: Path) -> None:
    text = " ".join(exported(service, method_id, fmt, tmp_path).split())
    danger = text.index("Is anyone in immediate danger?")
    # the danger question and its steps come before the rest of the situation and the obligations
    assert danger < text.index("call emergency services") < text.index("Kind of problem")
    assert text.index("Kind of problem") < text.index("Rests on")
    assert "Right against wrong: one course is plainly wrong" in text
    assert "Moral distress and self-care (NACM 14)" in text and "qz Angry" in text
    assert text.index("When the one consulted does not concur") < text.index("Moral distress and self-care")
    assert "Document the disagreement" in text


def test_an_unanswered_record_says_so_and_lists_no_steps(service: Service, tmp_path: Path) -> None:
    rid = service.editing.create_record("Nothing asked yet", case_code="C-2")
    data = json.loads(exported(service, rid, "json", tmp_path))
    assert (data["safety_screen"]["raised"], data["safety_screen"]["steps"]) == (False, [])
    assert data["problem_framing"]["empty"] and not data["non_concurrence"]["applies"]
    assert "When the one consulted does not concur" not in exported(service, rid, "md", tmp_path)
