"""The client's part in training: a sample's own values and medical facts are given with the situation; who
decides and the client's part are the trainee's to answer, and the debrief (text, Markdown, JSON)
sets the sample's answers beside theirs."""

from __future__ import annotations

from dataclasses import replace

from ethicsdesk.reporting.training_report import debrief_markdown
from ethicsdesk.reporting.training_text import debrief_text
from ethicsdesk.service import Service

SAMPLE = "advance-directive-family-conflict"


def test_the_attempt_is_given_the_situation_but_not_the_client_part(service: Service) -> None:
    state = service.record(service.training.start_training(SAMPLE))
    assert state.text["own_values"].startswith("I sat beside")
    assert state.text["medical_facts"].startswith("Severe chronic lung disease")
    assert not {"decision_maker", "client_involved", "client_informed"} & set(state.text)


def test_the_debrief_sets_the_samples_client_part_beside_the_trainees(service: Service) -> None:
    rid = service.training.start_training(SAMPLE)
    service.editing.set_text(rid, "decision_maker", "team")
    debrief = service.training.debrief(rid)
    rows = {q: (mine, theirs) for q, mine, theirs in debrief.client_part_rows()}
    assert rows["Who decides"] == ("The team", "The treating physician")
    assert rows["Did the client take part in the decision?"] == ("", "No")
    text = " ".join(debrief_text(debrief).split())
    assert "Who decides You: The team Reference: The treating physician" in text
    assert "You: (not answered) Reference: No" in text
    markdown = debrief_markdown(debrief)
    assert "### Who decides, and the client's part" in markdown
    assert "| Who decides | The team | The treating physician |" in markdown
    part = debrief.to_json()["client_part"]
    assert part["decision_maker"] == {"trainee": "team", "reference": "treating-physician"}


def test_a_sample_without_them_has_no_such_section(service: Service) -> None:
    debrief = service.training.debrief(service.training.start_training("gift-from-family"))
    assert debrief.client_part_rows()  # every sample now says who decides: a reference without it has none
    debrief = replace(debrief, reference=replace(debrief.reference, client_part={}))
    assert debrief.client_part_rows() == []
    assert "Who decides" not in debrief_text(debrief)
    assert "Who decides" not in debrief_markdown(debrief)
