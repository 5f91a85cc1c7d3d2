"""The ranked view of every shipped sample once imported: never first an option that fails a ticked
floor (Dolgoff's rules screen before his principles screen), and justice and equity weighed together."""

from __future__ import annotations

import json
from pathlib import Path

from ethicsdesk.domain.analysis import analyse_record
from ethicsdesk.domain.record import RecordState
from ethicsdesk.service import Service
from ethicsdesk.service.exporting import export_record

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"
SAMPLES = sorted(DILEMMAS.glob("*.toml"))


def ranked_first(service: Service, rid: str) -> tuple[str | None, dict[str, list[str]]]:
    state: RecordState = service.record(rid)
    ranked = analyse_record(state, service.framework_of(state), service.catalogue()).ranked
    return (ranked.ranking[0] if ranked.ranking else None), ranked.set_apart


def test_no_sample_ranks_first_an_option_that_fails_a_ticked_floor(service: Service) -> None:
    """Each sample as imported (its reference's floor verdicts set apart the options that fail one), then
    with its ranked leader marked, one after another, as not honouring
    a legal or safety floor (imminent risk ticked where the sample has none): each marked option leaves
    the ranking for the set-apart list, until none is left to rank."""
    catalogue = service.catalogue()
    ids = service.importing.import_files(SAMPLES)
    assert len(ids) == len(SAMPLES) >= 21
    for rid, path in zip(ids, SAMPLES, strict=True):
        state = service.record(rid)
        first, apart = ranked_first(service, rid)
        failing = {o for (_, o), honours in state.floor_checks.items() if honours is False}
        assert first not in failing and set(apart) == failing, path.stem
        floors = [o for o in state.obligations if catalogue.is_floor(o) and catalogue.obligation(o).floor != "rule"]
        if not floors:
            service.editing.set_obligation(rid, "imminent-risk", True)
            floors = ["imminent-risk"]
        marked: list[str] = []
        while first is not None:
            service.editing.check_floor(rid, floors[0], first, False)
            marked.append(first)
            first, apart = ranked_first(service, rid)
            assert first not in marked, path.stem
            # the options the reference already judged failing stay apart beside the ones marked here
            assert list(apart) == [o.key for o in state.options if o.key in marked or o.key in failing], path.stem
        assert len(marked) + len(failing) == len(state.options), path.stem


def test_the_homeless_discharge_sample_no_longer_ranks_the_shelter_first(service: Service, tmp_path: Path) -> None:
    """Justice taken strictly before equity put "Discharge him to the shelter today" first; weighed
    together (equal treatment, unequal treatment justified for the more vulnerable) the sample's own
    reference choice comes first, and the JSON report says how the order is grouped."""
    (rid,) = service.importing.import_files([DILEMMAS / "unsafe-homeless-discharge.toml"])
    first, _ = ranked_first(service, rid)
    assert first == "hold-for-respite"
    result = export_record(service, rid, "json", tmp_path / "report.json")
    assert result.path is not None
    ranked = json.loads(result.path.read_text(encoding="utf-8"))["analysis"]["ranked"]
    assert ranked["order"][:3] == ["justice", "equity", "autonomy"]  # still a list of principle ids
    assert ranked["ranks"][:2] == [["justice", "equity"], ["autonomy"]]
    # the reference judges recording the shelter as a safe discharge to break the documentation rule
    assert ranked["set_apart"] == {"discharge-to-shelter": ["documentation-integrity"]}
    assert ranked["ranking"][0] == "hold-for-respite"
    assert len(ranked["disagreements"]) <= 66


def test_an_imported_reference_brings_its_floor_verdicts(service: Service) -> None:
    """The file's [reference.floors] become the record's floor checks, so the rules screen of an imported
    sample is filled in, not "not checked yet" everywhere."""
    (rid,) = service.importing.import_files([DILEMMAS / "threat-to-third-party.toml"])
    checks = service.record(rid).floor_checks
    assert checks[("duty-to-warn", "keep-confidential-monitor")] is False
    assert checks[("duty-to-warn", "protect-then-tell-when-safe")] is True
    assert len(checks) == 8
    _, apart = ranked_first(service, rid)
    assert apart == {
        "keep-confidential-monitor": ["duty-to-warn", "imminent-risk"],
        "crisis-evaluation-only": ["duty-to-warn"],
    }


def test_where_the_ranked_view_leads_with_another_option_the_reference_says_why(service: Service) -> None:
    """A trainee reads the ranked view beside the reference: where they differ, the reference's rationale
    names the ranked view and its leader and says why it departs, so the sample never teaches a choice
    the screen contradicts in silence. Every sample is imported and read as a trainer would."""
    ids = service.importing.import_files(SAMPLES)
    departures = []
    for rid, path in zip(ids, SAMPLES, strict=True):
        state = service.record(rid)
        first, _ = ranked_first(service, rid)
        if first is None or first == state.decision.get("chosen"):
            continue
        departures.append(path.stem)
        rationale = state.decision.get("rationale", "").lower()
        leader = next(o.label for o in state.options if o.key == first)
        assert "ranked view" in rationale, path.stem
        assert any(word in rationale for word in _telling_words(leader)), (path.stem, leader)
    # the check has something to read: some references knowingly depart from the ranked view
    assert departures


def _telling_words(label: str) -> list[str]:
    """The longer words of an option's label, by which a rationale names it without quoting it whole."""
    return [w for w in label.lower().replace(",", " ").split() if len(w) >= 6]
