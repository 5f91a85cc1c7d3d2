"""Sources and plan through the service: sources consulted and the plan are events like any other (verify
and replay hold), `show` and the review screen's text list them, and a training debrief sets the
trainee's beside the sample's reference."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ethicsdesk.domain.history import describe
from ethicsdesk.domain.record import MAX_ITEMS, Event, Source
from ethicsdesk.errors import BadInput
from ethicsdesk.reporting.plain_text import record_summary
from ethicsdesk.reporting.training_report import debrief_markdown
from ethicsdesk.reporting.training_text import debrief_text
from ethicsdesk.service import Service


def summary(service: Service, rid: str) -> str:
    state = service.record(rid)
    return record_summary(state, service.framework_of(state), service.catalogue(), "h" * 64)


def test_sources_are_kept_in_order_and_verify_and_replay_hold(service: Service) -> None:
    rid = service.editing.create_record("Sources")
    service.editing.set_sources(
        rid, [("Code", " NACM 18 "), ("law", "The state's duty-to-protect statute"), ("other", "  ")]
    )
    assert service.record(rid).sources == [
        Source("code", "NACM 18"),
        Source("law", "The state's duty-to-protect statute"),
    ]
    service.editing.set_sources(rid, [("colleague", "Dana")])
    assert service.record(rid).sources == [Source("colleague", "Dana")]
    assert service.integrity.verify(rid) == (1, [])  # one record: its chain holds and its tables match the fold
    events = service.integrity.event_payloads(rid)
    assert [e["type"] for e in events][-1] == "sources.set"


def test_a_source_of_no_known_kind_or_too_many_are_refused(service: Service) -> None:
    rid = service.editing.create_record("Sources")
    with pytest.raises(BadInput, match="'gossip' is not a kind of source"):
        service.editing.set_sources(rid, [("gossip", "The corridor")])
    with pytest.raises(BadInput, match=f"at most {MAX_ITEMS['sources']} sources"):
        service.editing.set_sources(rid, [("other", f"Source {n}") for n in range(MAX_ITEMS["sources"] + 1)])
    assert service.record(rid).sources == []


def test_the_history_names_the_change() -> None:
    event = Event("r1", 2, "sources.set", "robin", "2026-01-01T00:00:00Z", {"items": [{"kind": "code", "detail": "N"}]})
    assert describe(event) == "set sources consulted (1)"


def test_show_lists_the_sources_the_plan_and_how_it_went(service: Service) -> None:
    rid = service.editing.create_record("Planned")
    assert "Sources consulted" not in summary(service, rid)
    service.editing.set_sources(rid, [("policy", "The agency's closure rule")])
    service.editing.set_text(rid, "plan_actions", "The case manager calls on Monday.")
    service.editing.decide(rid, "follow_up", "2027-01-15")
    service.editing.set_text(rid, "against_plan", "The call was a day late.")
    text = summary(service, rid)
    assert "Sources consulted:\n  - policy: The agency's closure rule" in text
    assert "Implementation plan:" in text and "The case manager calls on Monday." in text
    assert "Follow-up date:" in text and "2027-01-15" in text
    assert "AGAINST THE PLAN" in text.upper() and "The call was a day late." in text
    assert text.index("Sources consulted") < text.index("OPTIONS AND WEIGHING")


def test_the_debrief_sets_the_trainees_sources_and_plan_beside_the_references(service: Service) -> None:
    rid = service.training.start_training("discharge-against-advice")
    state = service.record(rid)
    assert state.sources == [] and not state.text.get("plan_actions")  # the answers are left out
    service.editing.set_sources(rid, [("code", "NACM 2")])
    service.editing.set_text(rid, "plan_actions", "Phone him the day after.")
    debrief = service.training.debrief(rid)
    assert debrief.sources == (("code", "NACM 2"),)
    assert ("code", "NACM 12: honesty with him, his daughter and the team about the risks") in debrief.reference.sources
    assert debrief.reference.plan["plan_actions"].startswith("Before he leaves")
    assert debrief.reference.plan["follow_up"] == "in 7 days"
    data = debrief.to_json()
    assert data["sources"]["trainee"] == [["code", "NACM 2"]]
    assert data["plan"]["trainee"] == {"plan_actions": "Phone him the day after."}
    text = debrief_text(debrief)
    assert "SOURCES CONSULTED AND PLAN" in text and "Phone him the day after." in text
    markdown = debrief_markdown(debrief)
    assert "## Sources consulted and plan" in markdown and "Before he leaves" in markdown


def test_a_debrief_shows_the_section_only_where_the_reference_has_them(service: Service) -> None:
    rid = service.training.start_training("gift-from-family")  # every sample now names its sources and plan
    debrief = service.training.debrief(rid)
    assert debrief.reference.sources and debrief.reference.plan
    assert "SOURCES CONSULTED" in debrief_text(debrief) and "Sources consulted" in debrief_markdown(debrief)
    bare = replace(debrief, reference=replace(debrief.reference, plan={}, sources=()))
    assert "SOURCES CONSULTED" not in debrief_text(bare)
    assert "Sources consulted" not in debrief_markdown(bare)
