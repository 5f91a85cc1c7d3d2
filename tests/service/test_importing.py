"""Dilemma files into records: each file one record with one event; every file is checked before any
is written, and a batch lands whole or not at all."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from ethicsdesk.domain.dates import settle_follow_up
from ethicsdesk.errors import BadInput, DatabaseProblem
from ethicsdesk.knowledge.dilemma_files import read_dilemma
from ethicsdesk.service import Service

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"
GIFT = DILEMMAS / "gift-from-family.toml"
DISCHARGE = DILEMMAS / "discharge-against-advice.toml"


def counts(tmp_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(tmp_path / "test.db")
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("records", "events", "cells")}
    finally:
        conn.close()


def test_a_sample_becomes_a_decided_record(service: Service) -> None:
    rid = service.importing.import_files([DISCHARGE])[0]
    d = read_dilemma(DISCHARGE).data
    state = service.record(rid)
    assert state.title == d.title
    assert state.source == "discharge-against-advice.toml"
    assert [o.key for o in state.options] == [o.key for o in d.options]
    assert d.reference is not None
    assert len(state.scores) == len(d.options) * 7
    assert state.decision["chosen"] == d.reference.chosen
    assert state.status == "decided"
    assert (state.kind, state.sample_id, state.created_by) == ("case", None, "Robin Ashdown")
    log = service.integrity.event_payloads(rid)
    assert [e["type"] for e in log] == ["record.imported"]
    payload = log[0]["payload"]
    assert payload["source"] == "discharge-against-advice.toml"  # type: ignore[index]
    assert payload["sha256"] == hashlib.sha256(DISCHARGE.read_bytes()).hexdigest()  # type: ignore[index]
    assert payload["dilemma"]["id"] == "discharge-against-advice"  # type: ignore[index]
    summary = service.summary(rid)
    assert (summary.events, summary.status) == (1, "decided")
    assert summary.head_hash == service.history(rid)[0].hash
    assert service.integrity.verify(rid) == (1, [])


def test_several_files_in_order(service: Service) -> None:
    ids = service.importing.import_files([GIFT, DISCHARGE, GIFT])
    assert len(set(ids)) == 3
    assert [service.record(i).sample_id for i in ids] == [None, None, None]
    assert [service.record(i).title for i in ids] == [
        read_dilemma(GIFT).data.title,
        read_dilemma(DISCHARGE).data.title,
        read_dilemma(GIFT).data.title,
    ]
    assert service.integrity.verify() == (3, [])


def test_a_training_import_names_its_sample(service: Service) -> None:
    rid = service.importing.import_files([GIFT], kind="training")[0]
    state = service.record(rid)
    assert (state.kind, state.sample_id) == ("training", "gift-from-family")
    assert service.list_records() == []
    assert [r.id for r in service.list_records(kind="training")] == [rid]


@pytest.mark.sqlite_only  # reaches into the SQLite file
def test_one_bad_file_refuses_the_whole_batch(service: Service, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(GIFT.read_text().replace("equity = -2", "equity = -3"))
    before = counts(tmp_path)
    with pytest.raises(BadInput, match=r"bad\.toml, line \d+: reference\.scores\.accept-both\.equity") as exc:
        service.importing.import_files([GIFT, DISCHARGE, bad])
    assert exc.value.exit_code == 2
    assert counts(tmp_path) == before == {"records": 0, "events": 0, "cells": 0}


@pytest.mark.sqlite_only  # reaches into the SQLite file
def test_a_missing_file_refuses_the_batch(service: Service, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no such file"):
        service.importing.import_files([GIFT, tmp_path / "missing.toml"])
    assert counts(tmp_path)["records"] == 0


@pytest.mark.sqlite_only  # reaches into the SQLite file
def test_a_database_failure_mid_batch_writes_nothing(service: Service, tmp_path: Path) -> None:
    """The database refuses the second record's event (a trigger stands in for a failing disk)."""
    existing = service.editing.create_record("Already here")
    conn = sqlite3.connect(tmp_path / "test.db", isolation_level=None)
    conn.execute(
        "CREATE TRIGGER fail_second_import BEFORE INSERT ON events "
        "WHEN NEW.type = 'record.imported' AND (SELECT count(*) FROM events WHERE type = 'record.imported') >= 1 "
        "BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated)'); END"
    )
    conn.close()
    before = counts(tmp_path)
    with pytest.raises(DatabaseProblem, match=r"nothing was written: disk I/O error \(simulated\)") as exc:
        service.importing.import_files([GIFT, DISCHARGE])
    assert exc.value.exit_code == 2
    assert counts(tmp_path) == before
    assert [r.id for r in service.list_records()] == [existing]
    assert service.list_records(search="scarf") == []  # the search index was rolled back too
    assert service.integrity.verify() == (1, [])
    assert len(service.importing.import_files([GIFT])) == 1  # one file alone goes through


