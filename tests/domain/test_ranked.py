"""The ranked view after Dolgoff: the rules screen first (options failing a ticked floor set apart),
then the principles screen with justice and equity weighed together at the second rank."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ethicsdesk.domain.analysis import Weighing, analyse, analyse_record, ranked_view
from ethicsdesk.domain.frameworks import CCMC_PRINCIPLE_IDS
from ethicsdesk.domain.record import Option, RecordState
from ethicsdesk.knowledge import load_catalogue, load_framework

CATALOGUE = load_catalogue()
CCMC = load_framework("ccmc")
FLOORS = [o.id for o in CATALOGUE.floors]


def shelter_like() -> RecordState:
    """The shape of unsafe-homeless-discharge: discharging today is the fairer use of a bed (justice
    +1) but treats the more vulnerable man as if he were not (equity -2); holding him is the reverse."""
    state = RecordState(id="r")
    state.options = [Option("today", "Discharge today"), Option("hold", "Hold two days")]
    today = {"justice": 1, "equity": -2, "autonomy": -1, "nonmaleficence": -2}
    hold = {"justice": -1, "equity": 2, "autonomy": 2, "nonmaleficence": 2}
    state.scores = {("today", p): today.get(p, 0) for p in CCMC_PRINCIPLE_IDS}
    state.scores |= {("hold", p): hold.get(p, 0) for p in CCMC_PRINCIPLE_IDS}
    state.obligations = ["resource-allocation"]
    return state


def test_justice_and_equity_are_weighed_together_at_the_second_rank() -> None:
    ranked = analyse_record(shelter_like(), CCMC, CATALOGUE).ranked
    # taken strictly, justice (+1 against -1) put "Discharge today" first; together, -1 against +1
    assert ranked.ranks[0] == ["justice", "equity"]
    assert ranked.order[:2] == ["justice", "equity"]  # order stays a list of principle ids
    assert ranked.ranking == ["hold", "today"]
    assert ranked.decided_by == "justice"
    assert "the first principle on which it and Discharge today differ is Justice and Equity together" in ranked.text
    assert "Justice and Equity are weighed together" in ranked.basis


def test_a_record_s_own_order_is_taken_principle_by_principle() -> None:
    state = shelter_like()
    state.priority = ["justice", "equity"]
    ranked = analyse_record(state, CCMC, CATALOGUE).ranked
    assert ranked.ranks[:2] == [["justice"], ["equity"]]
    assert ranked.ranking[0] == "today"


def test_an_option_failing_a_floor_is_set_apart_not_ranked() -> None:
    state = shelter_like()
    state.obligations = ["imminent-risk", "documentation-integrity"]
    state.floor_checks = {("imminent-risk", "hold"): False, ("imminent-risk", "today"): True}
    analysis = analyse_record(state, CCMC, CATALOGUE)
    ranked = analysis.ranked
    assert ranked.ranking == ["today"] and ranked.leader == "today"
    assert ranked.set_apart == {"hold": ["imminent-risk"]}
    assert "Set apart by the rules screen and not ranked, whatever its scores: Hold two days (does not honour " \
        "Imminent risk of harm)." in ranked.text
    assert ranked.disagreements == []  # pairs are among the options ranked

    state.floor_checks[("documentation-integrity", "today")] = False
    ranked = analyse_record(state, CCMC, CATALOGUE).ranked
    assert ranked.ranking == [] and ranked.leader is None
    assert ranked.set_apart == {"today": ["documentation-integrity"], "hold": ["imminent-risk"]}
    assert "Every option fails a floor or breaks a code rule, so none is ranked" in ranked.text
    assert "Discharge today (breaks Documentation integrity)" in ranked.text
    data = json.loads(json.dumps(analyse_record(state, CCMC, CATALOGUE).to_json()))
    assert data["ranked"]["set_apart"] == {"today": ["documentation-integrity"], "hold": ["imminent-risk"]}
    assert data["ranked"]["ranks"][1] == ["justice", "equity"]


def test_the_totals_leader_set_apart_is_said_so() -> None:
    state = shelter_like()
    state.weights = {"justice": 3}
    state.priority = ["autonomy"]
    state.obligations = ["imminent-risk"]
    state.floor_checks = {("imminent-risk", "hold"): False}
    ranked = analyse_record(state, CCMC, CATALOGUE).ranked
    assert ranked.ranking == ["today"]
    assert ranked.text == (
        "Only Discharge today is left to rank once the rules screen has set the others apart. The weighted "
        "totals put Hold two days first, but the rules screen sets it apart. Set apart by the rules screen and "
        "not ranked, whatever its scores: Hold two days (does not honour Imminent risk of harm)."
    )


def test_without_a_catalogue_nothing_is_set_apart() -> None:
    w = Weighing(("autonomy", "justice"), (("a", "A"), ("b", "B")), {("a", "autonomy"): 1})
    view = ranked_view(w, ["autonomy", "justice"])
    assert view.set_apart == {} and view.ranking == ["a", "b"] and view.ranks == [["autonomy"], ["justice"]]


@st.composite
def floored_weighings(draw: st.DrawFn) -> tuple[Weighing, list[str], dict[tuple[str, str], bool], list[str]]:
    keys = [f"o{i}" for i in range(draw(st.integers(2, 6)))]
    scores = {(o, p): draw(st.integers(-2, 2)) for o in keys for p in CCMC_PRINCIPLE_IDS}
    weights = {p: draw(st.integers(0, 3)) for p in CCMC_PRINCIPLE_IDS}
    ticked = draw(st.lists(st.sampled_from(FLOORS), unique=True, max_size=4))
    verdicts = {(f, o): draw(st.sampled_from([True, False, None])) for f in ticked for o in keys}
    checks = {pair: verdict for pair, verdict in verdicts.items() if verdict is not None}
    priority = draw(st.sampled_from([[], list(CCMC.priority), draw(st.permutations(CCMC_PRINCIPLE_IDS))]))
    w = Weighing(CCMC.ids, tuple((k, k.upper()) for k in keys), scores, weights, CCMC.names)
    return w, ticked, checks, priority


@settings(max_examples=300, deadline=None)
@given(floored_weighings(), st.booleans())
def test_the_ranked_view_never_puts_first_an_option_that_fails_a_ticked_floor(
    case: tuple[Weighing, list[str], dict[tuple[str, str], bool], list[str]], together: bool
) -> None:
    w, ticked, checks, priority = case
    result = analyse(w, priority, ticked, checks, CATALOGUE, "", CCMC.together if together else ())
    failing = {o for (f, o), honours in checks.items() if honours is False}
    ranked = result.ranked
    assert set(ranked.set_apart) == failing
    assert set(ranked.ranking) == set(w.keys) - failing  # every other option is ranked, once
    assert len(ranked.ranking) == len(set(ranked.ranking))
    if ranked.ranking:
        assert ranked.ranking[0] not in failing
    assert ranked.leader is None or ranked.leader not in failing
    for a, b in ranked.disagreements:
        assert a not in failing and b not in failing
