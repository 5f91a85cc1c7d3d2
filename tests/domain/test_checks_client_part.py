"""The client's part in the decision, beyond involving a capable client: a step a legal or safety floor
makes the professional's own duty is not the client's to take, and a surrogate is asked the standard
they decide by."""

from __future__ import annotations

import pytest

from ethicsdesk.domain.checks import quality_checks
from tests.domain.test_checks import CATALOGUE, CCMC, complete, ids


@pytest.mark.parametrize(
    ("ticked", "flagged", "missing_floor"),
    [
        (["mandated-report"], False, False),  # the report is the reporter's duty, not the client's choice
        (["imminent-risk"], False, False),
        (["duty-to-warn"], False, False),
        (["documentation-integrity"], False, True),  # a code rule makes no step the professional's alone
        ([], False, True),
    ],
)
def test_a_decision_a_floor_makes_a_professional_duty_is_not_the_client_s_to_take(
    ticked: list[str], flagged: bool, missing_floor: bool
) -> None:
    """A mandated report with the client not involved: involving her first could endanger her, so the
    check does not push it; the exemption holds only where a legal or safety floor is ticked."""
    state = complete()
    state.obligations = ["capacity", *ticked]
    state.text |= {"decision_maker": "duty", "client_involved": "no"}
    found = ids(state)
    assert ("capable-client-left-out" in found) is flagged
    assert ("duty-without-floor" in found) is missing_floor
    state.text["decision_maker"] = "case-manager"  # the same record as the case manager's own choice
    (left_out,) = [f for f in quality_checks(state, CCMC, CATALOGUE) if f.id == "capable-client-left-out"]
    assert "(who decides: the case manager)" in left_out.text
    # with a legal or safety floor ticked, the finding says how to record the step as a duty
    assert ("record who decides as a professional duty" in left_out.text) is (not missing_floor)


def test_who_decides_tells_the_client_s_care_decision_from_a_professional_duty() -> None:
    from ethicsdesk.domain.client_part import CHOICE_LABELS, DECISION_MAKERS

    assert DECISION_MAKERS == (
        "client", "shared", "surrogate", "treating-physician", "court-or-agency", "case-manager", "team", "duty"
    )  # fmt: skip
    assert CHOICE_LABELS["decision_maker"]["duty"] == "A professional duty (legal or safety floor)"
    assert set(CHOICE_LABELS["decision_maker"]) == set(DECISION_MAKERS)


def test_a_surrogate_s_standard_is_asked_until_the_rationale_names_it() -> None:
    state = complete()
    state.text |= {"decision_maker": "surrogate", "client_involved": "no"}
    (found,) = [f for f in quality_checks(state, CCMC, CATALOGUE) if f.id == "surrogate-standard"]
    assert found.step == "decide" and "substituted judgement" in found.text and "best interests" in found.text
    state.decision["rationale"] += " His daughter decides by substituted judgement: what he said he wanted."
    assert "surrogate-standard" not in ids(state)
    state.text["decision_maker"] = "client"  # no surrogate, nothing to ask
    state.decision["rationale"] = "Plain."
    assert "surrogate-standard" not in ids(state)
