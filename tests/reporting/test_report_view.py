"""The view data behind every report: the JSON report contract (DESIGN.md), plain data only,
sections that say they are empty, and masking that reaches every string."""

from __future__ import annotations

import json
from typing import Any

from ethicsdesk.service import Service
from ethicsdesk.service.exporting import identifier_warnings, report_data

PRINCIPLES = ["autonomy", "beneficence", "equity", "fidelity", "justice", "nonmaleficence", "veracity"]


def walk(value: Any) -> list[Any]:
    """Every leaf and key of plain data."""
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in (k, *walk(v))]
    if isinstance(value, list):
        return [x for v in value for x in walk(v)]
    return [value]


def test_the_json_keys_of_the_contract(service: Service, discharge_id: str) -> None:
    view = report_data(service, discharge_id)
    assert [(p["id"], p["weight"]) for p in view["principles"]] == list(
        zip(PRINCIPLES, [3, 2, 1, 1, 1, 2, 2], strict=True)
    )
    assert all(isinstance(p["name"], str) and p["name"] for p in view["principles"])
    chosen = next(o for o in view["options"] if o["key"] == "support-return-home")
    assert chosen["label"] == "Discharge home with a negotiated safety plan"
    assert chosen["scores"] == dict(zip(PRINCIPLES, [2, 1, 1, 2, 1, -1, 2], strict=True))
    assert chosen["weighted_total"] == 14
    assert [o["weighted_total"] for o in view["options"]] == [2, -3, 14, -8]
    assert [(o["id"], o["legal_floor"]) for o in view["obligations"]] == [
        ("informed-consent", False),
        ("capacity", False),
        ("decision-documentation", False),
    ]
    assert all(isinstance(o["provisions"], list) and o["provisions"] for o in view["obligations"])
    assert view["decision"]["chosen"] == "support-return-home"
    assert view["decision"]["rationale"].startswith("Two competent assessors")
    assert isinstance(view["analysis"]["tensions"], list) and view["analysis"]["tensions"]
    assert view["integrity"] == {
        "head_hash": service.head(discharge_id),
        "events": 1,
        "export_event": 2,
        "verify_command": f"ethicsdesk verify {discharge_id}",
    }


def test_the_view_is_plain_data_that_survives_json(service: Service, threat_id: str) -> None:
    view = report_data(service, threat_id)
    assert all(v is None or isinstance(v, str | int | float | bool) for v in walk(view))
    assert json.loads(json.dumps(view)) == view


def test_a_legal_floor_carries_its_checks_per_option(service: Service, threat_id: str) -> None:
    view = report_data(service, threat_id)
    warn = next(o for o in view["obligations"] if o["id"] == "duty-to-warn")
    assert warn["legal_floor"] is True and warn["requires_now"]
    verdicts = {c["option"]: c["honours"] for c in warn["floor_checks"]}
    assert verdicts == {
        "keep-confidential-monitor": False,
        "warn-only": True,
        "crisis-evaluation-only": None,
        "protect-then-tell-when-safe": True,
    }
    assert view["analysis"]["rules"]["applies"] is True
    status_quo = next(o for o in view["options"] if o["key"] == "keep-confidential-monitor")
    assert status_quo["excluded_by"] == ["duty-to-warn", "imminent-risk", "documentation-integrity"]
    # a code rule is broken, a floor is failed: the two are told apart
    assert status_quo["fails_floors"] == ["duty-to-warn", "imminent-risk"]
    assert status_quo["breaks_rules"] == ["documentation-integrity"]
    rule = next(o for o in view["obligations"] if o["id"] == "documentation-integrity")
    assert (rule["floor"], rule["legal_floor"], rule["floor_name"]) == ("rule", False, "code rule")
    assert all(o["breaks_rules"] == [] for o in view["options"] if o["key"] != "keep-confidential-monitor")


def test_consultations_asked_during_the_walk_carry_step_whom_question_and_answer(
    service: Service, threat_id: str
) -> None:
    view = report_data(service, threat_id)
    asked = [(c["number"], c["step"], c["kind"], c["whom"], c["state"], c["sign_off"]) for c in view["consultations"]]
    assert asked == [
        (1, "obligations", "colleague", "Lee Marsh", "answered", False),
        (2, "options", "committee", "Northside ethics committee", "answered", False),
        (0, "consult", "supervisor", "Dana Whitlock", "requested", True),
    ]
    committee = view["consultations"][1]
    assert committee["question"].startswith("Is warning without telling him first")
    assert committee["notes"].startswith("Yes, if telling him first") and committee["outcome_label"] == "Concur"
    assert committee["answered_by"] == "Northside ethics committee" and committee["recorded_by"] == "Robin Ashdown"
    assert committee["step_label"] == "Options" and committee["kind_label"] == "ethics committee"


