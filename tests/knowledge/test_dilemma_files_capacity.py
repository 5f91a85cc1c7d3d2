"""The optional top-level key `capacity` in the dilemma file: decision-making capacity as the case file
has it. A file without it still reads; a file with it puts it in the record's Situation, `samples show`
lists it beside the client's wishes, and a training attempt is given it with the situation."""

from __future__ import annotations

from pathlib import Path

import pytest

from ethicsdesk.errors import BadInput
from ethicsdesk.knowledge.dilemma_files import read_dilemma
from ethicsdesk.reporting.plain_text import dilemma_text
from ethicsdesk.service import Service
from ethicsdesk.service.training import without_reference
from tests.knowledge.test_dilemma_files_client_part import write

CAPACITY = 'capacity = "Assessed on day three by her physician, for this decision: she understands and weighs it."\n'


def test_a_file_without_capacity_still_reads(tmp_path: Path) -> None:
    d = read_dilemma(write(tmp_path, ""))
    assert d.data.capacity == ""
    assert "capacity" not in d.payload()


def test_capacity_is_read_and_imported(tmp_path: Path, service: Service) -> None:
    d = read_dilemma(write(tmp_path, CAPACITY))
    assert d.data.capacity.startswith("Assessed on day three")
    rid = service.importing.import_dilemmas([d])[0]
    assert service.record(rid).text["capacity"] == d.data.capacity
    assert service.integrity.verify() == (1, [])


def test_samples_show_lists_capacity_after_the_clients_wishes(tmp_path: Path) -> None:
    path = write(tmp_path, 'client_wishes = "To stay."\n' + CAPACITY)
    flat = " ".join(dilemma_text(read_dilemma(path)).split())
    assert "Client's wishes: To stay. Capacity: Assessed on day three by her physician" in flat
    assert "Capacity" not in dilemma_text(read_dilemma(write(tmp_path, "")))


def test_a_training_attempt_is_given_capacity_with_the_situation(tmp_path: Path) -> None:
    # the Situation step is locked in a training attempt, so what it does not give the trainee cannot write
    given = without_reference(read_dilemma(write(tmp_path, CAPACITY))).payload()
    assert given["capacity"].startswith("Assessed on day three")


def test_capacity_that_is_not_text_is_one_sentence(tmp_path: Path) -> None:
    path = write(tmp_path, "capacity = 3\n")
    with pytest.raises(BadInput) as exc:
        read_dilemma(path)
    assert exc.value.exit_code == 2
    assert exc.value.message.startswith(f"{path}, line 6: capacity: ")
