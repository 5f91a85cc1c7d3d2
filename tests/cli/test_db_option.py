"""`ethicsdesk --db URL COMMAND` uses the URL.

The root option was read only when no command was given, so an agency's import landed in the
laptop's default file without a word. Now the root's --db and the command's both choose the database;
both at once must agree (exit 2 otherwise); the environment's ETHICSDESK_DB yields to either. A
folder that does not exist is refused rather than made, and a new file is named on stderr.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import Run
from tests.cli.test_exit_durability import ETHICSDESK, GIFT, counts_in, ethicsdesk


def default_db(home: Path) -> Path:
    return home / "ethicsdesk.db"


def test_the_root_db_option_is_used_by_the_command(tmp_path: Path) -> None:
    """In a real process, as the issue reproduced it."""
    home, agency = tmp_path / "home", tmp_path / "agency.db"
    done = ethicsdesk("--db", f"sqlite:///{agency}", "import", "--json", GIFT, home=home)
    assert done.returncode == 0, done.stderr
    rid = json.loads(done.stdout)["id"]
    assert counts_in(agency) == (1, 1)
    assert not default_db(home).exists()  # nothing landed in the laptop's default file
    shown = ethicsdesk("--db", f"sqlite:///{agency}", "show", rid, home=home)
    assert shown.returncode == 0, shown.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["--db", "{url}", "list", "--json"],
        ["list", "--json", "--db", "{url}"],
        ["--db", "{url}", "list", "--json", "--db", "{url}"],  # both, the same: fine
        ["--db={url}", "samples", "list", "--json"],  # a command without a database ignores it
        ["--db", "{url}", "users", "list", "--json"],
        ["--db", "{url}", "db", "init"],
    ],
    ids=["root", "command", "both-agree", "no-database", "nested-group", "db-group"],
)
def test_either_place_chooses_the_database(run: Run, isolated_home: Path, tmp_path: Path, args: list[str]) -> None:
    agency = tmp_path / "agency.db"
    agency.touch()
    url = f"sqlite:///{agency}"
    code, _out, err = run(*(a.replace("{url}", url) for a in args))
    assert code == 0, err
    assert not default_db(isolated_home).exists()


def test_two_different_urls_are_refused_in_one_sentence(run: Run, isolated_home: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    code, out, err = run("--db", f"sqlite:///{one}", "import", GIFT, "--db", f"sqlite:///{two}")
    assert code == 2
    assert out == ""
    assert err == (
        f"ethicsdesk: --db is given twice with different databases (sqlite:///{one} and sqlite:///{two}); "
        "give it once.\n"
    )
    assert not one.exists() and not two.exists() and not default_db(isolated_home).exists()


def test_a_password_is_hidden_when_two_urls_disagree(run: Run, tmp_path: Path) -> None:
    code, _out, err = run(
        "--db", "postgresql+psycopg://robin:s3cret@127.0.0.1/a", "list", "--db", f"sqlite:///{tmp_path / 'b.db'}"
    )
    assert code == 2
    assert "s3cret" not in err and "***" in err


def test_the_command_line_beats_the_environment(
    run: Run, isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from_env, given = tmp_path / "env.db", tmp_path / "given.db"
    monkeypatch.setenv("ETHICSDESK_DB", f"sqlite:///{from_env}")
    code, _out, err = run("--db", f"sqlite:///{given}", "import", GIFT)
    assert code == 0, err
    assert counts_in(given) == (1, 1)
    assert not from_env.exists()


def test_a_missing_folder_is_refused_and_not_made(run: Run, isolated_home: Path, tmp_path: Path) -> None:
    typo = tmp_path / "agnecy" / "ethicsdesk.db"
    code, out, err = run("--db", f"sqlite:///{typo}", "import", GIFT)
    assert code == 2
    assert out == ""
    assert err == (
        f"ethicsdesk: The folder {typo.parent} does not exist; no database was created "
        "(check the path, or make the folder).\n"
    )
    assert not typo.parent.exists() and not default_db(isolated_home).exists()


def test_a_new_database_file_is_named_at_a_terminal_once(tmp_path: Path) -> None:
    """Said to a person (stderr on a terminal), once; a script's stderr stays clean."""
    from tests.reliability.test_terminal_escapes import on_a_terminal

    new = tmp_path / "new.db"
    env = {"ETHICSDESK_HOME": str(tmp_path / "home"), "PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    code, seen = on_a_terminal(["--db", f"sqlite:///{new}", "import", str(GIFT)], env)
    assert code == 0 and seen.count(f"created a new database file {new}".encode()) == 1
    code, seen = on_a_terminal(["--db", f"sqlite:///{new}", "import", str(GIFT)], env)
    assert code == 0 and b"created a new database file" not in seen
    other = tmp_path / "other.db"
    piped = subprocess.run(
        [str(ETHICSDESK), "--db", f"sqlite:///{other}", "import", "--json", str(GIFT)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert (piped.returncode, piped.stderr) == (0, "") and json.loads(piped.stdout)["id"]
    assert other.exists()


def test_db_copy_refuses_a_root_db_it_would_not_use(run: Run, tmp_path: Path) -> None:
    code, _out, err = run(
        "--db", f"sqlite:///{tmp_path / 'x.db'}", "db", "copy", "--from", "sqlite:///a.db", "--to", "sqlite:///b.db"
    )
    assert code == 2
    assert err == "ethicsdesk: 'db copy' takes --from URL and --to URL, not --db; give those two.\n"


# --- empty, repeated and secret-bearing --db ------------------------------------------------------------------
EMPTY = (
    "ethicsdesk: --db is given an empty value; give a database URL (sqlite:///path or "
    "postgresql+psycopg://…), or leave --db out to use ETHICSDESK_DB or the default file.\n"
)


def console(*args: str | Path, home: Path, db: str | None = None) -> subprocess.CompletedProcess[str]:
    """The console script (cli/launch.py: the TUI start, the light show/list/export start, then
    Typer), with ETHICSDESK_DB set or not."""
    env = {**os.environ, "ETHICSDESK_HOME": str(home), "ETHICSDESK_DEBUG": ""}
    env.pop("ETHICSDESK_DB", None)
    if db is not None:
        env["ETHICSDESK_DB"] = db
    return subprocess.run(
        [ETHICSDESK, *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def env_db(tmp_path: Path) -> Path:
    """A database in ETHICSDESK_DB holding one record, which an empty --db must not fall back to."""
    path = tmp_path / "from-env.db"
    done = ethicsdesk("--db", f"sqlite:///{path}", "import", GIFT, home=tmp_path / "home")
    assert done.returncode == 0, done.stderr
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["--db", ""],  # the TUI's own start
        ["--db="],
        ["list", "--db", ""],  # the light start hands these to Typer
        ["list", "--json", "--db="],
        ["show", "R-1", "--db="],
        ["export", "R-1", "--format", "md", "--db", ""],
        ["--db", "", "list"],
        ["import", str(GIFT), "--db="],
        ["users", "list", "--db", "  "],
    ],
    ids=["tui", "tui-equals", "list", "list-equals", "show", "export", "root", "import", "blank"],
)
def test_an_empty_db_is_refused_not_read_as_not_given(tmp_path: Path, env_db: Path, args: list[str]) -> None:
    home = tmp_path / "home"
    before = env_db.read_bytes()
    for _ in range(2):
        done = console(*args, home=home, db=f"sqlite:///{env_db}")
        assert (done.returncode, done.stdout, done.stderr) == (2, "", EMPTY)
    assert env_db.read_bytes() == before
    assert not default_db(home).exists()


def test_an_empty_db_is_refused_by_the_typer_app_too(run: Run, isolated_home: Path) -> None:
    assert run("list", "--db=") == (2, "", EMPTY)
    assert run("--db", "", "import", GIFT) == (2, "", EMPTY)
    assert not default_db(isolated_home).exists()


@pytest.mark.parametrize(
    ("args", "where"),
    [
        (["list", "--db", "{a}", "--db", "{b}"], " to 'list'"),
        (["list", "--db={a}", "--json", "--db={b}"], " to 'list'"),
        (["list", "--db", "{a}", "--db", "{a}"], " to 'list'"),  # the same twice at one level: still once
        (["show", "R-1", "--db", "{a}", "--db", "{b}"], " to 'show'"),
        (["export", "R-1", "--db", "{a}", "--format", "md", "--db", "{b}"], " to 'export'"),
        (["--db", "{a}", "--db", "{b}", "list"], ""),
        (["--db", "{a}", "--db", "{b}"], ""),  # the TUI
        (["users", "list", "--db", "{a}", "--db", "{b}"], " to 'users list'"),
    ],
    ids=["list", "list-equals", "list-same", "show", "export", "root", "tui", "nested"],
)
def test_a_repeated_db_is_refused_in_the_light_start_and_in_typer(tmp_path: Path, args: list[str], where: str) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    line = [word.format(a=f"sqlite:///{a}", b=f"sqlite:///{b}") for word in args]
    done = console(*line, home=tmp_path / "home")
    assert (done.returncode, done.stdout) == (2, ""), done.stderr
    assert done.stderr == f"ethicsdesk: --db is given more than once{where}; give it once.\n"
    assert not a.exists() and not b.exists() and not default_db(tmp_path / "home").exists()
    # given once, the commands run (the light start for list; a read makes no database, so one is made first)
    made = console("import", GIFT, "--db", f"sqlite:///{b}", home=tmp_path / "home")
    assert made.returncode == 0, made.stderr
    again = console("list", "--json", "--db", f"sqlite:///{b}", home=tmp_path / "home")
    assert (again.returncode, len(json.loads(again.stdout))) == (0, 1), again.stderr
    assert b.exists() and not a.exists()


def test_a_repeated_db_is_refused_by_the_typer_app(run: Run, isolated_home: Path, tmp_path: Path) -> None:
    a, b = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    code, out, err = run("import", GIFT, "--db", a, "--db", b)
    assert (code, out, err) == (2, "", "ethicsdesk: --db is given more than once to 'import'; give it once.\n")
    assert not (tmp_path / "a.db").exists() and not (tmp_path / "b.db").exists()


def test_an_option_value_that_looks_like_db_is_read_as_click_reads_it(tmp_path: Path) -> None:
    """`--search --db` searches for the text "--db": the --db after it is the only one."""
    a = tmp_path / "a.db"
    made = console("import", GIFT, "--db", f"sqlite:///{a}", home=tmp_path / "home")
    assert made.returncode == 0, made.stderr
    done = console("list", "--json", "--search", "--db", "--db", f"sqlite:///{a}", home=tmp_path / "home")
    assert (done.returncode, json.loads(done.stdout)) == (0, []), done.stderr  # no record holds "--db"


# Every piece of these passwords holds "Qz", which no message has of its own. Port 1 on loopback
# refuses at once.
SPECIAL_PASSWORDS = ["Qz1/Qz2", "Qz1?Qz2", "Qz1#Qz2", "Qz1@Qz2", "Qz1/Qz2?Qz3#Qz4@Qz5"]


@pytest.mark.parametrize("password", SPECIAL_PASSWORDS)
@pytest.mark.parametrize("given", ["environment", "option"])
def test_a_password_with_url_characters_is_never_printed(tmp_path: Path, password: str, given: str) -> None:
    pytest.importorskip("psycopg")
    url = f"postgresql+psycopg://ann:{password}@127.0.0.1:1/ethicsdesk"
    if given == "environment":
        done = console("list", home=tmp_path / "home", db=url)
    else:
        done = console("list", "--db", url, home=tmp_path / "home")
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(
        "ethicsdesk: The database postgresql+psycopg://***@127.0.0.1:1/ethicsdesk cannot be opened: "
    ), done.stderr
    assert "Qz" not in done.stderr + done.stdout
    assert done.stderr.count("\n") == 1


def test_two_urls_that_differ_only_in_the_password_are_not_shown_as_one(run: Run, isolated_home: Path) -> None:
    one, two = (f"postgresql+psycopg://ann:{pw}@127.0.0.1:1/ethicsdesk" for pw in ("Qz1/a", "Qz2@b"))
    code, out, err = run("--db", one, "list", "--db", two)
    assert (code, out) == (2, "")
    assert err == (
        "ethicsdesk: --db is given twice with two different values, which differ only in credentials or a "
        "secret that is not shown (postgresql+psycopg://***@127.0.0.1:1/ethicsdesk); give it once.\n"
    )
    # another user name on the same server reads alike: it is not shown either
    code, _out, err = run("--db", one, "list", "--db", one.replace("ann:", "bob:"))
    assert code == 2 and "differ only in credentials" in err and "Qz" not in err and "bob" not in err


# --- a path where a URL is asked for; reads on a path that is not there --------------------------------
@pytest.mark.parametrize("how", ["environment", "option", "relative"])
def test_a_plain_path_is_taken_as_a_sqlite_file(
    run: Run, isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    """`ETHICSDESK_DB=/path/desk.db` (or `--db desk.db`) was refused as 'not a database URL'."""
    desk = tmp_path / "desk.db"
    given = str(desk)
    if how == "relative":
        monkeypatch.chdir(tmp_path)
        given = "desk.db"
    if how == "environment":
        monkeypatch.setenv("ETHICSDESK_DB", given)
        db_args: list[str] = []
    else:
        db_args = ["--db", given]
    code, out, err = run("import", "--json", GIFT, *db_args)
    assert code == 0, err
    rid = json.loads(out)["id"]
    assert counts_in(desk) == (1, 1) and not default_db(isolated_home).exists()
    code, out, err = run("show", rid, *db_args)  # the everyday command's direct start reads the path too
    assert code == 0, err
    code, out, err = run(*db_args, "list", "--json", "--db", f"sqlite:///{desk}")  # a path and its URL agree
    assert code == 0 and [r["id"] for r in json.loads(out)] == [rid], err


def test_a_plain_path_opens_in_a_real_process(tmp_path: Path) -> None:
    desk = tmp_path / "desk.db"
    env = {**os.environ, "ETHICSDESK_HOME": str(tmp_path / "home"), "ETHICSDESK_DB": str(desk)}
    done = subprocess.run([ETHICSDESK, "import", GIFT], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    listed = subprocess.run([ETHICSDESK, "list", "--json"], capture_output=True, text=True, env=env, timeout=120)
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == 1, listed.stderr


READS = [
    ["show", "abcd"],
    ["list"],
    ["list", "--json"],
    ["export", "abcd", "--format", "md"],
    ["verify"],
    ["verify", "abcd"],
    ["replay", "abcd", "--text"],
    ["open", "abcd"],
    ["review", "abcd"],
    ["debrief", "abcd"],
    ["cohort", "gift-from-family"],
    ["checkpoint"],
    ["keys", "list"],
    ["users", "list"],
    ["users", "history"],
    ["db", "backup", "{out}"],
]


@pytest.mark.parametrize("args", READS, ids=[" ".join(a) for a in READS])
@pytest.mark.parametrize("spelt", ["url", "path"])
def test_a_read_on_a_missing_file_says_so_and_creates_nothing(
    run: Run, isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], spelt: str
) -> None:
    monkeypatch.chdir(tmp_path)
    typo = tmp_path / "agnecy.db"
    out_file = tmp_path / "copy.db"
    code, out, err = run(
        *(a.replace("{out}", str(out_file)) for a in args), "--db", f"sqlite:///{typo}" if spelt == "url" else str(typo)
    )
    assert (code, out) == (2, "")
    assert err == f"ethicsdesk: The database file {typo} does not exist; nothing was created (check the path).\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no database, no -wal, no copy, no report
    assert not default_db(isolated_home).exists()


def test_a_read_of_the_default_database_makes_it_on_first_use(run: Run, isolated_home: Path) -> None:
    code, out, err = run("list", "--json")
    assert (code, json.loads(out)) == (0, []), err
    assert default_db(isolated_home).exists()
    code, _out, err = run("verify")
    assert code == 0, err


def test_a_read_of_an_existing_file_still_works(run: Run, tmp_path: Path) -> None:
    desk = tmp_path / "desk.db"
    code, _out, err = run("--db", str(desk), "import", GIFT)  # a write makes the file, as before
    assert code == 0, err
    for args in (["list"], ["verify"], ["checkpoint"], ["users", "list"]):
        code, _out, err = run(*args, "--db", str(desk))
        assert code == 0, (args, err)
