"""Every provision cited anywhere the product speaks exists in provisions.toml.

Citations are found by their form ("NACM 18", "CCMC Principle 7", "CCMC Rule 1", "CCMC Preamble") in
the free text of the catalogue, the frameworks (their `nacm` numbers too), every sample in dilemmas/
and every report template, so a sample or a template cannot cite a number the knowledge base lacks
(such as "CCMC Principle 9", or a NACM commitment above 28).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from ethicsdesk.knowledge import available_frameworks, load_catalogue, load_framework

REPO = Path(__file__).resolve().parents[2]
KNOWLEDGE = REPO / "ethicsdesk" / "knowledge"
CITATION = re.compile(r"\b(NACM \d+|CCMC (?:Principle|Rule) \d+|CCMC Preamble|CCMC Complaint Procedures)\b")


def cited_in(path: Path) -> set[str]:
    return set(CITATION.findall(path.read_text(encoding="utf-8")))


def places() -> list[Path]:
    found = sorted(KNOWLEDGE.glob("*.toml")) + sorted((REPO / "dilemmas").glob("*.toml"))
    found += sorted((REPO / "reports").rglob("*.j2"))
    return [p for p in found if p.name != "provisions.toml"]


def test_the_places_searched_are_the_ones_the_product_ships() -> None:
    names = {p.relative_to(REPO).parts[0] for p in places()}
    assert names == {"ethicsdesk", "dilemmas", "reports"}
    assert len([p for p in places() if p.parent.name == "dilemmas"]) >= 12


@pytest.mark.parametrize("path", places(), ids=lambda p: str(p.relative_to(REPO)))
def test_every_citation_in_the_file_is_a_provision_we_hold(path: Path) -> None:
    held = {p.id for p in load_catalogue().provisions}
    missing = sorted(cited_in(path) - held)
    assert not missing, f"{path.name} cites {missing}, which provisions.toml does not hold"


def test_obligations_and_frameworks_cite_held_provisions() -> None:
    catalogue = load_catalogue()
    held = {p.id for p in catalogue.provisions}
    for o in catalogue.obligations:
        assert set(o.provisions) <= held, o.id
    for fid in available_frameworks():
        for principle in load_framework(fid).principles:
            assert {f"NACM {n}" for n in principle.nacm} <= held, (fid, principle.id)


def test_the_finder_sees_a_citation_we_do_not_hold(tmp_path: Path) -> None:
    sample = tmp_path / "sample.toml"
    sample.write_text('rationale = "Obey the law (CCMC Principle 9) and privacy (NACM 18)."\n', encoding="utf-8")
    held = {p.id for p in load_catalogue().provisions}
    assert cited_in(sample) - held == {"CCMC Principle 9"}
    tomllib.loads(sample.read_text(encoding="utf-8"))  # the probe is a real TOML file


def test_the_knowledge_readme_reviews_every_provision_with_what_cites_it() -> None:
    """The review table in ethicsdesk/knowledge/README.md: one row per provision, naming its anchor
    and exactly the obligations that cite it, so a reviewer reads what the product really does."""
    catalogue = load_catalogue()
    rows = review_rows()
    assert set(rows) == {p.id for p in catalogue.provisions}
    for p in catalogue.provisions:
        _, where, _, anchor, _, cited = rows[p.id]
        if p.anchor:
            assert anchor == f'"{p.anchor}"' and where.startswith(p.seed[:3]), p.id
        named = {c.strip() for c in cited.split(",")}
        citing = {o.id for o in catalogue.obligations if p.id in o.provisions}
        assert {n for n in named if ":" not in n and not n.startswith("—")} == citing, p.id


def review_rows() -> dict[str, list[str]]:
    """The review table's rows by provision id: provision, where, seed passage, anchor, summary, cited by."""
    ids = {p.id for p in load_catalogue().provisions}
    rows: dict[str, list[str]] = {}
    for line in (KNOWLEDGE / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0] in ids:
            rows[cells[0]] = cells
    return rows


PASSAGE = re.compile(r"`(?P<file>[0-9a-f_]+\.txt)`, lines? (?P<spans>[\d\- and]+)$")


def passage_text(cell: str, seeds: Path) -> tuple[str, str]:
    """The seed file a "seed passage" cell names and the text of the lines it names, flattened."""
    found = PASSAGE.fullmatch(cell)
    assert found, f"not a seed passage: {cell!r}"
    lines = (seeds / found["file"]).read_text(encoding="utf-8").splitlines()
    text = []
    for span in found["spans"].split(" and "):
        first, _, last = span.partition("-")
        text += lines[int(first) - 1 : int(last or first)]
    return found["file"], " ".join(" ".join(text).split()).lower()


def test_the_review_table_names_the_seed_passage_each_provision_paraphrases() -> None:
    """The seed-passage column: the file the provision names, and lines that hold its anchor; a
    provision no seed holds (law) says so instead of naming lines."""
    seeds = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"the seed documents are not beside this repository ({seeds})")
    rows = review_rows()
    for p in load_catalogue().provisions:
        cell = rows[p.id][2]
        if not p.seed:
            assert cell.startswith("none"), p.id
            continue
        file, text = passage_text(cell, seeds)
        assert file == p.seed, p.id
        assert " ".join(p.anchor.split()).lower() in text, (p.id, cell)


def test_a_seed_passage_that_names_the_wrong_lines_is_caught() -> None:
    seeds = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"the seed documents are not beside this repository ({seeds})")
    nacm_19 = review_rows()["NACM 19"][2]
    _, text = passage_text(nacm_19, seeds)
    assert "duty to warn" in text
    _, text = passage_text(nacm_19.replace(nacm_19.split()[-1], "67"), seeds)  # NACM 14's line
    assert "duty to warn" not in text
