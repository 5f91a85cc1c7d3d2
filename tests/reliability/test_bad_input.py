"""Bad input from a hand attack, each in a real process: exit 2
with one sentence that names the input, never exit 1 "unexpected error", never a hang, and never a
secret in the message.

- `import` of a symlink to /dev/zero, of /dev/zero itself and of a FIFO (read until memory ran out;
  blocked forever);
- an integer of more than 4,300 digits, a file that starts with a UTF-8 byte-order mark, an unknown
  key of 900 KB;
- a --db URL whose port is not a number, and a path over 255 characters in --db and --out;
- a password given as ?password= in --db;
- an agency report template that reaches for `os`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import DILEMMAS
from tests.reliability.cli_process import ethicsdesk, one_sentence

pytestmark = pytest.mark.slow

GIFT = DILEMMAS / "gift-from-family.toml"
SECRET = "Sw0rdf1sh-not-for-logs"


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'attack.db'}"


def records(db: str) -> list[dict[str, str]]:
    if db.startswith("sqlite:///") and not Path(db.removeprefix("sqlite:///")).exists():
        return []  # a refused import made no database at all (and a read never makes one)
    listed = ethicsdesk("list", "--json", db=db)
    assert listed.returncode == 0, listed.stderr
    return list(json.loads(listed.stdout))


# --- special files ---------------------------------------------------------------------------------
def special_file(kind: str, folder: Path) -> Path:
    path = folder / f"{kind}.toml"
    if kind == "symlink-to-dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "dev-zero":
        return Path("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "symlink-to-fifo":
        os.mkfifo(folder / "pipe")
        path.symlink_to(folder / "pipe")
    elif kind == "symlink-loop":
        path.symlink_to(path)
    return path


@pytest.mark.parametrize("kind", ["symlink-to-dev-zero", "dev-zero", "fifo", "symlink-to-fifo", "symlink-loop"])
def test_import_refuses_a_special_file_at_once(kind: str, tmp_path: Path, db: str) -> None:
    path = special_file(kind, tmp_path)
    # The bound is the timeout (a hang or a read until memory runs out fails here); how long the
    # refusal takes is measured in bench/, not asserted.
    done = ethicsdesk("import", GIFT, path, db=db, timeout=20)
    assert done.returncode == 2, done.stderr
    sentence = one_sentence(done.stderr)
    assert sentence.startswith(f"{path}: ") and ("regular file" in sentence or "loop" in sentence), sentence
    assert records(db) == []  # the good file before it was not imported either


# --- numbers, byte-order marks, long keys and names ------------------------------------------------
def variant(tmp_path: Path, name: str, text: str, *, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_an_integer_of_more_than_4300_digits_is_bad_input_with_its_line(tmp_path: Path, db: str) -> None:
    source = GIFT.read_text(encoding="utf-8")
    path = variant(tmp_path, "huge.toml", source.replace("autonomy = ", "autonomy = " + "9" * 5000 + " # ", 1))
    line = path.read_text().splitlines().index(next(x for x in path.read_text().splitlines() if "9" * 5000 in x)) + 1
    done = ethicsdesk("import", path, db=db)
    assert done.returncode == 2
    assert one_sentence(done.stderr).startswith(f"{path}, line {line}: a number has more than 4,300 digits")
    assert records(db) == []


def test_a_file_that_starts_with_a_byte_order_mark_imports(tmp_path: Path, db: str) -> None:
    path = variant(tmp_path, "bom.toml", GIFT.read_text(encoding="utf-8"), encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    done = ethicsdesk("import", "--json", path, db=db)
    assert done.returncode == 0, done.stderr
    assert [r["id"] for r in records(db)] == [json.loads(done.stdout)["id"]]


def test_an_unknown_key_of_900_kb_is_cut_in_the_message(tmp_path: Path, db: str) -> None:
    key = "k" * 900_000
    path = variant(tmp_path, "key.toml", f"{key} = 1\n" + GIFT.read_text(encoding="utf-8"))
    done = ethicsdesk("import", path, db=db)
    assert done.returncode == 2
    sentence = one_sentence(done.stderr)
    assert len(sentence) < 400 and "900,000 characters" in sentence and "not part of the format" in sentence


def test_a_port_that_is_not_a_number_is_bad_input(tmp_path: Path) -> None:
    done = ethicsdesk("list", db=f"postgresql+psycopg://ann:{SECRET}@127.0.0.1:fivefour/records")
    assert done.returncode == 2
    sentence = one_sentence(done.stderr)
    assert "port that is not a number" in sentence and "127.0.0.1:fivefour" in sentence
    assert SECRET not in done.stderr


@pytest.mark.parametrize("where", ["--db", "--out", "import"])
def test_a_path_over_255_characters_is_bad_input_naming_it(where: str, tmp_path: Path, db: str) -> None:
    long_name = tmp_path / ("n" * 300)
    if where == "--db":
        done = ethicsdesk("list", db=f"sqlite:///{long_name}.db")
    elif where == "import":
        done = ethicsdesk("import", f"{long_name}.toml", db=db)
    else:
        rid = json.loads(ethicsdesk("import", "--json", GIFT, db=db).stdout)["id"]
        done = ethicsdesk("export", rid, "--format", "md", "--out", f"{long_name}.md", db=db)
    assert done.returncode == 2
    sentence = one_sentence(done.stderr)
    assert "too long" in sentence and str(tmp_path)[:20] in sentence and len(sentence) < 300, sentence


# --- a password in the query ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        f"postgresql+psycopg://ann@127.0.0.1:5432/ethicsdesk_absent?password={SECRET}",
        f"postgresql+psycopg://ann@127.0.0.1:5432/ethicsdesk_absent?sslmode=disable&password={SECRET}",
        f"postgresql+psycopg://ann:{SECRET}@127.0.0.1:5432/ethicsdesk_absent",
        f"postgresql+psycopg://ann@127.0.0.1:bad/ethicsdesk_absent?password={SECRET}",
        f"nosuchdb://ann@127.0.0.1/x?password={SECRET}",
    ],
)
def test_a_password_in_the_url_never_reaches_the_message(url: str) -> None:
    done = ethicsdesk("list", db=url)
    assert done.returncode == 2
    one_sentence(done.stderr)
    assert SECRET not in done.stderr + done.stdout, done.stderr
    assert "***" in done.stderr or "ann@" not in done.stderr  # the URL shown is the hidden form


# --- an agency's report template ------------------------------------------------------------------
def test_an_agency_template_cannot_run_a_shell_command(tmp_path: Path, db: str) -> None:
    rid = json.loads(ethicsdesk("import", "--json", GIFT, db=db).stdout)["id"]
    agency = tmp_path / "agency"
    agency.mkdir()
    marker = tmp_path / "PWNED"
    (agency / "report.md.j2").write_text(
        f"# {{{{ record.title }}}}\n{{{{ cycler.__init__.__globals__.os.system('touch {marker}') }}}}\n",
        encoding="utf-8",
    )
    out = tmp_path / "report.md"
    done = ethicsdesk("export", rid, "--format", "md", "--templates", agency, "--out", out, db=db)
    assert done.returncode == 2
    sentence = one_sentence(done.stderr)
    assert str(agency / "report.md.j2") in sentence and "line 2" in sentence and "unsafe" in sentence
    assert sentence.endswith("unsafe.")  # one full stop (it once ended with "..")
    assert not marker.exists() and not out.exists()


# --- a checkpoint that is not a file ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "said"),
    [("dev-zero", "a device"), ("symlink-to-dev-zero", "a device"), ("fifo", "a FIFO"), ("folder", "a folder")],
)
def test_verify_names_a_checkpoint_that_is_not_a_regular_file(kind: str, said: str, tmp_path: Path, db: str) -> None:
    """/dev/zero, a FIFO and a folder were "there is no such file"; each is named for what it is, at
    once (the timeout fails a read of /dev/zero or a wait on the FIFO)."""
    ethicsdesk("import", GIFT, db=db)
    if kind == "folder":
        path = tmp_path / "checkpoints"
        path.mkdir()
    else:
        path = special_file(kind, tmp_path)
    done = ethicsdesk("verify", "--checkpoint", path, db=db, timeout=20)
    assert done.returncode == 2, done.stderr
    assert one_sentence(done.stderr) == f"{path} is {said}, not a regular file."
    missing = ethicsdesk("verify", "--checkpoint", tmp_path / "missing.json", db=db, timeout=20)
    assert missing.returncode == 2 and "there is no such file" in one_sentence(missing.stderr)


# --- one true sentence -------------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["NOPE-ABC", "AbCdEfGhIj", "Ab\x1b[2Jcd"])
def test_show_reports_the_id_as_typed(typed: str, db: str) -> None:
    """`show` lowercased the id it reported as not found; it is quoted as typed, its controls shown
    as escapes."""
    ethicsdesk("import", GIFT, db=db)
    done = ethicsdesk("show", typed, db=db)
    assert done.returncode == 1
    shown = typed.replace("\x1b", "\\u001b")
    assert one_sentence(done.stderr) == f"There is no record '{shown}' (see 'ethicsdesk list')."


@pytest.mark.parametrize(
    ("url", "driver"), [("postgresql+foo://ann@localhost/x", "foo"), ("sqlite+bar:////nonexistent/x.db", "bar")]
)
def test_an_unknown_database_driver_is_named(url: str, driver: str) -> None:
    """`postgresql+foo://` was "unexpected error (NoSuchModuleError…)" with exit 1."""
    done = ethicsdesk("list", db=url)
    assert done.returncode == 2, done.stderr
    sentence = one_sentence(done.stderr)
    assert sentence.startswith(f"'{driver}' is not a database driver ethicsdesk knows"), sentence


def test_importing_several_bad_files_names_every_problem_of_every_file(tmp_path: Path, db: str) -> None:
    """Only the first bad file was named; every problem of every file is listed, as `samples
    validate` lists them, then one sentence; nothing is imported."""
    source = GIFT.read_text(encoding="utf-8")
    first = variant(tmp_path, "first.toml", source.replace("autonomy = ", "autonomy = 9 # ", 2))
    second = variant(tmp_path, "second.toml", 'title = "only a title"\n')
    third = tmp_path / "missing.toml"
    done = ethicsdesk("import", GIFT, first, second, third, db=db)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    validated = ethicsdesk("samples", "validate", first, second, third, db=db).stderr.strip().splitlines()
    problems = [line for line in validated if not line.endswith("are not valid dilemma files.")]
    assert lines[:-1] == problems and len(problems) >= 4
    assert {str(first), str(second), str(third)} <= {p.split(":")[0].split(",")[0] for p in problems}
    assert lines[-1] == f"ethicsdesk: {len(problems)} problems in 3 of 4 dilemma file(s); nothing was imported."
    assert "Traceback" not in done.stderr
    assert records(db) == []
