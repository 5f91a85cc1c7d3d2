"""The obligation catalogue: complete, self-consistent, and honest about legal floors."""

from __future__ import annotations

import copy
import re
import tomllib
from importlib import resources
from typing import Any

import pytest

from ethicsdesk.domain.frameworks import CCMC_PRINCIPLE_IDS
from ethicsdesk.domain.obligations import (
    Catalogue,
    CatalogueError,
    obligations_json,
    parse_catalogue,
    rules_screen,
)
from ethicsdesk.knowledge import load_catalogue

MINIMUM_IDS = (
    "confidentiality",
    "informed-consent",
    "capacity",
    "duty-to-warn",
    "mandated-report",
    "imminent-risk",
    "dual-relationship",
    "conflict-of-interest",
    "scope-of-practice",
    "resource-allocation",
    "cultural-considerations",
    "colleague-impairment",
    "documentation-integrity",
)
FLOORS = ("duty-to-warn", "mandated-report", "imminent-risk")


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def shipped(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files("ethicsdesk.knowledge").joinpath(name).read_text(encoding="utf-8"))


# --- the shipped catalogue ------------------------------------------------------------------------
def test_the_catalogue_holds_the_minimum_ids_of_the_design(catalogue: Catalogue) -> None:
    assert catalogue.ids[: len(MINIMUM_IDS)] == MINIMUM_IDS
    assert len(set(catalogue.ids)) == len(catalogue.ids)


def test_exactly_the_three_duties_are_legal_floors(catalogue: Catalogue) -> None:
    assert tuple(o.id for o in catalogue.legal_floors) == FLOORS
    assert all(catalogue.is_legal_floor(f) for f in FLOORS)
    assert not catalogue.is_legal_floor("confidentiality")
    assert not catalogue.is_legal_floor("no-such-duty")


def test_every_provision_cited_exists_in_the_catalogue(catalogue: Catalogue) -> None:
    held = {p.id for p in catalogue.provisions}
    cited = {pid for o in catalogue.obligations for pid in o.provisions}
    assert cited <= held
    # The examples the issue names are among them.
    assert {"NACM 18", "NACM 19", "CCMC Rule 5", "HIPAA minimum necessary", "CCMC Principle 6"} <= cited


def test_provision_ids_follow_the_citation_style(catalogue: Catalogue) -> None:
    for p in catalogue.provisions:
        assert re.fullmatch(
            r"NACM (\d|1\d|2[0-8])|CCMC (Rule [1-6]|Principle [1-7]|Preamble)|HIPAA [a-z ]+", p.id
        ), p.id
        assert len(p.summary) > 15 and p.source.strip(), p.id
    nacm = {p.id for p in catalogue.provisions if p.id.startswith("NACM ")}
    assert nacm == {f"NACM {n}" for n in range(1, 29)}


def test_every_obligation_has_text_principles_and_provisions(catalogue: Catalogue) -> None:
    for o in catalogue.obligations:
        assert o.name.strip() and len(o.description) > 40, o.id
        assert o.principles and set(o.principles) <= set(CCMC_PRINCIPLE_IDS), o.id
        assert o.provisions, o.id


def test_legal_floors_say_what_the_next_hour_requires(catalogue: Catalogue) -> None:
    for floor in catalogue.legal_floors:
        steps = " ".join(floor.requires_now).lower()
        assert len(floor.requires_now) >= 3, floor.id
        assert "consult" in steps and "supervisor" in steps, floor.id
        assert "document" in steps, floor.id
        assert "statute" in steps or "law" in steps, floor.id
    for o in catalogue.obligations:
        if not o.legal_floor:
            assert o.requires_now == (), o.id


def test_the_floor_note_names_no_jurisdiction_as_settled(catalogue: Catalogue) -> None:
    note = catalogue.floor_note.lower()
    assert "jurisdiction" in note and "settled" in note and "legal advice" in note


def test_lookups(catalogue: Catalogue) -> None:
    assert catalogue.obligation("capacity").name == "Decision-making capacity"
    assert catalogue.provision("NACM 28").source.startswith("NACM Code of Ethics")
    assert catalogue.get("nothing") is None
    with pytest.raises(KeyError):
        catalogue.obligation("nothing")
    with pytest.raises(KeyError):
        catalogue.provision("NACM 29")


