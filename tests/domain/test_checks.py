"""Decision checks: the prompts, where their answers are stored, and the quality checks that list
what a supervisor would find missing."""

from __future__ import annotations

import pytest

from ethicsdesk.domain.checks import (
    ACTION_TESTS,
    BLOCKING,
    JUSTIFICATION_CONDITIONS,
    STEPS,
    SURE_ITEMS,
    action_test_key,
    compromised_principles,
    decision_questions,
    is_no,
    is_yes,
    justification_key,
    missing_by_step,
    quality_checks,
    sure_key,
)
from ethicsdesk.domain.frameworks import CCMC_PRINCIPLE_IDS, Framework
from ethicsdesk.domain.obligations import Catalogue
from ethicsdesk.domain.record import Consultation, Option, RecordState, Signature, Source, Stakeholder
from ethicsdesk.knowledge import load_catalogue, load_framework

CCMC = load_framework("ccmc")
CATALOGUE = load_catalogue()

HOME = {
    "autonomy": 2,
    "beneficence": 1,
    "equity": 0,
    "fidelity": 1,
    "justice": 0,
    "nonmaleficence": -2,
    "veracity": 1,
}
STAY = {
    "autonomy": -2,
    "beneficence": 1,
    "equity": 0,
    "fidelity": -1,
    "justice": 0,
    "nonmaleficence": 2,
    "veracity": 0,
}


def complete() -> RecordState:
    """A record a supervisor would find nothing missing in."""
    state = RecordState(id="r1", framework_version=CCMC.version)
    state.text = {
        "title": "Wants to go home",
        "outcome": "He went home; the alarm was used once.",
        "facts": "Mr K, 82, wants to go home after a fall.",
        "client_wishes": "To go home to his garden.",
        "question": "Given his capacity, is it ethically justifiable to support a return home?",
        "capacity": "Assessed for this decision by his physician on day eight.",
        "plan_actions": "The case manager books home physiotherapy by Friday.",
        "plan_communication": "He and his daughter are told by phone; the team at the ward round.",
        "plan_revisit": "A new fall or any change in his cognition.",
    }
    state.stakeholders = [Stakeholder("The client", "To go home")]
    state.sources = [Source("code", "NACM 1"), Source("colleague", "The ward's team lead")]
    state.options = [Option("home", "Support return home"), Option("stay", "Stay in rehabilitation")]
    state.scores = {("home", p): s for p, s in HOME.items()} | {("stay", p): s for p, s in STAY.items()}
    state.obligations = ["capacity"]
    state.decision = {
        "chosen": "home",
        "rationale": "He has capacity and a clear wish.",
        "mitigation": "Daily visits and a fall alarm.",
        "follow_up": "2025-07-01",
    }
    for c in JUSTIFICATION_CONDITIONS:
        state.answers[justification_key("nonmaleficence", c.id)] = f"Answer for {c.id}."
    for t in ACTION_TESTS:
        state.answers[action_test_key(t.id)] = "no" if t.fails_on == "yes" else "yes"
    for i in SURE_ITEMS:
        state.answers[sure_key(i.id)] = "Yes"
    state.consultation = Consultation("Dr Ames", "Is a return home defensible?", False, "robin", "2025-06-01T10:00Z")
    return state


def ids(state: RecordState, framework: Framework = CCMC, catalogue: Catalogue = CATALOGUE) -> list[str]:
    return [f.id for f in quality_checks(state, framework, catalogue)]


# --- the prompts ----------------------------------------------------------------------------------
def test_the_prompts_are_the_ones_the_design_names() -> None:
    assert [c.id for c in JUSTIFICATION_CONDITIONS] == [
        "good-reason",
        "prospect-of-success",
        "no-better-alternative",
        "least-infringement",
        "harm-minimised",
    ]
    assert [t.id for t in ACTION_TESTS] == ["publicity", "justice", "universality", "liking"]
    assert [i.id for i in SURE_ITEMS] == ["sure", "understood", "risks-benefits", "supported"]
    for prompt in (*JUSTIFICATION_CONDITIONS, *ACTION_TESTS, *SURE_ITEMS):
        assert prompt.title.strip() and prompt.question.endswith("?"), prompt.id


