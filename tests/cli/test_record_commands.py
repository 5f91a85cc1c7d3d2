"""The commands on records through Typer's runner and the console entry point in-process: --help lists
the commands; import prints each id (JSON for scripts); list filters, lines its columns up and says when
nothing matches; show takes a prefix; verify passes, or exits 1 naming each broken record; replay
prints the timeline."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.cli.conftest import DISCHARGE, GIFT, Run, invoke


def test_help_lists_the_commands() -> None:
    result = invoke("--help")
    assert result.exit_code == 0
    for command in ("new", "open", "import", "list", "show", "verify", "replay", "export", "samples", "db"):
        assert f" {command} " in result.stdout or f" {command}\n" in result.stdout


def test_import_json_prints_an_object_for_one_file(db_path: Path) -> None:
    result = invoke("import", "--json", GIFT)
    assert result.exit_code == 0
    printed = json.loads(result.stdout)
    assert list(printed) == ["id"]
    assert invoke("show", printed["id"]).exit_code == 0


def test_import_json_prints_a_list_for_several(two: list[str]) -> None:
    assert len(set(two)) == 2
    listed = json.loads(invoke("list", "--json").stdout)
    assert {r["id"] for r in listed} == set(two)


def test_import_prints_each_id_with_its_title(db_path: Path) -> None:
    result = invoke("import", GIFT, DISCHARGE)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert "A grateful family offers a hand-knitted scarf" in lines[0]
    assert lines[0].endswith(f"(from {GIFT})")
    assert lines[1].endswith(f"(from {DISCHARGE})")


def test_list_json_has_the_stable_keys(two: list[str]) -> None:
    rows = json.loads(invoke("list", "--json").stdout)
    assert set(rows[0]) == {
        "id", "title", "case_code", "status", "step", "kind", "sample_id", "created_at", "created_by",
        "updated_at", "events", "head_hash",
    }  # fmt: skip
    assert {r["status"] for r in rows} == {"decided"}
    assert {r["events"] for r in rows} == {1}


def test_list_filters_by_status_and_search(two: list[str]) -> None:
    gift, discharge = two
    assert [r["id"] for r in json.loads(invoke("list", "--json", "--search", "scarf").stdout)] == [gift]
    assert [r["id"] for r in json.loads(invoke("list", "--json", "--search", "farmhouse").stdout)] == [discharge]
    assert json.loads(invoke("list", "--json", "--status", "closed").stdout) == []
    assert len(json.loads(invoke("list", "--json", "--status", "decided").stdout)) == 2
    result = invoke("list", "--status", "closed")
    assert (result.exit_code, result.stdout) == (0, "No records match.\n")


def test_list_as_a_table(two: list[str]) -> None:
    lines = invoke("list").stdout.splitlines()
    assert lines[0].split() == ["ID", "CHANGED", "STATUS", "STEP", "CASE", "TITLE"]
    assert {line.split()[0] for line in lines[1:]} == set(two)
    assert any("C-4410" in line for line in lines)


def test_list_lines_up_wide_titles_and_case_codes(db_path: Path) -> None:
    """Every column starts at the same terminal cell on every line, CJK or not (rich.cells.cell_len:
    a wide character is two cells); into a pipe: no colour, and one line per record however long."""
    from rich.cells import cell_len

    from ethicsdesk.service import open_service

    titles = {"東京都の在宅介護：家族の同意がない退院計画 " * 4: "東京-01", "A plain title": "C-1", "서울 사례": "ｶﾅ-2"}
    service = open_service(f"sqlite:///{db_path}")
    for title, code in titles.items():
        service.editing.create_record(title, case_code=code)
    service.close()
    result = invoke("list")
    assert result.exit_code == 0 and "\x1b" not in result.stdout
    header, *lines = result.stdout.splitlines()
    listed = json.loads(invoke("list", "--json").stdout)
    assert len(lines) == len(listed) == len(titles)
    keys = ["id", "updated_at", "status", "step", "case_code", "title"]
    columns = [cell_len(header[: header.index(name)]) for name in ["ID", "CHANGED", "STATUS", "STEP", "CASE", "TITLE"]]
    for line, record in zip(lines, listed, strict=True):
        values = [str(record[k]).strip() for k in keys]
        values[1] = values[1][:16].replace("T", " ")
        at, found = 0, []
        for value in values:
            at = line.index(value, at)
            found.append(cell_len(line[:at]))
        assert found == columns, line


def test_list_of_an_empty_database(db_path: Path) -> None:
    assert invoke("db", "init").exit_code == 0  # a read never makes the database it is given
    result = invoke("list")
    assert (result.exit_code, result.stdout) == (0, "No records yet: 'ethicsdesk new' starts one.\n")


def test_show_accepts_a_prefix(two: list[str]) -> None:
    result = invoke("show", two[0][:5])
    assert result.exit_code == 0
    assert result.stdout.startswith("A grateful family offers a hand-knitted scarf")
    assert f"Record {two[0]}" in result.stdout
    assert "Case code C-4410" in result.stdout


def test_verify_passes_on_intact_records(two: list[str]) -> None:
    result = invoke("verify")
    assert (result.exit_code, result.stdout) == (
        0,
        "Verified 2 record(s): every chain holds and every record matches its events.\n",
    )
    assert invoke("verify", two[1]).stdout.startswith("Verified 1 record(s)")


def test_verify_exits_1_naming_each_broken_record(two: list[str], db_path: Path, run: Run) -> None:
    gift, discharge = two
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute(f"UPDATE records SET title = 'Nothing to see' WHERE id = '{gift}'")
    conn.close()
    code, out, err = run("verify")
    assert code == 1
    assert out == ""
    assert f"{gift}: the current-state tables differ from the event log in: text" in err
    assert err.strip().splitlines()[-1] == f"1 of 2 record(s) failed verification: {gift}."
    assert discharge not in err
    assert run("verify", discharge)[0] == 0
    assert run("verify", gift)[0] == 1
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute(f"UPDATE events SET actor = 'Mallory' WHERE record_id = '{discharge}'")
    conn.close()
    code, _, err = run("verify")
    assert code == 1
    assert f"{discharge}: event 1 (record.imported) was changed after it was written" in err
    assert err.strip().splitlines()[-1] == f"2 of 2 record(s) failed verification: {', '.join(sorted(two))}."


def test_replay_text_prints_the_timeline(two: list[str], run: Run) -> None:
    gift = two[0]
    from ethicsdesk.service import open_service

    service = open_service()
    service.editing.set_text(gift, "outcome", "The scarf was accepted.")
    head = service.head(gift)
    service.close()
    code, out, err = run("replay", gift, "--text")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"{gift}: 2 event(s), head {head[:16]}"
    assert "imported 'A grateful family offers a hand-knitted scarf" in lines[1]
    assert lines[2].split()[0] == "2"
    assert lines[2].endswith("set outcome: 'The scarf was accepted.'")
