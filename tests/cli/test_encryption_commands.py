"""`ethicsdesk db encrypt` / `db decrypt`, through Typer's runner with ETHICSDESK_PASSPHRASE,
and the other commands on an encrypted file: the right passphrase works, a wrong or missing one is
one sentence and exit 2."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from ethicsdesk.cli import app as cli
from ethicsdesk.errors import EthicsdeskError
from ethicsdesk.store import encryption
from tests.cli.conftest import Run

pytest.importorskip("sqlcipher3", reason="the 'encryption' extra (sqlcipher3-binary) is not installed")

DISCHARGE = Path(__file__).resolve().parents[2] / "dilemmas" / "discharge-against-advice.toml"
PASSPHRASE = "correct horse battery"
HEADER = b"SQLite format 3\x00"


def invoke(*args: str | Path, passphrase: str | None = None) -> Result:
    """`ethicsdesk ARGS…` as if in a new process: nothing remembered, and the connections that
    earlier commands left for process exit to close are closed now (in one process SQLite would
    see them, rightly, as another program holding the file open)."""
    encryption.forget_all()
    gc.collect()
    env = {encryption.PASSPHRASE_ENV: passphrase} if passphrase is not None else {}
    return CliRunner().invoke(cli.app, [str(a) for a in args], env=env)


def code(result: Result) -> int:
    """The exit code the console entry point gives (the runner calls the app, not main())."""
    return result.exception.exit_code if isinstance(result.exception, EthicsdeskError) else result.exit_code


def test_encrypt_then_use_then_decrypt(db_path: Path) -> None:
    assert invoke("import", DISCHARGE).exit_code == 0

    done = invoke("db", "encrypt", passphrase=PASSPHRASE)
    assert done.exit_code == 0, done.output
    assert f"Encrypted {db_path}" in done.output and "1 record(s) verified" in done.output
    assert not db_path.read_bytes().startswith(HEADER)
    assert b"rehabilitation" not in db_path.read_bytes()

    listed = invoke("list", passphrase=PASSPHRASE)
    assert listed.exit_code == 0 and "rehabilitation" in listed.output
    assert invoke("verify", passphrase=PASSPHRASE).exit_code == 0

    back = invoke("db", "decrypt", passphrase=PASSPHRASE)
    assert back.exit_code == 0, back.output
    assert "it is now readable without a passphrase" in back.output
    assert db_path.read_bytes().startswith(HEADER)
    assert invoke("verify").exit_code == 0


def test_a_wrong_or_missing_passphrase_is_one_sentence_and_exit_2(db_path: Path) -> None:
    invoke("import", DISCHARGE)
    invoke("db", "encrypt", passphrase=PASSPHRASE)
    before = db_path.read_bytes()

    wrong = invoke("list", passphrase="not it at all")
    assert code(wrong) == 2
    assert wrong.exception is not None and str(wrong.exception) == f"The passphrase does not open {db_path}."

    missing = invoke("list")
    assert code(missing) == 2
    assert "is encrypted and no passphrase was given" in str(missing.exception)
    assert db_path.read_bytes() == before


def test_the_console_entry_point_prints_the_sentence_not_a_traceback(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    invoke("import", DISCHARGE)
    invoke("db", "encrypt", passphrase=PASSPHRASE)
    encryption.forget_all()
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, "not it at all")
    code, _out, err = run("list")
    assert code == 2
    assert err == f"ethicsdesk: The passphrase does not open {db_path}.\n"


def test_encrypt_and_decrypt_refuse_the_wrong_state(db_path: Path) -> None:
    invoke("import", DISCHARGE)
    not_yet = invoke("db", "decrypt", passphrase=PASSPHRASE)
    assert code(not_yet) == 2 and str(not_yet.exception) == f"{db_path} is not encrypted."
    invoke("db", "encrypt", passphrase=PASSPHRASE)
    again = invoke("db", "encrypt", passphrase=PASSPHRASE)
    assert code(again) == 2 and str(again.exception) == f"{db_path} is already encrypted."


def test_encrypt_without_a_passphrase_or_a_terminal_says_how_to_give_one(db_path: Path) -> None:
    invoke("import", DISCHARGE)
    result = invoke("db", "encrypt")
    assert code(result) == 2
    assert "set ETHICSDESK_PASSPHRASE" in str(result.exception)
    assert db_path.read_bytes().startswith(HEADER)


def test_postgresql_is_refused_in_one_sentence() -> None:
    result = CliRunner().invoke(
        cli.app, ["db", "encrypt", "--db", "postgresql+psycopg://u@127.0.0.1/x"], env={"ETHICSDESK_PASSPHRASE": "x" * 9}
    )
    assert code(result) == 2
    assert "PostgreSQL server encrypts its own storage" in str(result.exception)


def test_encrypt_names_older_plaintext_backups(db_path: Path) -> None:
    invoke("import", DISCHARGE)
    leftover = db_path.with_name("cli.0002.20260101T000000Z.bak.db")
    leftover.write_bytes(b"")
    result = invoke("db", "encrypt", passphrase=PASSPHRASE)
    assert result.exit_code == 0
    assert "not encrypted" in result.output and str(leftover) in result.output