def test_answer_keys_follow_the_stored_scheme() -> None:
    assert justification_key("autonomy", "good-reason") == "justify:autonomy:good-reason"
    assert action_test_key("publicity") == "test:publicity"
    assert sure_key("risks-benefits") == "sure:risks-benefits"


@pytest.mark.parametrize(
    ("answer", "yes", "no"),
    [
        ("yes", True, False),
        (" No ", False, True),
        ("n", False, True),
        ("", False, False),
        (None, False, False),
        ("maybe", False, False),
    ],
)
def test_yes_and_no_answers(answer: str | None, yes: bool, no: bool) -> None:
    assert (is_yes(answer), is_no(answer)) == (yes, no)


# --- compromised principles and the questions they raise -------------------------------------------
def test_compromised_principles_are_the_chosen_options_negative_scores_in_framework_order() -> None:
    state = complete()
    state.scores[("home", "autonomy")] = -1
    assert compromised_principles(state, CCMC) == ["autonomy", "nonmaleficence"]
    assert compromised_principles(state) == ["autonomy", "nonmaleficence"]
    state.decision["chosen"] = "stay"
    assert compromised_principles(state, CCMC) == ["autonomy", "fidelity"]
    del state.decision["chosen"]
    assert compromised_principles(state, CCMC) == []


def test_compromised_principles_without_a_framework_put_unknown_ids_last() -> None:
    state = complete()
    state.scores[("home", "loyalty")] = -1
    assert compromised_principles(state) == ["nonmaleficence", "loyalty"]
    assert compromised_principles(state, CCMC) == ["nonmaleficence"]


def test_decision_questions_cover_each_compromise_the_tests_and_sure() -> None:
    state = complete()
    state.answers[action_test_key("justice")] = ""
    questions = decision_questions(state, CCMC)
    assert [q.key for q in questions[:5]] == [
        justification_key("nonmaleficence", c.id) for c in JUSTIFICATION_CONDITIONS
    ]
    assert {q.group for q in questions} == {"justify", "test", "sure"}
    assert len(questions) == 5 + 4 + 4
    assert next(q for q in questions if q.key == "test:justice").answer == ""
    assert next(q for q in questions if q.key == "test:publicity").answer == "yes"


# --- quality checks -------------------------------------------------------------------------------
def test_a_complete_record_has_no_findings() -> None:
    assert quality_checks(complete(), CCMC, CATALOGUE) == []


def test_an_empty_record_lists_what_is_missing_in_walk_order() -> None:
    findings = quality_checks(RecordState(id="r0", framework_version=CCMC.version), CCMC, CATALOGUE)
    assert [f.id for f in findings] == [
        "no-title",
        "no-facts",
        "no-client-wishes",
        "no-question",
        "no-stakeholders",
        "no-obligations",
        "no-sources",
        "too-few-options",
        "nothing-to-weigh",
        "no-choice",
        "no-rationale",
        "no-follow-up",
        "no-plan",
        "no-consultation",
        "no-outcome",
    ]
    steps = [f.step for f in findings]
    assert all(s in STEPS for s in steps)
    assert steps == sorted(steps, key=STEPS.index)
    assert all(f.text.strip() for f in findings)


@pytest.mark.parametrize(
    ("field", "finding", "step"),
    [
        ("client_wishes", "no-client-wishes", "situation"),
        ("question", "no-question", "situation"),
        ("facts", "no-facts", "situation"),
    ],
)
def test_missing_situation_text(field: str, finding: str, step: str) -> None:
    state = complete()
    state.text[field] = "  "
    (found,) = quality_checks(state, CCMC, CATALOGUE)
    assert (found.id, found.step) == (finding, step)


@pytest.mark.parametrize(
    ("field", "finding"),
    [("rationale", "no-rationale"), ("follow_up", "no-follow-up"), ("mitigation", "no-mitigation")],
)
def test_missing_decision_parts(field: str, finding: str) -> None:
    state = complete()
    del state.decision[field]
    assert ids(state) == [finding]


