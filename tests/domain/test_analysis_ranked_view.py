"""The ranked view (ranked_view), by hand: options compared principle by principle in a priority order,
where it agrees or disagrees with the weighted totals, a tie; and a partial or stale priority order
made whole (normalise_priority)."""

from __future__ import annotations

from ethicsdesk.domain.analysis import Weighing, normalise_priority, ranked_view
from tests.domain.weighings_by_hand import referral


def test_ranked_view_agrees_or_disagrees_by_hand() -> None:
    w = referral()
    agree = ranked_view(w, ["nonmaleficence", "autonomy", "fidelity"])
    # Accept (1, 2, -1) against Decline (0, -1, 2): settled at nonmaleficence.
    assert (agree.ranking, agree.leader, agree.decided_by) == (
        ["accept", "decline"],
        "accept",
        "nonmaleficence",
    )
    assert not agree.disagrees_with_weighted and agree.disagreements == []
    assert agree.text.endswith("The weighted totals agree.")

    differ = ranked_view(w, ["fidelity", "autonomy", "nonmaleficence"])
    assert (differ.ranking, differ.leader, differ.decided_by) == (
        ["decline", "accept"],
        "decline",
        "fidelity",
    )
    assert differ.disagrees_with_weighted
    assert differ.disagreements == [("decline", "accept")]
    assert differ.text == (
        "Taking the principles in priority order (fidelity > autonomy > nonmaleficence), Decline the "
        "referral comes first; the first principle on which it and Accept the referral differ is "
        "fidelity. The weighted totals put Accept the referral first instead."
    )


def test_ranked_view_with_three_options_by_hand() -> None:
    principles = ("nonmaleficence", "autonomy", "beneficence")
    scores = {
        ("x", "nonmaleficence"): 1, ("x", "autonomy"): -2, ("x", "beneficence"): 0,  # total -1
        ("y", "nonmaleficence"): 0, ("y", "autonomy"): 2, ("y", "beneficence"): 2,  # total 4
        ("z", "nonmaleficence"): 1, ("z", "autonomy"): -1, ("z", "beneficence"): -2,  # total -2
    }  # fmt: skip
    w = Weighing(principles, (("x", "X"), ("y", "Y"), ("z", "Z")), scores)
    view = ranked_view(w, principles)
    assert view.ranking == ["z", "x", "y"]  # z and x tie on nonmaleficence; z is ahead on autonomy
    assert (view.leader, view.decided_by) == ("z", "autonomy")
    assert view.disagreements == [("z", "x"), ("z", "y"), ("x", "y")]
    assert view.disagrees_with_weighted


def test_ranked_view_tie() -> None:
    w = Weighing(("autonomy", "fidelity"), (("a", "A"), ("b", "B")), {("a", "autonomy"): 1, ("b", "autonomy"): 1})
    view = ranked_view(w, ["fidelity", "autonomy"])
    assert view.leader is None and view.decided_by is None and not view.disagrees_with_weighted
    assert "A and B score alike on every principle" in view.text


def test_normalise_priority_completes_a_partial_or_stale_order() -> None:
    ids = ("autonomy", "beneficence", "fidelity")
    assert normalise_priority(["fidelity", "retired", "fidelity"], ids, ["beneficence"]) == [
        "fidelity",
        "beneficence",
        "autonomy",
    ]
    assert normalise_priority([], ids) == list(ids)
