"""A sample that ticks capacity or informed consent says how capacity stands (its `capacity` key), so
importing it, or starting a training attempt on it, does not raise `capacity-not-assessed`; the same
file without the key does, which is what the check is for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ethicsdesk.domain.checks import CHOICE_AT_ISSUE, quality_checks
from ethicsdesk.knowledge.dilemma_files import read_dilemma
from ethicsdesk.service import Service
from tests.conftest import DILEMMAS

TICKING = sorted(
    path for path in DILEMMAS.glob("*.toml") if set(read_dilemma(path).data.obligations) & set(CHOICE_AT_ISSUE)
)


def finding_ids(service: Service, rid: str) -> set[str]:
    state = service.record(rid)
    return {f.id for f in quality_checks(state, service.framework_of(state), service.catalogue())}


def test_twenty_four_samples_put_the_clients_choice_at_issue() -> None:
    # an exact count, so that a sample that stops ticking capacity or consent is noticed
    assert len(TICKING) == 24


@pytest.mark.parametrize("path", TICKING, ids=lambda p: p.stem)
def test_an_imported_sample_has_its_capacity_and_no_finding(service: Service, path: Path) -> None:
    (rid,) = service.importing.import_files([path])
    capacity = read_dilemma(path).data.capacity
    assert capacity and service.record(rid).text["capacity"] == capacity
    assert "capacity-not-assessed" not in finding_ids(service, rid)


def test_the_same_sample_without_capacity_gets_the_finding(service: Service, tmp_path: Path) -> None:
    source = DILEMMAS / "discharge-against-advice.toml"
    bare = tmp_path / source.name
    bare.write_text(re.sub(r'(?m)^capacity = ".*"\n', "", source.read_text(encoding="utf-8")), encoding="utf-8")
    assert read_dilemma(bare).data.capacity == ""
    (rid,) = service.importing.import_files([bare])
    assert "capacity-not-assessed" in finding_ids(service, rid)


def test_a_training_attempt_is_given_the_samples_capacity(service: Service) -> None:
    state = service.record(service.training.start_training("self-neglect-case-closure"))
    assert state.text["capacity"].startswith("Assessed in September")
