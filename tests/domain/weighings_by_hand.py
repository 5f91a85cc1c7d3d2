"""The referral weighing several analysis tests work out by hand (its totals in `referral`'s docstring),
and principle names that read as their ids."""

from __future__ import annotations

from ethicsdesk.domain.analysis import Weighing

NAMES = {"autonomy": "autonomy", "fidelity": "fidelity", "nonmaleficence": "nonmaleficence"}


def referral() -> Weighing:
    """Accept = 2x1 + (-1)x1 + 1x2 = 3; Decline = (-1)x1 + 2x1 + 0x2 = 1."""
    return Weighing(
        principles=("autonomy", "fidelity", "nonmaleficence"),
        options=(("accept", "Accept the referral"), ("decline", "Decline the referral")),
        scores={
            ("accept", "autonomy"): 2,
            ("accept", "fidelity"): -1,
            ("accept", "nonmaleficence"): 1,
            ("decline", "autonomy"): -1,
            ("decline", "fidelity"): 2,
            ("decline", "nonmaleficence"): 0,
        },
        weights={"nonmaleficence": 2},
        names=NAMES,
    )
