"""The whole analysis of a record (analyse_record): totals, ranked view, rules screen and tensions by
hand; the ranked view's order taken from the record (Dolgoff's screen, life first only when a floor
about life is ticked, or the record's own order); another framework; the JSON form."""

from __future__ import annotations

import json

import pytest

from ethicsdesk.domain.analysis import analyse_record
from ethicsdesk.domain.record import Option, RecordState
from ethicsdesk.knowledge import load_catalogue, load_framework


def record() -> RecordState:
    state = RecordState(id="r1")
    state.options = [Option("home", "Support return home"), Option("stay", "Stay in rehabilitation")]
    home = {
        "autonomy": 2,
        "beneficence": 0,
        "equity": 0,
        "fidelity": 1,
        "justice": 0,
        "nonmaleficence": -2,
        "veracity": 1,
    }
    stay = {
        "autonomy": -2,
        "beneficence": 1,
        "equity": 0,
        "fidelity": -1,
        "justice": 0,
        "nonmaleficence": 2,
        "veracity": 0,
    }
    state.scores = {("home", p): s for p, s in home.items()} | {("stay", p): s for p, s in stay.items()}
    state.weights = {"autonomy": 3, "nonmaleficence": 2}
    state.obligations = ["capacity", "imminent-risk"]
    state.floor_checks = {("imminent-risk", "stay"): True, ("imminent-risk", "home"): False}
    return state


def test_analyse_record_by_hand() -> None:
    state = record()
    result = analyse_record(state, load_framework("ccmc"), load_catalogue())
    # home: 2x3 + 1 + 1 - 2x2 = 4; stay: -2x3 + 1 - 1 + 2x2 = -2
    assert result.totals == {"home": 4, "stay": -2}
    assert result.leader == "home"
    assert result.weights["autonomy"] == 3 and result.weights["equity"] == 1
    # Imminent risk (a floor about life) is ticked: protection of life (nonmaleficence) first, where
    # stay (+2) beats home (-2).
    assert result.ranked.order[0] == "nonmaleficence"
    assert result.ranked.leader == "stay" and result.ranked.disagrees_with_weighted
    assert result.rules.applies and result.rules.excluded == {"home": ["imminent-risk"]}
    assert [t.kind for t in result.tensions] == [
        "upholds-and-compromises",
        "upholds-and-compromises",
        "different-leaders",
    ]
    assert "Autonomy" in result.tensions[0].text  # framework names in texts

    state.priority = ["autonomy"]
    # autonomy first would put home first, but home was found not to honour imminent risk: the rules
    # screen sets it apart whatever the order
    ranked = analyse_record(state, load_framework("ccmc"), load_catalogue()).ranked
    assert (ranked.leader, ranked.ranking, ranked.set_apart) == ("stay", ["stay"], {"home": ["imminent-risk"]})
    state.floor_checks = {}
    assert analyse_record(state, load_framework("ccmc"), load_catalogue()).ranked.leader == "home"


DOLGOFF_NO_LIFE = ["justice", "equity", "autonomy", "nonmaleficence", "beneficence", "fidelity", "veracity"]


@pytest.mark.parametrize(
    ("ticked", "first", "why"),
    [
        (["capacity", "imminent-risk"], "nonmaleficence", "Imminent risk of harm is a floor about life"),
        (["duty-to-warn"], "nonmaleficence", "Duty to warn or protect is a floor about life"),
        (["duty-to-warn", "imminent-risk"], "nonmaleficence", "are floors about life"),
        (["capacity"], "justice", "No floor about life is ticked"),
        # A mandated report counts as about life: whether the abuse or neglect threatens life is for the
        # receiving body to find out, so the reporter's ranked view puts protection of life first.
        (["mandated-report"], "nonmaleficence", "Mandated report of abuse or neglect is a floor about life"),
    ],
)
def test_the_ranked_order_puts_life_first_only_when_a_floor_about_life_is_ticked(
    ticked: list[str], first: str, why: str
) -> None:
    state = record()
    state.obligations = ticked
    state.floor_checks = {}
    ranked = analyse_record(state, load_framework("ccmc"), load_catalogue()).ranked
    expected = (
        DOLGOFF_NO_LIFE
        if first == "justice"
        else ["nonmaleficence", *(p for p in DOLGOFF_NO_LIFE if p != "nonmaleficence")]
    )
    assert ranked.order == expected
    assert why in ranked.basis
    assert "Adapted from Dolgoff" in ranked.basis and "not part of the CCMC" in ranked.basis
    # justice and equity share Dolgoff's second rank, wherever life stands
    second = "Justice and Equity together"
    chain = [second if p == "justice" else load_framework("ccmc").name_of(p) for p in expected if p != "equity"]
    assert ranked.basis.startswith("Order used: " + " > ".join(chain) + ".")
    assert ["justice", "equity"] in ranked.ranks and len(ranked.ranks) == 6
    # Without the life floor, autonomy (3) outranks least harm (4): the capable client's choice leads.
    assert ranked.leader == ("stay" if first == "nonmaleficence" else "home")


def test_a_record_s_own_order_replaces_the_default_and_says_so() -> None:
    state = record()
    state.priority = ["veracity"]
    ranked = analyse_record(state, load_framework("ccmc"), load_catalogue()).ranked
    assert ranked.order[0] == "veracity"
    assert "set this order on the record" in ranked.basis


def test_discharge_against_advice_no_longer_ranks_the_status_quo_first() -> None:
    """The sample's own reference calls holding him for rehab coercion by delay; with no floor about
    life ticked, Dolgoff's order must not put that status quo first (it did while nonmaleficence led)."""
    from pathlib import Path

    from ethicsdesk.knowledge.dilemma_files import read_dilemma

    sample = read_dilemma(Path(__file__).resolve().parents[2] / "dilemmas" / "discharge-against-advice.toml").data
    assert sample.reference is not None
    state = RecordState(id="discharge")
    state.options = [Option(o.key, o.label) for o in sample.options]
    state.scores = {(key, p): v for key, row in sample.reference.scores.items() for p, v in row.items()}
    state.weights = dict(sample.reference.weights)
    state.obligations = list(sample.obligations)
    catalogue, ccmc = load_catalogue(), load_framework("ccmc")
    assert not catalogue.life_floor_ticked(state.obligations)
    ranked = analyse_record(state, ccmc, catalogue).ranked
    assert ranked.order[0] != "nonmaleficence"
    assert ranked.ranking[0] != "hold-for-rehab"


def test_analyse_record_under_another_framework_ignores_principles_it_lacks() -> None:
    result = analyse_record(record(), load_framework("four-principles"), load_catalogue())
    # home: 2x3 + 0 - 2x2 + 0 = 2; stay: -2x3 + 1 + 2x2 + 0 = -1 (fidelity and veracity left out)
    assert result.totals == {"home": 2, "stay": -1}
    assert result.principles == ["autonomy", "beneficence", "nonmaleficence", "justice"]


def test_to_json_has_the_design_keys_and_survives_json() -> None:
    data = analyse_record(record(), load_framework("ccmc"), load_catalogue()).to_json()
    assert isinstance(data["tensions"], list)
    assert set(data) >= {
        "totals",
        "ranking",
        "leader",
        "tensions",
        "robustness",
        "ranked",
        "rules",
        "unscored",
    }
    assert json.loads(json.dumps(data)) == data
    assert data["robustness"][0]["kind"] == "weight" and "from_value" in data["robustness"][0]
    assert data["rules"]["excluded"] == {"home": ["imminent-risk"]}
