"""Robustness (find_flips), by hand: the smallest change of one weight and of one score that ends the
leader's lead, in words, and what is said when no single change can end it."""

from __future__ import annotations

from ethicsdesk.domain.analysis import Weighing, find_flips, weighted_totals
from tests.domain.weighings_by_hand import NAMES, referral


def test_robustness_by_hand() -> None:
    # Weights: autonomy -1 (pull 3 vs gap 2) and fidelity +1 are both size 1; autonomy comes first.
    # Scores: Accept's nonmaleficence -1 (weight 2 covers the gap of 2) ties; it precedes Decline's.
    weight_flip, score_flip = find_flips(referral())[0]
    assert (weight_flip.kind, weight_flip.principle, weight_flip.option) == ("weight", "autonomy", None)
    assert (weight_flip.from_value, weight_flip.to_value, weight_flip.new_leader) == (1, 0, "decline")
    assert weight_flip.text == (
        "If autonomy mattered less (weight 0 instead of 1), Decline the referral would lead instead of "
        "Accept the referral."
    )
    assert (score_flip.kind, score_flip.principle, score_flip.option) == ("score", "nonmaleficence", "accept")
    assert (score_flip.from_value, score_flip.to_value, score_flip.new_leader) == (1, 0, None)
    assert score_flip.leaders_after == ["accept", "decline"]
    assert score_flip.size == 1
    assert score_flip.text == (
        "If Accept the referral scored 0 instead of +1 on nonmaleficence, Accept the referral and "
        "Decline the referral would tie for the lead."
    )


def test_robustness_in_the_issues_words() -> None:
    # Keep = 0x1 + 2x1 = 2; Decline = 1x1 + (-2)x1 = -1. Autonomy would need weight 4; fidelity 0 flips.
    w = Weighing(
        ("autonomy", "fidelity"),
        (("keep", "Keeping the promise"), ("decline", "Declining")),
        {
            ("keep", "autonomy"): 0,
            ("keep", "fidelity"): 2,
            ("decline", "autonomy"): 1,
            ("decline", "fidelity"): -2,
        },
        names=NAMES,
    )
    flips, text = find_flips(w)
    assert (
        flips[0].text == "If fidelity mattered less (weight 0 instead of 1), Declining would lead instead of "
        "Keeping the promise."
    )
    # A gap of 3 at weight 1 needs a score change of 3: Keep's fidelity +2 -> -1 ties.
    assert (flips[1].option, flips[1].principle, flips[1].from_value, flips[1].to_value) == (
        "keep",
        "fidelity",
        2,
        -1,
    )
    assert text == f"{flips[0].text} {flips[1].text}"


def test_a_lead_no_single_change_can_end() -> None:
    w = Weighing(
        ("autonomy", "fidelity"),
        (("a", "Stay"), ("b", "Go")),
        {("a", "autonomy"): 2, ("a", "fidelity"): 2, ("b", "autonomy"): -2, ("b", "fidelity"): -2},
    )
    flips, text = find_flips(w)
    assert flips == []
    assert text == (
        "No single change of one weight (0 to 3) takes the lead from Stay. "
        "No single change of one score (-2 to +2) takes the lead from Stay."
    )


def test_weight_zero_principles_cannot_move_a_total_by_score() -> None:
    w = Weighing(
        ("autonomy", "fidelity"),
        (("a", "A"), ("b", "B")),
        {("a", "autonomy"): 1},
        {"autonomy": 0, "fidelity": 1},
    )
    assert weighted_totals(w) == {"a": 0, "b": 0}
    w = w.with_score("a", "fidelity", 1)
    score_flip = find_flips(w)[0][1]
    assert score_flip.principle == "fidelity"  # never autonomy, whose weight is 0
