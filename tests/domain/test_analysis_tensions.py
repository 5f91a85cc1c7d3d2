"""The tensions the analysis reads from the scores (find_tensions), by hand: options that lead on
different principles, an option that strongly upholds one principle and strongly compromises another,
and when there is none."""

from __future__ import annotations

from ethicsdesk.domain.analysis import Weighing, find_tensions
from tests.domain.weighings_by_hand import NAMES, referral


def test_different_leaders_by_hand() -> None:
    tensions = find_tensions(referral())
    assert len(tensions) == 1
    t = tensions[0]
    assert t.kind == "different-leaders"
    assert t.options == ["accept", "decline"]
    assert t.leads == {"accept": ["autonomy", "nonmaleficence"], "decline": ["fidelity"]}
    assert t.principles == ["autonomy", "fidelity", "nonmaleficence"]
    assert t.text == (
        "The options lead on different principles: Accept the referral leads on autonomy and "
        "nonmaleficence; Decline the referral leads on fidelity."
    )


def test_an_option_that_strongly_upholds_one_principle_and_strongly_compromises_another() -> None:
    w = Weighing(
        ("autonomy", "fidelity", "nonmaleficence"),
        (("tell", "Tell the sister"), ("keep", "Keep the secret")),
        {
            ("tell", "autonomy"): -2,
            ("tell", "fidelity"): -2,
            ("tell", "nonmaleficence"): 2,
            ("keep", "autonomy"): 2,
            ("keep", "nonmaleficence"): -1,
        },
        names=NAMES,
    )
    strong, leaders = find_tensions(w)
    assert strong.kind == "upholds-and-compromises"
    assert strong.options == ["tell"]
    assert strong.upheld == ["nonmaleficence"]
    assert strong.compromised == ["autonomy", "fidelity"]
    assert strong.principles == ["autonomy", "fidelity", "nonmaleficence"]
    assert (
        strong.text == "Tell the sister strongly upholds nonmaleficence but strongly compromises autonomy and fidelity."
    )
    # Keep is unscored on fidelity (0), which still beats Tell's -2 there.
    assert leaders.leads == {"tell": ["nonmaleficence"], "keep": ["autonomy", "fidelity"]}


def test_no_tension_when_one_option_leads_everywhere_or_nothing_is_strong() -> None:
    w = Weighing(("autonomy", "fidelity"), (("a", "A"), ("b", "B")), {("a", "autonomy"): 1, ("a", "fidelity"): 1})
    assert find_tensions(w) == []
    single = Weighing(("autonomy", "fidelity"), (("a", "A"),), {("a", "autonomy"): 2, ("a", "fidelity"): 1})
    assert find_tensions(single) == []


def test_a_tie_at_the_top_of_a_principle_gives_no_leader_there() -> None:
    w = Weighing(
        ("autonomy", "fidelity", "veracity"),
        (("a", "A"), ("b", "B"), ("c", "C")),
        {("a", "autonomy"): 1, ("b", "autonomy"): 1, ("c", "fidelity"): 1, ("a", "veracity"): 2},
    )
    (t,) = find_tensions(w)
    assert t.leads == {"a": ["veracity"], "c": ["fidelity"]}  # autonomy: a and b tie, nobody leads
    assert t.principles == ["fidelity", "veracity"]