def test_an_id_that_is_taken_is_refused_not_merged(
    service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should a new id ever collide with a record's, the import must fail, not extend that chain."""
    existing = service.editing.create_record("Already here")
    service.editing.set_text(existing, "facts", "Mine.")
    head, snapshot = service.head(existing), service.record(existing).snapshot()
    monkeypatch.setattr(service.clock, "new_id", lambda: existing)
    with pytest.raises(DatabaseProblem, match="nothing was written"):
        service.importing.import_files([GIFT])
    assert service.head(existing) == head
    assert service.record(existing).snapshot() == snapshot
    assert service.integrity.verify() == (1, [])


def test_the_cost_of_the_reference_choice_reaches_the_record_and_the_json_report(
    service: Service, tmp_path: Path
) -> None:
    """mitigation, follow_up and the justification answers of [reference] land in the record's decision
    and answers, so the report shows them beside the compromised principle."""
    import json

    from ethicsdesk.domain.checks import JUSTIFICATION_CONDITIONS, quality_checks
    from ethicsdesk.service.exporting import export_record
    from tests.knowledge.test_dilemma_files import COSTED

    path = tmp_path / "costed.toml"
    path.write_text(COSTED)
    (rid,) = service.importing.import_files([path])
    state = service.record(rid)
    assert state.decision["mitigation"] == "Explain why, and come back in a week."
    week = date.fromordinal(datetime.now(UTC).date().toordinal() + 7).isoformat()
    assert state.decision["follow_up"] == week  # a period in the file is a date in the record
    assert state.answers["justify:autonomy:no-better-alternative"] == "Staying harms more."
    assert service.integrity.verify(rid) == (1, [])  # the projection holds the answers the events fold to
    finding_ids = {f.id for f in quality_checks(state, service.framework("ccmc"), service.catalogue())}
    assert {"unjustified-compromise", "no-mitigation"}.isdisjoint(finding_ids)

    result = export_record(service, rid, "json", tmp_path / "report.json")
    assert result.path is not None
    decision = json.loads(result.path.read_text(encoding="utf-8"))["decision"]
    assert decision["chosen"] == "go"
    assert decision["mitigation"] == "Explain why, and come back in a week."
    assert decision["follow_up"] == week
    (autonomy,) = decision["compromised"]
    assert autonomy["principle"] == "autonomy"
    assert [(j["condition"], j["answer"]) for j in autonomy["justifications"]] == [
        (c.id, answer)
        for c, answer in zip(
            JUSTIFICATION_CONDITIONS,
            (
                "A good reason.",
                "A fair prospect.",
                "Staying harms more.",
                "Only as far as needed.",
                "Explained and revisited.",
            ),
            strict=True,
        )
    ]


def test_a_reference_without_its_costs_leaves_them_unanswered(service: Service, tmp_path: Path) -> None:
    from tests.knowledge.test_dilemma_files import COSTED

    path = tmp_path / "plain.toml"
    path.write_text(COSTED.split("[reference.justification.autonomy]")[0].replace("mitigation = ", "# mitigation = "))
    (rid,) = service.importing.import_files([path])
    state = service.record(rid)
    assert "mitigation" not in state.decision
    assert not [k for k in state.answers if k.startswith("justify:")]


def test_every_shipped_reference_brings_its_costs_into_the_record(service: Service, tmp_path: Path) -> None:
    """All samples in one import: each record's decision and justification answers are the reference's,
    and the JSON report of one that compromises two principles shows both, answered."""
    import json

    from ethicsdesk.domain.record import justification_key
    from ethicsdesk.service.exporting import export_record

    paths = sorted(DILEMMAS.glob("*.toml"))
    ids = service.importing.import_files(paths)
    for rid, path in zip(ids, paths, strict=True):
        ref = read_dilemma(path).data.reference
        assert ref is not None
        state = service.record(rid)
        assert state.decision.get("mitigation", "") == ref.mitigation
        # a period or date becomes the follow-up date; prose moves to the plan's revisit text
        settled = settle_follow_up(read_dilemma(path).payload(), datetime.now(UTC).date())["reference"]
        assert state.decision.get("follow_up", "") == settled.get("follow_up", "")
        assert state.text.get("plan_revisit", "") == settled.get("plan", {}).get("revisit", "")
        if ref.follow_up and "follow_up" not in settled:
            assert state.text["plan_revisit"].endswith(ref.follow_up.strip())
        assert {k: v for k, v in state.answers.items() if k.startswith("justify:")} == {
            justification_key(p, c): answer for p, answers in ref.justification.items() for c, answer in answers.items()
        }
    threat = ids[[p.stem for p in paths].index("threat-to-third-party")]
    result = export_record(service, threat, "json", tmp_path / "threat.json")
    assert result.path is not None
    decision = json.loads(result.path.read_text(encoding="utf-8"))["decision"]
    ref = read_dilemma(DILEMMAS / "threat-to-third-party.toml").data.reference
    assert ref is not None
    assert decision["mitigation"] == ref.mitigation
    assert {
        c["principle"]: {j["condition"]: j["answer"] for j in c["justifications"]} for c in decision["compromised"]
    } == (ref.justification)
    assert service.integrity.verify() == (len(paths), [])
