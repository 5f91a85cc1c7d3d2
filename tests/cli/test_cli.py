"""The command line, through Typer's runner, through the console entry point in-process (which turns
errors into one sentence and an exit code), and as a real subprocess.

Exit codes are the contract: 0 success, 1 a check failed or a record was not found, 2 bad usage or
bad input. Bad input leaves the database exactly as it was."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ethicsdesk.cli import app as cli
from ethicsdesk.store.schema import HEAD, REVISIONS
from tests.cli.conftest import Run
from tests.conftest import sqlite_dump

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"
GIFT = DILEMMAS / "gift-from-family.toml"
DISCHARGE = DILEMMAS / "discharge-against-advice.toml"
ETHICSDESK = Path(sys.executable).parent / "ethicsdesk"


@pytest.fixture
def db_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("ETHICSDESK_DB", f"sqlite:///{path}")
    return path


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(cli.app, [str(a) for a in args])


def one_sentence(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("ethicsdesk: ")
    assert lines[0].endswith(".")
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture
def two(db_path: Path) -> list[str]:
    result = invoke("import", "--json", GIFT, DISCHARGE)
    assert result.exit_code == 0, result.output
    return [item["id"] for item in json.loads(result.stdout)]


# --- the runner: what each command prints -------------------------------------------------------
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


def test_samples_validate_good_files() -> None:
    result = invoke("samples", "validate", GIFT, DISCHARGE)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"ok  {GIFT}  (gift-from-family, 4 options, reference)",
        f"ok  {DISCHARGE}  (discharge-against-advice, {_options(DISCHARGE)} options, reference)",
    ]


def test_samples_validate_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    text = GIFT.read_text().replace("equity = -2", "equity = 5")
    bad.write_text(text)
    line = text.splitlines().index("equity = 5") + 1
    result = invoke("samples", "validate", GIFT, bad)
    assert result.exit_code == 2
    assert result.stdout.startswith(f"ok  {GIFT}")
    assert result.stderr.splitlines() == [
        f"{bad}, line {line}: reference.scores.accept-both.equity: input should be less than or equal to 2.",
        "1 of 2 file(s) are not valid dilemma files.",
    ]


def test_samples_list_json() -> None:
    listed = {s["id"]: s for s in json.loads(invoke("samples", "list", "--json").stdout)}
    assert listed["gift-from-family"]["options"] == 4
    assert listed["gift-from-family"]["has_reference"] is True
    assert "discharge-against-advice" in listed


def test_db_upgrade_of_a_new_and_of_an_up_to_date_database(db_path: Path) -> None:
    first = invoke("db", "upgrade")
    assert first.exit_code == 0
    assert first.stdout == f"sqlite:///{db_path} is now at schema {HEAD}.\n"
    again = invoke("db", "upgrade")
    assert again.exit_code == 0
    assert again.stdout == f"sqlite:///{db_path} is already at schema {HEAD}.\n"
    assert not list(db_path.parent.glob("*.bak.db"))


def test_db_upgrade_backs_up_an_older_database_first(two: list[str], db_path: Path, run: Run) -> None:
    if len(REVISIONS) < 2:
        pytest.skip("only one schema revision exists, so no database can be older")
    from alembic import command
    from alembic.config import Config

    from ethicsdesk.store.engine import open_database
    from ethicsdesk.store.schema import MIGRATIONS_DIR

    older = REVISIONS[-2]
    db = open_database(f"sqlite:///{db_path}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, older)
    db.dispose()
    code, out, err = run("db", "upgrade")
    assert (code, err) == (0, "")
    backups = list(db_path.parent.glob(f"cli.{older}.*.bak.db"))
    assert len(backups) == 1
    assert out.splitlines() == [
        f"Backed up schema {older} to {backups[0]}.",
        f"sqlite:///{db_path} is now at schema {HEAD}.",
    ]
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    raw = sqlite3.connect(backups[0])
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (older,)  # taken before
    assert {r[0] for r in raw.execute("SELECT id FROM records")} == set(two)
    raw.close()
    assert run("verify") == (0, "Verified 2 record(s): every chain holds and every record matches its events.\n", "")


def test_db_backup_is_a_private_consistent_copy_and_never_overwrites(two: list[str], tmp_path: Path, run: Run) -> None:
    target = tmp_path / "copy.db"
    code, out, _ = run("db", "backup", target)
    assert code == 0
    assert out == f"Backed up to {target} (readable only by you).\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    code, out, _ = run("verify", "--db", f"sqlite:///{target}")
    assert (code, out) == (0, "Verified 2 record(s): every chain holds and every record matches its events.\n")
    before = target.read_bytes()
    code, out, err = run("db", "backup", target)
    assert code == 2
    assert one_sentence(err) == f"ethicsdesk: {target} already exists; choose a new file for the backup."
    assert target.read_bytes() == before


# --- bad input: one sentence, the right exit code, and the database as it was ----------------------
def _bad_files(tmp_path: Path) -> dict[str, Path]:
    gift = GIFT.read_text()
    files = {
        "malformed": ('format = "ethicsdesk.dilemma/1"\ntitle = "unclosed\n', "is not valid TOML"),
        "missing-field": ("\n".join(x for x in gift.splitlines() if not x.startswith("summary =")), "summary: this"),
        "score-range": (gift.replace("equity = -2", "equity = -9"), "reference.scores.accept-both.equity"),
        "unknown-principle": (gift.replace("[reference.weights]\n", "[reference.weights]\ncare = 1\n"), "weights.care"),
        "unknown-option": (
            gift.replace("[reference.scores.accept-both]", "[reference.scores.keep-all]"),
            "reference.scores.keep-all: expected one of the option keys",
        ),
    }
    paths = {}
    for name, (content, _) in files.items():
        paths[name] = tmp_path / f"{name}.toml"
        paths[name].write_text(content)
    single = tmp_path / "single-option.toml"
    single.write_text(gift.split("[[options]]")[0] + '[[options]]\nkey = "only"\nlabel = "Only"\n')
    paths["single-option"] = single
    binary = tmp_path / "binary.toml"
    binary.write_bytes(bytes(range(256)) * 8)
    paths["binary"] = binary
    paths["missing-file"] = tmp_path / "missing.toml"
    return paths


EXPECTED_WORDS = {
    "malformed": "is not valid TOML",
    "missing-field": "summary: this required field is missing",
    "score-range": "reference.scores.accept-both.equity: input should be greater than or equal to -2",
    "unknown-principle": "reference.weights.care: expected one of the seven principle ids",
    "unknown-option": "reference.scores.keep-all: expected one of the option keys",
    "single-option": "options: a dilemma needs at least two options",
    "binary": "is not a text file",
    "missing-file": "no such file",
}


@pytest.mark.parametrize("case", sorted(EXPECTED_WORDS))
def test_a_bad_dilemma_file_is_refused_and_nothing_is_written(
    case: str,
    two: list[str],
    db_path: Path,
    tmp_path: Path,
    run: Run,
) -> None:
    bad = _bad_files(tmp_path)[case]
    before = sqlite_dump(db_path)
    code, out, err = run("import", GIFT, bad, DISCHARGE)
    assert code == 2
    assert out == ""
    sentence = one_sentence(err)
    assert sentence.startswith(f"ethicsdesk: {bad}")
    assert EXPECTED_WORDS[case] in sentence
    assert sqlite_dump(db_path) == before
    code, _, err = run("samples", "validate", bad)
    assert code == 2
    assert EXPECTED_WORDS[case] in err


def test_a_bad_batch_does_not_even_create_the_database(db_path: Path, tmp_path: Path, run: Run) -> None:
    code, _, _ = run("import", GIFT, _bad_files(tmp_path)["binary"])
    assert code == 2
    assert not db_path.exists()


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["show", "nope"], 1, "There is no record 'nope' (see 'ethicsdesk list')."),
        (["show", "zzzzzzzzzz"], 1, "There is no record 'zzzzzzzzzz'"),
        (["verify", "nope"], 1, "There is no record 'nope'"),
        (["replay", "nope", "--text"], 1, "There is no record 'nope'"),
        (["open", "nope"], 1, "There is no record 'nope'"),
        (["list", "--status", "bogus"], 2, "'bogus' is not a status; use one of: draft, decided"),
        (["samples", "show", "nope"], 1, "There is no sample dilemma 'nope'"),
    ],
)
def test_unknown_ids_and_bad_values(
    args: list[str],
    code: int,
    words: str,
    two: list[str],
    db_path: Path,
    run: Run,
) -> None:
    before = sqlite_dump(db_path)
    got, out, err = run(*args)
    assert got == code
    assert out == ""
    assert words in one_sentence(err)
    assert sqlite_dump(db_path) == before


def test_an_ambiguous_prefix_is_bad_input(db_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    from ethicsdesk.service import records

    made = iter(["abcd234567", "abcd987654"])
    monkeypatch.setattr(records, "new_record_id", lambda: next(made))  # where the real clock draws ids
    assert run("import", GIFT, DISCHARGE)[0] == 0
    code, _, err = run("show", "abcd")
    assert code == 2
    assert one_sentence(err) == "ethicsdesk: 'abcd' matches more than one record; type more of the id."
    assert run("show", "abcd9")[0] == 0


def test_usage_errors_exit_2(db_path: Path, run: Run) -> None:
    assert run("list", "--limit", "0")[0] == 2
    assert run("frobnicate")[0] == 2
    assert run("import")[0] == 2


def test_a_corrupt_database_is_refused_untouched(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "corrupt.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [("x" * 500,)] * 50)
    conn.commit()
    conn.close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\xff" * 4000 + data[4100:])
    before = path.read_bytes()
    for args in (["list"], ["import", GIFT], ["db", "upgrade"]):
        code, _, err = run(*args, "--db", f"sqlite:///{path}")
        assert code == 2
        assert "cannot be opened: database disk image is malformed" in one_sentence(err)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all\n" * 100)
    code, _, err = run("list", "--db", f"sqlite:///{garbage}")
    assert code == 2
    assert one_sentence(err) == f"ethicsdesk: {garbage} is not an ethicsdesk database (it is not an SQLite file)."
    assert path.read_bytes() == before
    assert garbage.read_bytes() == b"not a database at all\n" * 100


def test_a_newer_database_is_refused_untouched(two: list[str], db_path: Path, run: Run) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("UPDATE alembic_version SET version_num = '0099'")
    conn.close()
    before = sqlite_dump(db_path)
    for args in (["list"], ["import", GIFT], ["verify"], ["db", "upgrade"], ["db", "backup", db_path.parent / "b.db"]):
        code, _, err = run(*args)
        assert code == 2, args
        assert f"was written by a newer ethicsdesk (schema 0099; this version knows up to {HEAD})" in one_sentence(err)
    assert sqlite_dump(db_path) == before
    assert not (db_path.parent / "b.db").exists()


def test_an_unwritable_database_is_refused_untouched(two: list[str], db_path: Path, run: Run) -> None:
    before = sqlite_dump(db_path)
    read_only = f"sqlite:///file:{db_path}?mode=ro&uri=true"
    code, out, err = run("import", GIFT, "--db", read_only)
    assert code == 2
    assert out == ""
    assert "attempt to write a readonly database" in one_sentence(err)
    assert sqlite_dump(db_path) == before


def test_a_database_that_cannot_be_created(tmp_path: Path, run: Run) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    code, _, err = run("import", GIFT, "--db", f"sqlite:///{blocker}/ed.db")
    assert code == 2
    assert "cannot be" in one_sentence(err)


# --- real processes ----------------------------------------------------------------------------
def _exe(*args: str | Path, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ETHICSDESK_DB": f"sqlite:///{db}"}
    return subprocess.run([ETHICSDESK, *map(str, args)], capture_output=True, text=True, env=env, timeout=60)


def test_the_console_script_end_to_end(tmp_path: Path) -> None:
    db = tmp_path / "real.db"
    imported = _exe("import", "--json", GIFT, db=db)
    assert imported.returncode == 0, imported.stderr
    rid = json.loads(imported.stdout)["id"]
    verified = _exe("verify", rid[:6], db=db)
    assert (verified.returncode, verified.stderr) == (0, "")
    assert verified.stdout == "Verified 1 record(s): every chain holds and every record matches its events.\n"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_the_console_script_reports_errors_in_one_sentence(tmp_path: Path) -> None:
    db = tmp_path / "real.db"
    bad = tmp_path / "single.toml"
    bad.write_text(GIFT.read_text().split("[[options]]")[0] + '[[options]]\nkey = "only"\nlabel = "Only"\n')
    refused = _exe("import", bad, db=db)
    assert refused.returncode == 2
    assert refused.stdout == ""
    assert refused.stderr.startswith(f"ethicsdesk: {bad}, line ")
    assert refused.stderr.endswith("options: a dilemma needs at least two options.\n")
    assert not db.exists()
    no_file = _exe("show", "nope", db=db)  # a read makes no database: it says there is none
    assert (no_file.returncode, no_file.stderr) == (
        2,
        f"ethicsdesk: The database file {db} does not exist; nothing was created (check the path).\n",
    )
    assert not db.exists()
    assert _exe("import", GIFT, db=db).returncode == 0
    missing = _exe("show", "nope", db=db)
    assert (missing.returncode, missing.stderr) == (
        1,
        "ethicsdesk: There is no record 'nope' (see 'ethicsdesk list').\n",
    )


def _options(path: Path) -> int:
    return path.read_text().count("[[options]]")
