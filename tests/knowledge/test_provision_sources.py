"""Every provision says what its number says: each entry of provisions.toml names its seed and a short
anchor phrase, and the anchor must occur inside the numbered item the id names in that seed.

The seeds are found as every test finds them (tests/conftest.py `seed_dir`). The numbered items
are found in the seed text itself (NACM commitments "N. ...", CCMC "Rule N: ...", the CCMC principles
slide's bullets mapped to the published numbering), so a renumbering or a swapped anchor fails here.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import seed_dir

NACM_SEED = "000_9520cd3c3310603b.txt"
CCMC_SEED = "003_9a9c5a18e9840a08.txt"

# The seed slide lists seven bullets under "Principles"; the published Code has eight and the slide
# leaves out Principle 6 (the CCM designation). Bullet i (1-based) is therefore this principle number.
SLIDE_BULLET_TO_PRINCIPLE = {1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 7, 7: 8}


def _flat(text: str) -> str:
    """Whitespace runs (the slides wrap lines mid-sentence) to single spaces, lower case."""
    return re.sub(r"\s+", " ", text).strip().lower()


def _between(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i : text.index(end, i + len(start))]


def seed_items(seeds: Path) -> dict[str, str]:
    """Provision id -> the flattened text of the item that id names, read from the seeds."""
    items: dict[str, str] = {}
    nacm = (seeds / NACM_SEED).read_text(encoding="utf-8")
    for number, body in re.findall(r"^(\d+)\. (.+)$", nacm, flags=re.MULTILINE):
        items[f"NACM {number}"] = _flat(body)

    ccmc = (seeds / CCMC_SEED).read_text(encoding="utf-8")
    bullets = [_flat(b) for b in _between(ccmc, "\nPrinciples\n", "CCM Rules of Conduct").split("´")]
    bullets = [b for b in bullets if b and b != "principles"]
    for position, body in enumerate(bullets, 1):
        items[f"CCMC Principle {SLIDE_BULLET_TO_PRINCIPLE[position]}"] = body
    rules = _between(ccmc, "Rule 1:", "\nEthics\n")
    for number, body in re.findall(r"Rule (\d): (.*?)(?=Rule \d:|\Z)", rules, flags=re.DOTALL):
        items[f"CCMC Rule {number}"] = _flat(body)
    items["CCMC Preamble"] = _flat(
        _between(ccmc, "\nPreamble\n", "Purpose of the Code") + _between(ccmc, "Preamble (cont.)", "\nPrinciples\n")
    )
    items["CCMC Complaint Procedures"] = _flat(_between(ccmc, "The intent of the Commission", "\nDiscussion\n"))
    return items


def problems(provisions: Sequence[Mapping[str, Any]], items: Mapping[str, str]) -> list[str]:
    """What is wrong with each provision entry against the seed items (empty when all is well)."""
    found: list[str] = []
    for p in provisions:
        pid, seed, anchor = p["id"], p.get("seed", ""), p.get("anchor", "")
        if not seed:
            if pid in items:
                found.append(f"{pid}: the seeds hold this item, so name the seed and an anchor")
            elif not p.get("seed_note", "").strip():
                found.append(f"{pid}: no seed and no seed_note saying why")
            continue
        if pid not in items:
            found.append(f"{pid}: names seed {seed}, but the seed has no item with this number")
            continue
        expected_seed = NACM_SEED if pid.startswith("NACM ") else CCMC_SEED
        if seed != expected_seed:
            found.append(f"{pid}: names seed {seed}, but this item is in {expected_seed}")
        if len(anchor.split()) > 8 or len(anchor.split()) < 1:
            found.append(f"{pid}: an anchor is a short phrase of one to eight words")
        if _flat(anchor) not in items[pid]:
            found.append(f"{pid}: anchor {anchor!r} is not in the seed's item {pid}: {items[pid][:80]!r}")
    return found


def shipped_provisions() -> list[dict[str, Any]]:
    text = resources.files("ethicsdesk.knowledge").joinpath("provisions.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["provision"]


@pytest.fixture(scope="module")
def items() -> dict[str, str]:
    return seed_items(seed_dir())


def test_the_seeds_parse_into_the_numbered_items_we_expect(items: dict[str, str]) -> None:
    assert {f"NACM {n}" for n in range(1, 29)} <= set(items)
    assert {f"CCMC Rule {n}" for n in range(1, 7)} <= set(items)
    assert {f"CCMC Principle {n}" for n in (1, 2, 3, 4, 5, 7, 8)} <= set(items)
    # The slide really leaves out Principle 6: none of its bullets is about the CCM designation.
    assert "CCMC Principle 6" not in items
    assert not any("designation" in body for pid, body in items.items() if pid.startswith("CCMC Principle"))
    assert "obey all laws" in items["CCMC Principle 7"]


def test_every_provision_matches_its_seed_item(items: dict[str, str]) -> None:
    assert problems(shipped_provisions(), items) == []


def test_every_seed_item_has_a_provision(items: dict[str, str]) -> None:
    held = {p["id"] for p in shipped_provisions()}
    assert set(items) <= held


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        # The defect the review of the seeds found: the laws principle cited as 6 (its slide position).
        ({"id": "CCMC Principle 6", "seed": CCMC_SEED, "anchor": "obey all laws and regulations"}, "no item"),
        # Two NACM numbers swapped.
        ({"id": "NACM 19", "seed": NACM_SEED, "anchor": "privacy of all information entrusted"}, "is not in"),
        ({"id": "CCMC Rule 1", "seed": CCMC_SEED, "anchor": "convicted of a felony"}, "is not in"),
        ({"id": "NACM 14", "seed": CCMC_SEED, "anchor": "self-care"}, "this item is in"),
        ({"id": "NACM 14", "seed": "", "seed_note": "a note cannot excuse a seed item"}, "name the seed"),
        ({"id": "Some law", "seed": ""}, "no seed_note"),
    ],
)
def test_a_number_and_an_anchor_that_disagree_are_caught(
    items: dict[str, str], change: dict[str, str], complaint: str
) -> None:
    found = problems([change], items)
    assert len(found) == 1 and complaint in found[0], found
