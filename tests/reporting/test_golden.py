"""Golden files: each text format of two records, compared whole.

The records are built with a fixed clock and fixed ids (conftest.SteppingClock); hashes are
normalised, since they depend on the event log's canonical form, which is not the report's
business. A change to a report shows up here as a diff to read. To accept one, run

    ETHICSDESK_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/reporting/test_golden.py

and review the changed files under tests/reporting/golden/ like any other change.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from ethicsdesk.service import Service
from ethicsdesk.service.exporting import export_record
from tests.reporting.conftest import GOLDEN

HASH = re.compile(r"\b[0-9a-f]{64}\b")
# The signature is over the head hash, so it changes whenever the hash does.
SIGNATURE = re.compile(r'("signature": )"[A-Za-z0-9+/=]{80,}"')


def normalised(text: str) -> str:
    return SIGNATURE.sub(r'\1"<ed25519>"', HASH.sub("<sha256>", text))


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ETHICSDESK_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    assert path.exists(), f"{path} is missing; run with ETHICSDESK_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_the_imported_discharge_sample(service: Service, discharge_id: str, tmp_path: Path, fmt: str) -> None:
    result = export_record(service, discharge_id, fmt, tmp_path / f"report.{fmt}")
    assert result.path is not None
    check_golden(f"discharge.{fmt}", normalised(result.path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_the_threat_sample_walked_to_sign_off(
    service: Service, signed_threat_id: str, tmp_path: Path, fmt: str
) -> None:
    result = export_record(service, signed_threat_id, fmt, tmp_path / f"report.{fmt}")
    assert result.path is not None
    check_golden(f"threat.{fmt}", normalised(result.path.read_text(encoding="utf-8")))


def test_golden_files_hold_no_hash_and_no_unmasked_identifier() -> None:
    for path in GOLDEN.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not HASH.search(text)
        assert "Thistlewood" not in text and "555-0142" not in text, path.name
