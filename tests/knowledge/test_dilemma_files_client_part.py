"""The client's part in the dilemma file: the optional keys own_values, medical_facts, decision_maker,
client_involved and client_informed. A file without them still reads; a bad choice is one sentence
naming the file, the line and the field; an imported file puts them in the record."""

from __future__ import annotations

from pathlib import Path

import pytest

from ethicsdesk.errors import BadInput
from ethicsdesk.knowledge.dilemma_files import read_dilemma
from ethicsdesk.service import Service
from ethicsdesk.service.training import without_reference

MINIMAL = """\
format = "ethicsdesk.dilemma/1"
id = "small"
title = "A small dilemma"
summary = "Two ways to go."
facts = "Only these."
{extra}
[[options]]
key = "stay"
label = "Stay"

[[options]]
key = "go"
label = "Go"
"""

FULL = """\
own_values = "I like this client and may be too ready to take his side."
medical_facts = "Stable heart failure; walks 50 metres with a frame."
decision_maker = "client"
client_involved = "yes"
client_informed = "He was told at the ward round, with his interpreter."
"""


def write(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "small.toml"
    path.write_text(MINIMAL.format(extra=extra))
    return path


def test_a_file_without_the_new_keys_still_reads(tmp_path: Path) -> None:
    d = read_dilemma(write(tmp_path, ""))
    assert (d.data.own_values, d.data.decision_maker, d.data.client_involved) == ("", "", "")
    assert not {"own_values", "medical_facts", "decision_maker", "client_involved", "client_informed"} & set(
        d.payload()
    )


def test_the_new_keys_are_read_and_imported(tmp_path: Path, service: Service) -> None:
    d = read_dilemma(write(tmp_path, FULL))
    assert d.payload()["decision_maker"] == "client"
    rid = service.importing.import_dilemmas([d])[0]
    text = service.record(rid).text
    assert text["own_values"].startswith("I like this client")
    assert text["medical_facts"].startswith("Stable heart failure")
    assert (text["decision_maker"], text["client_involved"]) == ("client", "yes")
    assert text["client_informed"].startswith("He was told")
    assert service.integrity.verify() == (1, [])


def test_a_training_attempt_leaves_the_client_part_to_the_trainee(tmp_path: Path) -> None:
    given = without_reference(read_dilemma(write(tmp_path, FULL))).payload()
    assert {"decision_maker", "client_involved", "client_informed"}.isdisjoint(given)
    assert given["own_values"] and given["medical_facts"]  # the situation is given


@pytest.mark.parametrize(
    ("line", "field", "expected"),
    [
        (
            'decision_maker = "the daughter"',
            "decision_maker",
            "expected one of client, shared, surrogate, treating-physician, court-or-agency, case-manager, team, duty",
        ),
        ('client_involved = "sort of"', "client_involved", "expected one of yes, partly, no, unknown"),
    ],
)
def test_a_bad_choice_is_one_sentence_naming_file_line_and_field(
    tmp_path: Path, line: str, field: str, expected: str
) -> None:
    path = write(tmp_path, line + "\n")
    with pytest.raises(BadInput) as exc:
        read_dilemma(path)
    assert exc.value.exit_code == 2
    assert exc.value.message == f"{path}, line 6: {field}: {expected} (or leave it out)."


def test_a_choice_that_is_not_text_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "client_involved = true\n")
    with pytest.raises(BadInput, match=r"line 6: client_involved: "):
        read_dilemma(path)