def test_the_decision_checks_and_the_consultation(service: Service, threat_id: str) -> None:
    view = report_data(service, threat_id)
    compromised = view["decision"]["compromised"]
    assert compromised and all(len(c["justifications"]) == 5 for c in compromised)
    assert all(j["answer"].startswith("Met: ") for c in compromised for j in c["justifications"])
    assert [t["answer"] for t in view["checks"]["tests"]] == ["yes", "yes", "yes", "no"]
    assert [s["answer"] for s in view["checks"]["sure"]] == ["yes", "yes", "yes", "no"]
    assert "decisional-conflict" in [f["id"] for f in view["checks"]["findings"]]
    c = view["consultation"]
    assert (c["requested"], c["supervisor"], c["urgent"], c["state"]) == (True, "Dana Whitlock", True, "requested")
    assert view["record"]["status"] == "awaiting-consultation"


def test_a_new_record_has_every_section_and_each_says_it_is_empty(service: Service) -> None:
    rid = service.editing.create_record("Nothing yet")
    view = report_data(service, rid)
    assert view["question"] == "" and view["situation"]["empty"] is True
    assert view["options"] == [] and view["obligations"] == [] and view["decision"]["chosen"] is None
    assert view["consultation"]["requested"] is False
    assert [f["id"] for f in view["checks"]["findings"]][:3] == ["no-facts", "no-client-wishes", "no-question"]


def test_history_and_contributors_stop_at_the_exported_head(service: Service, threat_id: str) -> None:
    view = report_data(service, threat_id)
    assert len(view["history"]) == view["integrity"]["events"]
    assert view["history"][-1]["hash"] == view["integrity"]["head_hash"]
    assert view["contributors"] == [
        {
            "name": "Robin Ashdown",
            "role": "case manager",
            "changes": view["integrity"]["events"],
            "first": view["history"][0]["at"],
            "last": view["history"][-1]["at"],
        }
    ]


def test_masking_reaches_every_string_of_the_view(service: Service, discharge_id: str) -> None:
    names = ["Anselm", "Thistlewood", "Bryony", "555-0142", "00-4471-VG", "Hollin Lane", "1944-03-17"]
    unmasked = json.dumps(report_data(service, discharge_id, masked=False))
    assert all(n in unmasked for n in names)
    masked = report_data(service, discharge_id)
    text = json.dumps(masked).casefold()
    assert not [n for n in names if n.casefold() in text]
    assert "[identifier 1]" in masked["situation"]["fields"][1]["text"]
    assert masked["report"]["identifiers_masked"] is True and masked["report"]["identifier_count"] == 9


def test_unlisted_lookalikes_become_warnings_naming_the_field(service: Service, discharge_id: str) -> None:
    service.editing.set_text(discharge_id, "context", "His GP is on 617-555-0199, or e-mail gp@example.org.")
    warnings = identifier_warnings(report_data(service, discharge_id))
    assert warnings[:2] == [
        "Situation: context (family, payer, agency policy, law): 'gp@example.org' looks like an e-mail address",
        "Situation: context (family, payer, agency policy, law): '617-555-0199' looks like a phone or fax number",
    ]
    assert "2 passage(s)" in warnings[-1]


def test_listed_identifiers_raise_no_warning_masked_or_not(service: Service, discharge_id: str) -> None:
    assert identifier_warnings(report_data(service, discharge_id)) == []
    assert identifier_warnings(report_data(service, discharge_id, masked=False)) == []
    service.editing.set_list(discharge_id, "identifiers", ["Anselm"])  # the phone, the date ... are no longer listed
    assert len(identifier_warnings(report_data(service, discharge_id, masked=False))) > 3


def test_the_answer_the_signature_and_the_addenda(service: Service, signed_threat_id: str) -> None:
    view = report_data(service, signed_threat_id)
    c = view["consultation"]
    assert (c["state"], c["outcome"], c["outcome_label"], c["answered_by"]) == (
        "answered", "concur-with-changes", "Concur with changes", "Dana Whitlock"
    )
    assert c["conditions"].startswith("Agree with the police when the client is told")
    sig = view["signature"]
    signing_event = next(e for e in view["history"] if e["type"] == "record.signed")
    before = next(e for e in view["history"] if e["seq"] == signing_event["seq"] - 1)
    assert (sig["signed"], sig["signer"], sig["role"], sig["signed_head"]) == (
        True, "Dana Whitlock", "supervisor", before["hash"]
    )
    assert sig["public_key"] and sig["signature"] and len(sig["fingerprint"]) == 64
    assert [(a["topic"], a["topic_label"], a["author"]) for a in view["addenda"]] == [
        ("outcome", "Outcome", "Robin Ashdown")
    ]
    assert view["record"]["status"] == "signed"


def test_an_addendum_is_scanned_for_lookalikes(service: Service, signed_threat_id: str) -> None:
    service.review.add_addendum(
        signed_threat_id, "new-information", "A call came in.", "His brother rang from 617-555-0123."
    )
    warnings = identifier_warnings(report_data(service, signed_threat_id))
    assert "Addendum 2: '617-555-0123' looks like a phone or fax number" in warnings
    # The follow-up is the date of the next review, asked for as a date: the report prints it
    # in its header, and advising to mask it taught people to ignore the warnings.
    assert not [w for w in warnings if "follow-up" in w]
