"""The shipped sample library (`dilemmas/`) as a trainer relies on it: every sample reads, the references
show what their choice costs (a chosen option that compromises a principle scores it below zero and
answers the justification conditions for exactly those principles), each rationale is about the option
it chose, and the chosen option is not given away by being the longest or always in the same place."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ethicsdesk.domain.checks import JUSTIFICATION_CONDITIONS
from ethicsdesk.knowledge.dilemma_files import Dilemma, read_dilemma, sample_paths

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"
PATHS = sorted(DILEMMAS.glob("*.toml"))
CONDITIONS = [c.id for c in JUSTIFICATION_CONDITIONS]

# The published numbering: NACM commitments 1-28; the CCMC Code's Principles 1-8 and Rules 1-6.
CITATION = re.compile(r"\b(NACM|CCMC Principle|CCMC Rule) (\d+)")
HIGHEST = {"NACM": 28, "CCMC Principle": 8, "CCMC Rule": 6}


def samples() -> list[Dilemma]:
    return [read_dilemma(p) for p in PATHS]


def compromised(d: Dilemma) -> list[str]:
    ref = d.data.reference
    assert ref is not None
    return sorted(p for p, score in ref.scores[ref.chosen].items() if score < 0)


def test_the_library_is_the_folder() -> None:
    assert sample_paths() == PATHS
    assert len(PATHS) >= 20


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_each_sample_reads_and_has_a_reference_to_debrief_against(path: Path) -> None:
    d = read_dilemma(path)
    assert d.id == path.stem
    ref = d.data.reference
    assert ref is not None
    assert len(ref.discussion) >= 3
    assert re.fullmatch(r"C-\d{4}", d.data.case_code)
    assert d.data.obligations


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_a_compromise_is_justified_on_exactly_the_principles_it_costs(path: Path) -> None:
    d = read_dilemma(path)
    ref = d.data.reference
    assert ref is not None
    assert sorted(ref.justification) == compromised(d)
    for answers in ref.justification.values():
        assert list(answers) == CONDITIONS  # all five, in the order the decide step asks them
    if compromised(d):
        assert ref.mitigation.strip()


def test_at_least_eight_references_show_a_cost_of_their_choice() -> None:
    costly = [d.id for d in samples() if compromised(d)]
    assert len(costly) >= 8, costly


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_the_rationale_is_about_the_option_it_chose(path: Path) -> None:
    d = read_dilemma(path)
    ref = d.data.reference
    assert ref is not None
    chosen = next(o for o in d.data.options if o.key == ref.chosen)
    others = [o for o in d.data.options if o.key != ref.chosen]
    assert chosen.label in ref.rationale or chosen.key in ref.rationale
    assert not any(o.label in ref.rationale for o in others if o.label not in chosen.label)


def test_the_chosen_option_is_not_given_away_by_its_length_or_place() -> None:
    longest, places = 0, set()
    for d in samples():
        ref = d.data.reference
        assert ref is not None
        size = {o.key: len(o.label) + len(o.description) for o in d.data.options}
        longest += size[ref.chosen] == max(size.values())
        places.add([o.key for o in d.data.options].index(ref.chosen))
    assert longest <= len(PATHS) // 2
    assert len(places) >= 3


def test_case_codes_are_unique() -> None:
    codes = [d.data.case_code for d in samples()]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_citations_use_numbers_the_codes_have(path: Path) -> None:
    for kind, number in CITATION.findall(path.read_text(encoding="utf-8")):
        assert 1 <= int(number) <= HIGHEST[kind], f"{kind} {number}"


def test_the_citation_check_can_fail() -> None:
    assert CITATION.findall("obey the law (CCMC Principle 9; NACM 29)") == [("CCMC Principle", "9"), ("NACM", "29")]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_the_reference_judges_every_option_against_every_ticked_floor_and_its_choice_fails_none(path: Path) -> None:
    """A reference shows its reasoning on the rules screen too: each option's verdict against each floor
    or code rule the sample ticks, so an imported sample is not "not checked yet" everywhere, and the
    option it chose is one that fails none of them."""
    from ethicsdesk.knowledge import load_catalogue

    d = read_dilemma(path)
    ref = d.data.reference
    assert ref is not None
    floors = [o for o in d.data.obligations if load_catalogue().is_floor(o)]
    for option in d.data.options:
        assert sorted(ref.floors.get(option.key, {})) == sorted(floors), option.key
    assert "fails" not in ref.floors.get(ref.chosen, {}).values()
