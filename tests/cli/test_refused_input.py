"""Bad input on the command line: one sentence on stderr, the contract's exit code (1 a record was not
found, 2 bad usage or bad input), and the database exactly as it was. Bad dilemma files, unknown ids and
values, an ambiguous prefix, usage errors, and databases that are corrupt, newer, read-only or cannot be
created."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from ethicsdesk.store.schema import HEAD
from tests.cli.conftest import DISCHARGE, GIFT, Run, one_sentence
from tests.conftest import sqlite_dump


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