def test_a_follow_up_date_before_today_is_listed_until_a_later_one_is_set() -> None:
    from datetime import date

    state = complete()  # follow-up 2025-07-01
    assert ids(state) == []  # without a day to judge against (reports), nothing is said
    (past,) = quality_checks(state, CCMC, CATALOGUE, date(2025, 7, 2))
    assert (past.id, past.step) == ("follow-up-past", "decide")
    assert "2025-07-01" in past.text
    assert quality_checks(state, CCMC, CATALOGUE, date(2025, 7, 1)) == []  # today is not past
    state.signature = Signature("Dana Okafor", "supervisor", "2025-06-30T10:00Z", "head", "key", "fp", "sig")
    assert quality_checks(state, CCMC, CATALOGUE, date(2026, 1, 1)) == []  # a signed plan's date is history


def test_mitigation_is_only_asked_for_when_a_principle_is_compromised() -> None:
    state = complete()
    del state.decision["mitigation"]
    state.scores[("home", "nonmaleficence")] = 0
    assert ids(state) == []


def test_no_chosen_option() -> None:
    state = complete()
    del state.decision["chosen"]
    assert ids(state) == ["no-choice"]
    state.decision["chosen"] = "removed-option"
    assert ids(state) == ["no-choice"]


def test_fewer_than_two_options() -> None:
    state = complete()
    state.options = state.options[:1]
    findings = quality_checks(state, CCMC, CATALOGUE)
    assert [(f.id, f.step) for f in findings] == [("too-few-options", "options")]


def test_an_option_never_scored_and_an_empty_cell() -> None:
    state = complete()
    state.scores = {k: v for k, v in state.scores.items() if k[0] != "stay"}
    del state.scores[("home", "equity")]
    del state.scores[("home", "justice")]
    findings = [f for f in quality_checks(state, CCMC, CATALOGUE) if f.id == "unscored"]
    assert [(f.subject, f.step) for f in findings] == [("home", "weigh"), ("stay", "weigh")]
    assert findings[0].text == "Support return home has no score on Equity and Justice."
    assert findings[1].text == "Stay in rehabilitation has not been scored."


def test_a_compromise_without_a_full_justification() -> None:
    state = complete()
    del state.answers[justification_key("nonmaleficence", "least-infringement")]
    state.answers[justification_key("nonmaleficence", "harm-minimised")] = " "
    state.scores[("home", "equity")] = -1  # a second compromise, not justified at all
    findings = [f for f in quality_checks(state, CCMC, CATALOGUE) if f.id == "unjustified-compromise"]
    assert [f.subject for f in findings] == ["equity", "nonmaleficence"]
    assert "missing: a good reason," in findings[0].text
    assert findings[1].text.endswith("(missing: the least infringement and harm minimised).")
    assert all(f.step == "decide" for f in findings)


def test_action_tests_unanswered_or_failed() -> None:
    state = complete()
    del state.answers[action_test_key("publicity")]
    state.answers[action_test_key("universality")] = "no"
    found = [(f.id, f.subject) for f in quality_checks(state, CCMC, CATALOGUE)]
    assert found == [("tests-unanswered", ""), ("test-failed", "universality")]


def test_a_sure_item_answered_no_is_decisional_conflict() -> None:
    state = complete()
    state.answers[sure_key("supported")] = "No"
    del state.answers[sure_key("sure")]
    findings = quality_checks(state, CCMC, CATALOGUE)
    assert [(f.id, f.subject) for f in findings] == [
        ("sure-unanswered", ""),
        ("decisional-conflict", "supported"),
    ]
    assert "Decisional conflict" in findings[1].text


def test_a_legal_floor_without_consultation() -> None:
    state = complete()
    state.consultation = None
    state.obligations.append("imminent-risk")
    state.floor_checks = {("imminent-risk", "home"): True, ("imminent-risk", "stay"): True}
    findings = quality_checks(state, CCMC, CATALOGUE)
    assert [(f.id, f.step) for f in findings] == [("floor-without-consultation", "consult")]
    assert "Imminent risk of harm (safety floor) is a floor" in findings[0].text

    state.consultation = Consultation(
        "Dr Ames", "Is a return home defensible?", True, "robin", "2025-06-01T10:00Z"
    )
    assert ids(state) == []
    state.consultation.state = "withdrawn"
    assert ids(state) == ["floor-without-consultation"]


