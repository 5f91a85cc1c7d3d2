"""The weighing's totals and ranking (ethicsdesk/domain/weighing.py, read through the analysis), by hand:
weighted totals, unscored cells as zero, ties in the options' own order with no leader, the ranges a
Weighing refuses, and its labels."""

from __future__ import annotations

import pytest

from ethicsdesk.domain.analysis import Weighing, analyse, rank, weighted_totals
from ethicsdesk.domain.record import DomainError
from tests.domain.weighings_by_hand import referral


def test_weighted_totals_by_hand() -> None:
    w = referral()
    assert weighted_totals(w) == {"accept": 3, "decline": 1}
    assert weighted_totals(w.with_weight("nonmaleficence", 0)) == {"accept": 1, "decline": 1}
    assert weighted_totals(w.with_weight("fidelity", 3)) == {"accept": 1, "decline": 5}


def test_unscored_cells_count_as_zero_and_are_reported() -> None:
    w = Weighing(("autonomy", "fidelity"), (("a", "A"), ("b", "B")), {("a", "autonomy"): 2, ("b", "fidelity"): -1})
    assert weighted_totals(w) == {"a": 2, "b": -1}
    assert analyse(w).unscored == [("a", "fidelity"), ("b", "autonomy")]


def test_ties_keep_the_option_order_and_leave_no_leader() -> None:
    w = Weighing(
        ("autonomy", "fidelity"),
        (("c", "C"), ("a", "A"), ("b", "B")),
        {("a", "autonomy"): 1, ("b", "fidelity"): 1, ("c", "autonomy"): -1},
    )
    result = analyse(w)
    assert result.totals == {"c": -1, "a": 1, "b": 1}
    assert result.ranking == ["a", "b", "c"]
    assert result.leader is None
    assert result.robustness == []
    assert result.robustness_text == "No option leads alone, so there is no lead to test."
    assert rank(["b", "a"], {"a": 1, "b": 1}) == ["b", "a"]


def test_weighing_refuses_scores_and_weights_out_of_range() -> None:
    options = (("a", "A"), ("b", "B"))
    with pytest.raises(DomainError, match="from -2 to 2"):
        Weighing(("autonomy",), options, {("a", "autonomy"): 3})
    with pytest.raises(DomainError, match="from -2 to 2"):
        Weighing(("autonomy",), options, {("a", "autonomy"): True})
    with pytest.raises(DomainError, match="from 0 to 3"):
        Weighing(("autonomy",), options, weights={"autonomy": 4})
    with pytest.raises(DomainError, match="twice"):
        Weighing(("autonomy",), (("a", "A"), ("a", "B")))
    # Cells outside the matrix (another framework's principles, a removed option) say nothing here.
    w = Weighing(("autonomy",), options, {("a", "equity"): 9, ("z", "autonomy"): 9}, {"equity": 9})
    assert w.scores == {} and w.weights == {}


def test_a_weighing_is_not_changed_by_its_callers_dicts() -> None:
    scores = {("a", "autonomy"): 1}
    w = Weighing(("autonomy",), (("a", "A"),), scores)
    scores[("a", "autonomy")] = -2
    assert w.score("a", "autonomy") == 1


def test_labels_are_looked_up_by_key() -> None:
    w = Weighing(("p",), (("a", "Stay"), ("b", ""), ("c", "Go")))
    assert [w.label(k) for k in ("a", "b", "c", "zz")] == ["Stay", "b", "Go", "zz"]