# --- parse_catalogue refuses inconsistent files ---------------------------------------------------
def broken(change: str) -> tuple[dict[str, Any], dict[str, Any]]:
    obligations, provisions = (
        copy.deepcopy(shipped("obligations.toml")),
        copy.deepcopy(shipped("provisions.toml")),
    )
    first = obligations["obligation"][0]
    if change == "missing provision":
        first["provisions"] = [*first["provisions"], "NACM 99"]
    elif change == "unknown principle":
        first["principles"] = ["autonomy", "loyalty"]
    elif change == "steps on a non-floor":
        first["requires_now"] = ["Do something now."]
    elif change == "duplicate obligation":
        obligations["obligation"].append(dict(first))
    elif change == "duplicate provision":
        provisions["provision"].append(dict(provisions["provision"][0]))
    elif change == "no principles":
        first["principles"] = []
    elif change == "floor not a bool":
        first["legal_floor"] = "yes"
    elif change == "no floor note":
        del obligations["legal_floor"]["note"]
    elif change == "bad id":
        first["id"] = "Confidentiality"
    return obligations, provisions


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ("missing provision", "'NACM 99'"),
        ("unknown principle", "'loyalty'"),
        ("steps on a non-floor", "not a legal floor"),
        ("duplicate obligation", "appears twice"),
        ("duplicate provision", "appears twice"),
        ("no principles", "no principle"),
        ("floor not a bool", "true or false"),
        ("no floor note", "'note'"),
        ("bad id", "ids use only"),
    ],
)
def test_inconsistent_catalogues_are_refused(change: str, problem: str) -> None:
    obligations, provisions = broken(change)
    with pytest.raises(CatalogueError, match=re.escape(problem)):
        parse_catalogue(obligations, provisions)


def test_a_floor_gets_its_own_steps_then_the_shared_ones() -> None:
    obligations, provisions = shipped("obligations.toml"), shipped("provisions.toml")
    catalogue = parse_catalogue(obligations, provisions)
    shared = tuple(obligations["legal_floor"]["requires_now"])
    own = tuple(next(o for o in obligations["obligation"] if o["id"] == "duty-to-warn")["requires_now"])
    assert catalogue.obligation("duty-to-warn").requires_now == own + shared


# --- obligations_json (the report's obligations[]) -------------------------------------------------
def test_obligations_json_has_the_report_keys_in_catalogue_order(catalogue: Catalogue) -> None:
    rows = obligations_json(["duty-to-warn", "confidentiality", "confidentiality"], catalogue)
    assert [r["id"] for r in rows] == ["confidentiality", "duty-to-warn"]
    warn = rows[1]
    assert warn["legal_floor"] is True and rows[0]["legal_floor"] is False
    assert warn["provisions"] == list(catalogue.obligation("duty-to-warn").provisions)
    assert [d["id"] for d in warn["provision_details"]] == warn["provisions"]
    assert warn["requires_now"] and rows[0]["requires_now"] == []
    assert warn["name"] == "Duty to warn or protect" and warn["known"] is True
    assert set(warn) >= {"id", "name", "legal_floor", "provisions", "principles", "requires_now"}


def test_obligations_json_keeps_an_id_the_catalogue_lost(catalogue: Catalogue) -> None:
    rows = obligations_json(["retired-duty", "capacity"], catalogue)
    assert [(r["id"], r["known"]) for r in rows] == [("capacity", True), ("retired-duty", False)]
    assert rows[1]["legal_floor"] is False and rows[1]["provisions"] == []


# --- rules screen ---------------------------------------------------------------------------------
OPTIONS = (("tell", "Tell the sister"), ("keep", "Keep the secret"), ("ask", "Ask the client first"))


def test_no_floor_means_the_options_are_weighed(catalogue: Catalogue) -> None:
    screen = rules_screen(OPTIONS, ["confidentiality"], {}, catalogue)
    assert not screen.applies and screen.floors == [] and screen.excluded == {}
    assert "weighing" in screen.text


def test_a_floor_marks_the_options_that_do_not_honour_it(catalogue: Catalogue) -> None:
    checks = {("duty-to-warn", "tell"): True, ("duty-to-warn", "keep"): False}
    screen = rules_screen(OPTIONS, ["confidentiality", "duty-to-warn"], checks, catalogue)
    assert screen.applies
    assert screen.floors == ["duty-to-warn"]
    assert screen.excluded == {"keep": ["duty-to-warn"]}
    assert screen.unchecked == {"ask": ["duty-to-warn"]}
    assert "answered by a rule, not by weighing" in screen.text
    assert "consultation is due now" in screen.text
    assert "Keep the secret (Duty to warn or protect)" in screen.text
    assert "Not yet checked" in screen.text and "Ask the client first" in screen.text
    assert screen.note == catalogue.floor_note


def test_several_floors_are_screened_together(catalogue: Catalogue) -> None:
    checks = {(f, o): True for f in FLOORS for o, _ in OPTIONS}
    checks[("imminent-risk", "ask")] = False
    checks[("mandated-report", "ask")] = False
    screen = rules_screen(OPTIONS, list(reversed(FLOORS)), checks, catalogue)
    assert screen.floors == list(FLOORS)
    assert screen.excluded == {"ask": ["mandated-report", "imminent-risk"]}
    assert screen.unchecked == {}
    assert "are legal floors" in screen.text


def test_a_fully_checked_floor_says_so(catalogue: Catalogue) -> None:
    checks = {("mandated-report", o): True for o, _ in OPTIONS}
    screen = rules_screen(OPTIONS, ["mandated-report"], checks, catalogue)
    assert screen.excluded == {} and screen.unchecked == {}
    assert "honours every floor" in screen.text