def test_a_legal_floor_not_checked_or_broken_by_the_choice() -> None:
    state = complete()
    state.obligations.append("duty-to-warn")
    state.consultation = Consultation("Dr Ames", "", True, "robin", "2025-06-01T10:00Z")
    findings = quality_checks(state, CCMC, CATALOGUE)
    assert [(f.id, f.subject, f.step) for f in findings] == [
        ("floor-unchecked", "duty-to-warn", "obligations")
    ]
    assert "not yet: Support return home and Stay in rehabilitation" in findings[0].text

    state.floor_checks = {("duty-to-warn", "home"): False, ("duty-to-warn", "stay"): True}
    assert [(f.id, f.subject) for f in quality_checks(state, CCMC, CATALOGUE)] == [
        ("chosen-breaks-floor", "duty-to-warn")
    ]


def test_a_chosen_option_that_breaks_a_code_rule_is_named_as_breaking_it() -> None:
    state = complete()
    state.obligations.append("conflict-of-interest")
    state.floor_checks = {("conflict-of-interest", "home"): False, ("conflict-of-interest", "stay"): True}
    findings = [f for f in quality_checks(state, CCMC, CATALOGUE) if f.step == "decide"]
    assert [(f.id, f.subject) for f in findings] == [("chosen-breaks-rule", "conflict-of-interest")]
    assert "breaks a code rule: Conflict of interest (NACM 28)" in findings[0].text
    assert "floor" not in findings[0].text


def test_an_obligation_the_catalogue_does_not_hold() -> None:
    state = complete()
    state.obligations.append("retired-duty")
    assert [(f.id, f.subject) for f in quality_checks(state, CCMC, CATALOGUE)] == [
        ("unknown-obligation", "retired-duty")
    ]


def test_a_record_weighed_under_another_framework_version() -> None:
    state = complete()
    state.framework_version = "0"
    findings = quality_checks(state, CCMC, CATALOGUE)
    assert [(f.id, f.step) for f in findings] == [("framework-mismatch", "weigh")]
    assert "ccmc version 0" in findings[0].text


def test_scores_are_checked_against_the_records_framework() -> None:
    state = complete()
    state.framework = "four-principles"
    four = load_framework("four-principles")
    state.framework_version = four.version
    # Every cell of the four principles is scored; the CCMC-only cells do not matter there.
    assert ids(state, four) == []
    assert set(four.ids) < set(CCMC_PRINCIPLE_IDS)


# --- one list of what is missing, by step (the step line, the Decide box, the report, show) -------
def test_a_new_record_lacks_something_on_every_step() -> None:
    """A ✓ means nothing is missing: a new record has none, Obligations included."""
    by_step = missing_by_step(quality_checks(RecordState(id="r0"), CCMC, CATALOGUE))
    assert [s for s in STEPS if not by_step[s]] == []
    assert [f.id for f in by_step["obligations"]] == ["no-obligations", "no-sources"]


def test_a_complete_record_lacks_nothing_on_any_step() -> None:
    by_step = missing_by_step(quality_checks(complete(), CCMC, CATALOGUE))
    assert by_step == {s: [] for s in STEPS}


def test_consultation_is_missing_until_asked_for_and_outcome_until_written() -> None:
    state = complete()
    state.consultation = None
    del state.text["outcome"]
    assert ids(state) == ["no-consultation", "no-outcome"]


def test_a_signed_record_asks_for_no_outcome_in_the_step() -> None:
    """Its outcome goes in as an addendum; the Outcome step takes no typing, so nothing is missing there."""
    state = complete()
    del state.text["outcome"]
    state.signature = Signature("Dana", "supervisor", "2025-06-02T10:00Z", "h" * 64, "f" * 64, "k", "s")
    assert ids(state) == []


def test_blocking_findings_are_the_ones_that_stop_the_walk() -> None:
    found = {f.id for f in quality_checks(RecordState(id="r0"), CCMC, CATALOGUE)}
    assert found | {"unscored"} >= BLOCKING
    assert "no-client-wishes" not in BLOCKING and "no-obligations" not in BLOCKING


# --- what an ethics consultation asks for and the record leaves empty -------------------
def test_no_stakeholders_is_named_on_the_situation_step() -> None:
    state = complete()
    state.stakeholders = []
    (found,) = quality_checks(state, CCMC, CATALOGUE)
    assert (found.id, found.step) == ("no-stakeholders", "situation")
    assert "stakeholders" in found.text and "Situation step" in found.text


