"""The everyday commands (show, list, export, due, insight) started without Typer: Typer's command and
the direct start are built from one declaration and read its plain forms alike, every other form goes
to Typer, and, as whole processes, they leave the SQLite file whole and the hash chain intact while
other processes write and export."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main

from ethicsdesk.cli import app as cli
from ethicsdesk.cli.everyday import COMMANDS, direct

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"
ETHICSDESK = Path(sys.executable).parent / "ethicsdesk"


def _typer_command(name: str) -> Any:
    return typer.main.get_command(cli.app).commands[name]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_typer_command_is_the_declared_one(name: str) -> None:
    """The Typer app's command has the spec's arguments and options, in its order, with its help, defaults
    and bounds, and runs its body: what `--help` shows is what the direct start reads."""
    command, spec = _typer_command(name), COMMANDS[name]
    assert command.help == spec.help
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    assert [(p.name, p.metavar) for p in arguments] == [(a.parameter, a.metavar) for a in spec.arguments]
    options = [p for p in command.params if p.param_type_name == "option"]
    assert [(p.opts, p.name, p.help, p.default, p.envvar) for p in options] == [
        ([o.name], o.parameter, o.help, o.default, o.envvar) for o in spec.options
    ]
    bounds = [(p.min, p.max) for p in options]
    assert bounds == [(o.minimum, o.maximum) for o in spec.options]
    assert [p.name for p in options if p.is_flag] == [o.parameter for o in spec.options if o.kind is bool]
    assert command.callback.__name__ == spec.body.__name__


@pytest.fixture
def plain_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "plain.db"
    path.write_bytes(b"SQLite format 3\x00" + bytes(84))  # the direct start only looks at the header
    monkeypatch.setenv("ETHICSDESK_DB", f"sqlite:///{path}")
    return path


PLAIN_FORMS = [
    ["show", "abcd"],
    ["list"],
    ["list", "--search", "scarf", "--limit", "5", "--json"],
    ["list", "--status=draft", "--training", "--limit=10000"],
    ["list", "--search", "-"],
    ["export", "abcd", "--format", "md", "--out", "-", "--include-identifiers"],
    ["export", "abcd", "--out", "r.html", "--force", "--templates=mine"],
    ["due", "--json"],
    ["insight", "--since", "2026-01-01", "--format", "html", "--out", "i.html", "--force"],
]


@pytest.mark.parametrize("argv", PLAIN_FORMS, ids=" ".join)
def test_plain_forms_start_directly(plain_db: Path, argv: list[str]) -> None:
    assert direct(argv) is not None


@pytest.mark.parametrize(
    "argv",
    [
        ["show"],  # a missing ID: Typer says so
        ["show", "a", "b"],
        ["show", "--help"],
        ["show", "abcd", "-h"],
        ["show", "--", "abcd"],
        ["list", "--limit", "0"],
        ["list", "--limit", "ten"],
        ["list", "--limit", "10001"],
        ["list", "--search"],
        ["list", "--search", "a", "--search", "b"],
        ["list", "--json=yes"],
        ["list", "--colour"],
        ["export", "abcd", "--overwrite"],
        ["due", "--json", "--json"],
        ["insight", "--since"],
        ["--db", "sqlite:///x.db", "show", "abcd"],  # a root option: Typer's
        ["verify"],
        [],
    ],
    ids=lambda a: " ".join(a) or "nothing",
)
def test_every_other_form_goes_to_typer(plain_db: Path, argv: list[str]) -> None:
    assert direct(argv) is None


def test_a_server_or_an_encrypted_file_goes_to_typer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line asks an encrypted file's passphrase on the terminal; the direct start does not."""
    monkeypatch.setenv("ETHICSDESK_DB", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert direct(["list"]) is None
    scrambled = tmp_path / "scrambled.db"
    scrambled.write_bytes(bytes(range(256)) * 4)
    assert direct(["list", "--db", f"sqlite:///{scrambled}"]) is None
    assert direct(["list", "--db", f"sqlite:///{tmp_path / 'new.db'}"]) is None  # the full service creates it


@pytest.mark.parametrize("argv", PLAIN_FORMS, ids=" ".join)
def test_typer_reads_each_plain_form_as_the_direct_start_does(plain_db: Path, argv: list[str]) -> None:
    """Click's own parser, given the same words, finds the same values; what the direct start leaves
    out is the declared default (--db: the environment's, which the body reads itself)."""
    command, spec = _typer_command(argv[0]), COMMANDS[argv[0]]
    given = spec.plain_words(argv[1:])
    assert given is not None
    with command.make_context(argv[0], list(argv[1:])) as ctx:
        parsed = dict(ctx.params)
    assert parsed.pop("db") == given.pop("db", f"sqlite:///{plain_db}")
    defaults = {o.parameter: o.default for o in spec.options if o.parameter != "db"}
    assert parsed == defaults | given


# --- whole processes -----------------------------------------------------------------------------
def ethicsdesk(env: dict[str, str], *args: str | Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([ETHICSDESK, *map(str, args)], env=env, capture_output=True, text=True, timeout=120)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture
def env(tmp_path: Path, isolated_home: Path) -> dict[str, str]:
    import os

    return {**os.environ, "ETHICSDESK_HOME": str(isolated_home), "ETHICSDESK_DB": f"sqlite:///{tmp_path / 'e.db'}"}


def test_the_db_file_alone_holds_every_record_after_the_everyday_commands(tmp_path: Path, env: dict[str, str]) -> None:
    """gc.freeze() before exit with a connection open left everything in -wal: the
    everyday commands close theirs, so a copy of the .db without -wal has every record and event."""
    files = sorted(DILEMMAS.glob("*.toml"))[:3]
    ids = json.loads(ethicsdesk(env, "import", "--json", *files).stdout)
    ids = [i["id"] for i in ids]
    ethicsdesk(env, "show", ids[0])
    ethicsdesk(env, "list")
    ethicsdesk(env, "list", "--search", "the")
    ethicsdesk(env, "export", ids[1], "--format", "json", "--out", tmp_path / "r.json")
    db = tmp_path / "e.db"
    copy = tmp_path / "copy" / "e.db"
    copy.parent.mkdir()
    shutil.copyfile(db, copy)  # the file alone, as a user's backup copies it
    conn = sqlite3.connect(copy)
    try:
        assert sorted(r[0] for r in conn.execute("SELECT id FROM records")) == sorted(ids)
        exported = conn.execute("SELECT count(*) FROM events WHERE type = 'record.exported'").fetchone()[0]
        assert exported == 1
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == len(ids) + 1
    finally:
        conn.close()


def test_exports_from_other_processes_while_records_are_edited_keep_the_chain(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """Two processes export the same record over and over while this one edits it through the full
    service: every export is one event in the chain (BEGIN IMMEDIATE), and verify holds."""
    from ethicsdesk.service import open_service

    rid = json.loads(ethicsdesk(env, "import", "--json", DILEMMAS / "gift-from-family.toml").stdout)["id"]
    script = (
        "import subprocess, sys\n"
        "for n in range(6):\n"
        f"    subprocess.run([{str(ETHICSDESK)!r}, 'export', {rid!r}, '--format', sys.argv[1], '--out', "
        "sys.argv[2] + f'/{n}.' + sys.argv[1]], check=True, capture_output=True)\n"
    )
    exporters = []
    for fmt in ("json", "md"):
        out = tmp_path / fmt
        out.mkdir()
        exporters.append(subprocess.Popen([sys.executable, "-c", script, fmt, str(out)], env=env))
    service = open_service(env["ETHICSDESK_DB"])
    try:
        for n in range(8):
            service.editing.set_text(rid, "outcome", f"Follow-up {n}.")
        for p in exporters:
            assert p.wait(timeout=300) == 0
        assert service.integrity.verify(rid) == (1, [])
        types = [e.type for e in service.history(rid)]
        assert types.count("record.exported") == 12
        assert types.count("field.set") == 8
        assert service.summary(rid).events == len(types) == 21
    finally:
        service.close()
