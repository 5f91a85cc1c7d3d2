"""What an export of a report without history reads, and that masking many reports in one process
gives each exactly what a mask of its own would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest

from ethicsdesk.reporting.masking import IdentifierMask, mask_for, mask_identifiers
from ethicsdesk.service import Service
from ethicsdesk.service.exporting import report_data
from ethicsdesk.settings import User

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"


@pytest.fixture
def rid(service: Service, other_service: Any) -> str:
    """A sample changed by two people, so the contributors are more than one row."""
    found = service.importing.import_files([DILEMMAS / "gift-from-family.toml"])[0]
    service.editing.set_text(found, "facts", "The son phones the office.")
    other: Service = other_service(User("Robin Ashdown", "supervisor"))
    other.editing.set_text(found, "unknowns", "Whether she agreed.")
    service.editing.set_text(found, "facts", "The son phones the office twice.")
    return found


def test_a_report_without_history_reads_the_record_in_one_transaction(
    service: Service, rid: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = []
    reads = service._reads

    @contextmanager
    def counted() -> Iterator[Any]:
        opened.append(1)
        with reads() as rows:
            yield rows

    def counting() -> AbstractContextManager[Any]:
        return counted()

    monkeypatch.setattr(service, "_reads", counting)
    without = report_data(service, rid, with_history=False)
    assert len(opened) == 1
    monkeypatch.undo()
    # the database's count of who changed what is the one the history gives
    with_history = report_data(service, rid, with_history=True)
    assert without["contributors"] == with_history["contributors"]
    assert [p["changes"] for p in without["contributors"]] == [3, 1]
    assert without["integrity"] == with_history["integrity"]


def test_a_mask_kept_for_many_reports_masks_as_a_new_one() -> None:
    identifiers = ("Anselm Thistlewood", "MRN 00-4471-VG")
    assert mask_for(identifiers) is mask_for(identifiers)
    views: list[Any] = [
        {"a": "Anselm Thistlewood came", "Anselm": ["mrn 00-4471-VG", ("x", 1, None, True)], "n": 2.5},
        {"a": "Anselm Thistlewood came", "b": "nobody"},
        [],
    ]
    for view in views:
        assert mask_identifiers(view, identifiers) == IdentifierMask(identifiers).value(view)
    assert mask_identifiers(views[0], identifiers)["Anselm"][0] == "[identifier 2]"
    # no identifiers: the same structure copied, tuples as lists, as before
    assert mask_identifiers({"k": ("Anselm",)}, []) == {"k": ["Anselm"]}