@pytest.mark.parametrize("ticked", [["capacity"], ["informed-consent"], ["capacity", "informed-consent"]])
def test_capacity_not_assessed_fires_where_the_clients_choice_is_at_issue(ticked: list[str]) -> None:
    state = complete()
    state.obligations = ticked
    del state.text["capacity"]
    (found,) = quality_checks(state, CCMC, CATALOGUE)
    assert (found.id, found.step) == ("capacity-not-assessed", "situation")
    assert "capacity is not assessed" in found.text and "Situation step" in found.text
    state.text["capacity"] = "Assessed by the physician for this decision."
    assert ids(state) == []


def test_capacity_is_not_asked_for_where_no_choice_of_the_client_is_at_issue() -> None:
    """Recorded wishes alone do not put the client's choice at issue (a colleague's impairment, say)."""
    state = complete()
    state.obligations = ["colleague-impairment"]
    del state.text["capacity"]
    assert state.text["client_wishes"]
    assert "capacity-not-assessed" not in ids(state)


def test_no_sources_is_named_on_the_obligations_step() -> None:
    state = complete()
    state.sources = []
    (found,) = quality_checks(state, CCMC, CATALOGUE)
    assert (found.id, found.step) == ("no-sources", "obligations")
    assert "No sources consulted" in found.text and "Obligations step" in found.text


def test_no_plan_and_an_incomplete_plan_are_named_on_the_decide_step() -> None:
    state = complete()
    for part in ("plan_actions", "plan_communication", "plan_revisit"):
        del state.text[part]
    (found,) = quality_checks(state, CCMC, CATALOGUE)
    assert (found.id, found.step) == ("no-plan", "decide")
    assert "implementation plan" in found.text and "Decide step" in found.text
    state.text["plan_actions"] = "The case manager books physiotherapy by Friday."
    (found,) = quality_checks(state, CCMC, CATALOGUE)
    assert found.id == "plan-incomplete"
    assert "how it is communicated and to whom" in found.text and "what would make you revisit" in found.text
    assert "who does what" not in found.text


def test_a_training_attempt_is_not_asked_for_the_situation_it_was_given() -> None:
    state = complete()
    state.kind = "training"
    state.stakeholders = []
    del state.text["capacity"]
    state.sources = []
    assert ids(state) == ["no-sources"]  # the sources and the plan are the trainee's own work
# --- the liking test and the client's part ----------------------------------------------
def test_the_liking_test_fails_on_yes_not_on_no() -> None:
    state = complete()
    assert "test-failed" not in ids(state)  # complete() answers it "no": the answer would not change
    state.answers[action_test_key("liking")] = "Yes"
    failed = [f for f in quality_checks(state, CCMC, CATALOGUE) if f.id == "test-failed"]
    assert [f.subject for f in failed] == ["liking"]
    assert failed[0].text == (
        "The liking test was answered yes: Would your answer change if the client were someone you like more "
        "or less, or someone who differs from you (in culture, faith, class or way of life)?"
    )


@pytest.mark.parametrize(
    ("decision_maker", "involved", "flagged"),
    [
        ("", "no", True),  # nothing says the client cannot decide: presumed capable
        ("case-manager", "no", True),
        ("team", "no", True),
        ("client", "no", True),  # the client's decision without the client: flagged, not trusted
        ("surrogate", "no", False),  # someone decides for a client who cannot
        ("team", "partly", False),
        ("team", "yes", False),
        ("team", "unknown", False),
        ("team", "", False),  # not answered: nothing to flag (yet)
    ],
)
def test_a_capable_client_left_out_is_flagged(decision_maker: str, involved: str, flagged: bool) -> None:
    state = complete()
    state.text |= {"decision_maker": decision_maker, "client_involved": involved}
    found = [f for f in quality_checks(state, CCMC, CATALOGUE) if f.id == "capable-client-left-out"]
    assert bool(found) is flagged
    if found:
        assert found[0].step == "decide"
        assert "took no part" in found[0].text and "surrogate" in found[0].text


def test_the_capacity_duty_ticked_does_not_make_the_client_incapable() -> None:
    state = complete()
    assert "capacity" in state.obligations  # capacity in question is not capacity absent
    state.text |= {"decision_maker": "team", "client_involved": "no", "capacity": "Lacks capacity, says the son."}
    assert "capable-client-left-out" in ids(state)
