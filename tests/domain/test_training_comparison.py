"""The training comparison on hand-made attempts: every expected figure is worked out by hand in the
comments, from the definitions in ethicsdesk/domain/training.py (cell agreement 1 - |t - r| / 4,
unscored 0; weight agreement 1 - |t - r| / 3 with default 1)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from ethicsdesk.domain.record import RecordState
from ethicsdesk.domain.training import Reference, aggregate, cell_agreement, compare, weight_agreement

# Two options by two principles, small enough to check by hand.
#            p (weight 3)   q (weight 1, by default)
#   a            +2             -1
#   b             0             +1
REFERENCE = Reference(
    sample_id="tiny",
    title="A tiny dilemma",
    options=(("a", "Option a"), ("b", "Option b")),
    principles=("p", "q"),
    chosen="a",
    rationale="Because a.",
    scores={("a", "p"): 2, ("a", "q"): -1, ("b", "p"): 0, ("b", "q"): 1},
    weights={"p": 3},
    obligations=("capacity", "confidentiality"),
    discussion=("Why a?",),
    notes={("b", "p"): "neutral"},
    names={"p": "Principle P", "q": "Principle Q"},
)


def attempt(
    rid: str = "r1",
    scores: dict[tuple[str, str], int] | None = None,
    weights: dict[str, int] | None = None,
    obligations: list[str] | None = None,
    chosen: str | None = None,
    trainee: str = "Trainee",
) -> RecordState:
    return RecordState(
        id=rid,
        kind="training",
        sample_id="tiny",
        created_by=trainee,
        created_at="2026-01-01T00:00:00Z",
        scores=dict(scores or {}),
        weights=dict(weights or {}),
        obligations=list(obligations or []),
        decision={"chosen": chosen, "rationale": "My reasons."} if chosen else {},
    )


# a,p: 1 vs 2 -> 0.75;  a,q: -1 vs -1 -> 1;  b,p: -2 vs 0 -> 0.5;  b,q: unscored -> 0
MIXED = attempt(
    scores={("a", "p"): 1, ("a", "q"): -1, ("b", "p"): -2},
    weights={"p": 1, "q": 2},
    obligations=["capacity", "duty-to-warn"],
    chosen="b",
)


@pytest.mark.parametrize(
    ("trainee", "reference", "expected"),
    [(2, 2, 1.0), (1, 2, 0.75), (0, 2, 0.5), (-1, 2, 0.25), (-2, 2, 0.0), (None, 0, 0.0), (None, 2, 0.0)],
)
def test_cell_agreement_is_one_minus_the_gap_over_four_and_unscored_is_zero(
    trainee: int | None, reference: int, expected: float
) -> None:
    assert cell_agreement(trainee, reference) == expected


def test_weight_agreement_is_one_minus_the_gap_over_three() -> None:
    assert [weight_agreement(t, 3) for t in (3, 2, 1, 0)] == pytest.approx([1, 2 / 3, 1 / 3, 0])


def test_agreement_per_cell_and_overall() -> None:
    d = compare(MIXED, REFERENCE)
    assert [(c.option, c.principle, c.trainee, c.reference, c.agreement) for c in d.cells] == [
        ("a", "p", 1, 2, 0.75),
        ("a", "q", -1, -1, 1.0),
        ("b", "p", -2, 0, 0.5),
        ("b", "q", None, 1, 0.0),
    ]
    assert d.overall == pytest.approx((0.75 + 1 + 0.5 + 0) / 4)  # 0.5625
    assert d.scored == 3
    assert d.option_agreement("a") == pytest.approx(0.875)  # (0.75 + 1) / 2
    assert d.principle_agreement("p") == pytest.approx(0.625)  # (0.75 + 0.5) / 2


def test_weights_agreement_counts_an_unset_weight_as_one() -> None:
    d = compare(MIXED, REFERENCE)
    # p: 1 vs 3 -> 1/3;  q: 2 vs 1 (the reference's default) -> 2/3
    assert [(w.principle, w.trainee, w.reference) for w in d.weights] == [("p", 1, 3), ("q", 2, 1)]
    assert d.weights_agreement == pytest.approx(0.5)
    untouched = compare(attempt(), REFERENCE)
    # p: 1 (default) vs 3 -> 1/3;  q: 1 vs 1 -> 1
    assert untouched.weights_agreement == pytest.approx((1 / 3 + 1) / 2)


def test_the_cells_that_differ_most_come_lowest_agreement_first() -> None:
    d = compare(MIXED, REFERENCE)
    assert [(c.option, c.principle) for c in d.differences] == [("b", "q"), ("b", "p"), ("a", "p")]
    assert [(c.option, c.principle) for c in d.most_different(2)] == [("b", "q"), ("b", "p")]


def test_ties_among_the_differences_keep_option_then_principle_order() -> None:
    # every cell two steps away: all agreements 0.5
    d = compare(attempt(scores={("a", "p"): 0, ("a", "q"): 1, ("b", "p"): 2, ("b", "q"): -1}), REFERENCE)
    assert {c.agreement for c in d.cells} == {0.5}
    assert [(c.option, c.principle) for c in d.differences] == [("a", "p"), ("a", "q"), ("b", "p"), ("b", "q")]


def test_an_opposite_score_comes_before_a_blank_of_the_same_agreement() -> None:
    reference = replace(REFERENCE, scores={**REFERENCE.scores, ("b", "q"): -2})
    # a,p: unscored -> 0;  a,q: -1 vs -1 -> 1;  b,p: 0 vs 0 -> 1;  b,q: +2 vs -2 -> 0, and scored
    d = compare(attempt(scores={("a", "q"): -1, ("b", "p"): 0, ("b", "q"): 2}), reference)
    assert [(c.option, c.principle, c.agreement) for c in d.differences] == [("b", "q", 0.0), ("a", "p", 0.0)]


def test_a_perfect_attempt_agrees_fully_and_differs_nowhere() -> None:
    d = compare(
        attempt(
            scores=dict(REFERENCE.scores),
            weights={"p": 3, "q": 1},
            obligations=["confidentiality", "capacity"],
            chosen="a",
        ),
        REFERENCE,
    )
    assert (d.overall, d.weights_agreement, d.differences, d.same_choice) == (1.0, 1.0, (), True)
    assert (d.obligations_missed, d.obligations_added) == ((), ())


def test_obligations_missed_and_added_and_the_choice() -> None:
    d = compare(MIXED, REFERENCE)
    assert d.obligations_missed == ("confidentiality",)
    assert d.obligations_added == ("duty-to-warn",)
    assert (d.chosen, d.same_choice, d.rationale) == ("b", False, "My reasons.")
    assert compare(attempt(), REFERENCE).chosen is None


def test_weighted_totals_of_both_sides() -> None:
    d = compare(MIXED, REFERENCE)
    # trainee: a = 1*1 + (-1)*2 = -1; b = (-2)*1 + 0 = -2.  reference: a = 2*3 + (-1)*1 = 5; b = 0*3 + 1*1 = 1
    assert dict(d.trainee_totals) == {"a": -1, "b": -2}
    assert dict(d.reference_totals) == {"a": 5, "b": 1}


def test_scores_outside_the_reference_matrix_are_ignored() -> None:
    extra = attempt(scores={**MIXED.scores, ("c", "p"): 2, ("a", "zeal"): 2})
    assert compare(extra, REFERENCE).overall == pytest.approx(0.5625)


def test_debrief_json_is_plain_and_rounded() -> None:
    data = compare(MIXED, REFERENCE).to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["agreement"]["overall"] == 0.5625
    assert data["agreement"]["weights"] == 0.5
    assert data["obligations"]["missed"] == ["confidentiality"]
    assert data["decision"] == {
        "chosen": "b",
        "reference_chosen": "a",
        "same": False,
        "rationale": "My reasons.",
        "reference_rationale": "Because a.",
    }
    assert data["most_different"][0] == {
        "option": "b",
        "principle": "q",
        "trainee": None,
        "reference": 1,
        "agreement": 0.0,
    }


# --- the cohort -------------------------------------------------------------------------------------
PERFECT = attempt(
    "r2", scores=dict(REFERENCE.scores), obligations=["capacity", "confidentiality"], chosen="a", trainee="Second"
)
BLANK = attempt("r3", trainee="Third")


def test_cohort_spread_per_cell() -> None:
    cohort = aggregate(REFERENCE, [MIXED, PERFECT, BLANK])
    ap = cohort.cell("a", "p")  # given 1, 2 and nothing
    assert dict(ap.counts) == {-2: 0, -1: 0, 0: 0, 1: 1, 2: 1}
    assert (ap.unscored, ap.minimum, ap.maximum, ap.range) == (1, 1, 2, 1)
    assert ap.mean == pytest.approx(1.5)
    assert ap.agreement == pytest.approx((0.75 + 1 + 0) / 3)
    bp = cohort.cell("b", "p")  # given -2, 0 and nothing
    assert (bp.minimum, bp.maximum, bp.mean, bp.range) == (-2, 0, -1.0, 2)
    bq = cohort.cell("b", "q")  # given only by the perfect attempt
    assert (bq.unscored, bq.mean, bq.range) == (2, 1.0, 0)
    assert bq.agreement == pytest.approx(1 / 3)


def test_cohort_choices_obligations_and_overall() -> None:
    cohort = aggregate(REFERENCE, [MIXED, PERFECT, BLANK])
    assert dict(cohort.choices) == {"a": 1, "b": 1}
    assert cohort.undecided == 1
    # confidentiality missed by MIXED and BLANK, capacity by BLANK only
    assert cohort.missed == (("confidentiality", 2), ("capacity", 1))
    assert cohort.added == (("duty-to-warn", 1),)
    assert cohort.overall == pytest.approx((0.5625 + 1 + 0) / 3)
    assert [(a.record_id, a.trainee, a.chosen) for a in cohort.attempts] == [
        ("r1", "Trainee", "b"),
        ("r2", "Second", "a"),
        ("r3", "Third", None),
    ]
    assert [(c.option, c.principle) for c in cohort.widest()] == [("b", "p"), ("a", "p")]


def test_equal_miss_counts_keep_the_reference_order() -> None:
    cohort = aggregate(REFERENCE, [BLANK])
    assert cohort.missed == (("capacity", 1), ("confidentiality", 1))


def test_an_empty_cohort() -> None:
    cohort = aggregate(REFERENCE, [])
    assert (cohort.attempts, cohort.overall, cohort.undecided, cohort.missed) == ((), 0.0, 0, ())
    assert dict(cohort.choices) == {"a": 0, "b": 0}
    assert all(c.mean is None and c.unscored == 0 for c in cohort.cells)
    data = cohort.to_json()
    assert json.loads(json.dumps(data)) == data


def test_cohort_json() -> None:
    data = aggregate(REFERENCE, [MIXED, PERFECT, BLANK]).to_json()
    assert [o["chosen_by"] for o in data["options"]] == [1, 1]
    assert data["obligations"]["missed"] == [
        {"id": "confidentiality", "attempts": 2},
        {"id": "capacity", "attempts": 1},
    ]
    cell = next(c for c in data["cells"] if (c["option"], c["principle"]) == ("a", "p"))
    assert cell == {
        "option": "a",
        "principle": "p",
        "reference": 2,
        "counts": {"-2": 0, "-1": 0, "0": 0, "1": 1, "2": 1},
        "unscored": 1,
        "min": 1,
        "max": 2,
        "mean": 1.5,
        "agreement": 0.5833,
    }
