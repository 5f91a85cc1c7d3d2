"""Encryption at rest: a SQLCipher file holds no plaintext, opens only with its passphrase,
and `db encrypt` / `db decrypt` convert a file in place without ever risking the original.

Most tests need the `encryption` extra (sqlcipher3-binary) and skip without it; the one about the
missing extra runs everywhere.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from ethicsdesk.errors import BadInput, CheckFailed, DatabaseProblem, PassphraseNeeded, WrongPassphrase
from ethicsdesk.service import Service
from ethicsdesk.service.encryption import decrypt_in_place, encrypt_in_place
from ethicsdesk.store import encrypt_in_place as conversion
from ethicsdesk.store import encryption
from ethicsdesk.store.engine import open_database
from ethicsdesk.store.schema import backup
from tests.conftest import CASE_MANAGER, DILEMMAS, REPO

PASSPHRASE = "correct horse battery"
HEADER = b"SQLite format 3\x00"


@pytest.fixture
def cipher() -> ModuleType:
    return pytest.importorskip("sqlcipher3", reason="the 'encryption' extra (sqlcipher3-binary) is not installed")


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cases.db'}"


@pytest.fixture
def populated(url: str) -> tuple[str, str, str]:
    """A plain database with the discharge sample: (record id, its title, a sentence of its facts)."""
    service = Service.open(url, CASE_MANAGER)
    try:
        (rid,) = service.importing.import_files([DILEMMAS / "discharge-against-advice.toml"])
        state = service.record(rid)
        facts = state.text["facts"]
    finally:
        service.close()
    return rid, state.title, facts.split(".")[0]


def path_of(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def on_disk(path: Path) -> bytes:
    """Everything SQLite keeps for the database: the file and any journal beside it."""
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")))


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def head_hash(url: str, rid: str) -> str:
    service = Service.open(url, CASE_MANAGER)
    try:
        return service.summary(rid).head_hash
    finally:
        service.close()


# --- the file ------------------------------------------------------------------------------------
def test_an_encrypted_file_holds_no_plaintext(cipher: ModuleType, url: str, populated: tuple[str, str, str]) -> None:
    _, title, fact = populated
    path = path_of(url)
    before = on_disk(path)
    assert title.encode() in before and fact.encode() in before  # the check below can fail

    done = encrypt_in_place(url, PASSPHRASE, CASE_MANAGER)

    assert done.path == path.resolve() and done.records == 1
    assert sorted(p.name for p in path.parent.iterdir()) == ["cases.db"]  # no copy, backup or journal left
    data = on_disk(path)
    assert not data.startswith(HEADER)
    assert b"SQLite format 3" not in data
    for text in (title, fact, "rehabilitation", "Robin Ashdown"):
        assert text.encode() not in data, text
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_the_right_passphrase_opens_it_and_it_verifies(
    cipher: ModuleType, url: str, populated: tuple[str, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rid, title, _ = populated
    before = head_hash(url, rid)
    encrypt_in_place(url, PASSPHRASE, CASE_MANAGER)
    encryption.forget_all()  # as a new process would start
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, PASSPHRASE)

    service = Service.open(url, CASE_MANAGER)
    try:
        assert service.db.encrypted
        assert service.integrity.verify() == (1, [])
        assert service.record(rid).title == title
        assert service.summary(rid).head_hash == before
        assert service.list_records(search="rehabilitation")[0].id == rid  # the full-text index came along
        service.editing.set_text(rid, "outcome", "Went home with daily visits.")  # and it takes writes
        with service.db.engine.connect() as conn:  # the same pragmas as a plain file
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        service.close()
    assert b"Went home with daily visits" not in on_disk(path_of(url))


def test_a_wrong_passphrase_is_refused_in_one_sentence_and_nothing_is_written(
    cipher: ModuleType, url: str, populated: tuple[str, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    encrypt_in_place(url, PASSPHRASE, CASE_MANAGER)
    encryption.forget_all()
    path = path_of(url)
    before = digest(path)
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, "not the passphrase")

    with pytest.raises(WrongPassphrase) as exc:
        Service.open(url, CASE_MANAGER)

    assert isinstance(exc.value, DatabaseProblem) and exc.value.exit_code == 2
    assert exc.value.message == f"The passphrase does not open {path}."
    assert digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["cases.db"]
    assert encryption.key_opens(path, PASSPHRASE) and not encryption.key_opens(path, "not the passphrase")


def test_no_passphrase_is_a_clear_sentence(cipher: ModuleType, url: str, populated: tuple[str, str, str]) -> None:
    encrypt_in_place(url, PASSPHRASE, CASE_MANAGER)
    encryption.forget_all()
    path = path_of(url)

    with pytest.raises(PassphraseNeeded) as exc:
        open_database(url)

    assert exc.value.exit_code == 2 and exc.value.path == path
    assert exc.value.message == (
        f"The database {path} is encrypted and no passphrase was given "
        "(enter it when asked, or set ETHICSDESK_PASSPHRASE)."
    )


def test_the_terminal_prompt_is_asked_once_per_session(
    cipher: ModuleType, url: str, populated: tuple[str, str, str]
) -> None:
    encrypt_in_place(url, PASSPHRASE, CASE_MANAGER)
    encryption.forget_all()
    asked: list[Path] = []

    def ask(path: Path) -> str:
        asked.append(path)
        return PASSPHRASE

    encryption.allow_terminal_prompt(ask)

    for _ in range(2):
        open_database(url).dispose()

    assert asked == [path_of(url)]


def test_without_the_extra_an_encrypted_file_gets_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cases.db"
    path.write_bytes(os.urandom(8192))  # what SQLCipher leaves: no header, whole pages
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)  # `import sqlcipher3` now fails
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, PASSPHRASE)

    with pytest.raises(DatabaseProblem) as exc:
        open_database(f"sqlite:///{path}")

    assert exc.value.message == "This database is encrypted; install the extra: pip install 'ethicsdesk[encryption]'."
    assert exc.value.exit_code == 2


def test_a_backup_of_an_encrypted_database_is_encrypted_too(
    cipher: ModuleType, url: str, populated: tuple[str, str, str], tmp_path: Path
) -> None:
    _, title, _ = populated
    encrypt_in_place(url, PASSPHRASE, CASE_MANAGER)
    db = open_database(url)
    target = tmp_path / "copy.db"
    try:
        backup(db, target)
    finally:
        db.dispose()
    assert not target.read_bytes().startswith(HEADER)
    assert title.encode() not in target.read_bytes()
    assert encryption.key_opens(target, PASSPHRASE)


# --- converting in place ---------------------------------------------------------------------------
def test_decrypt_round_trip(
    cipher: ModuleType, url: str, populated: tuple[str, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rid, title, _ = populated
    before = head_hash(url, rid)
    encrypt_in_place(url, PASSPHRASE, CASE_MANAGER)
    encryption.forget_all()
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, PASSPHRASE)

    done = decrypt_in_place(url, CASE_MANAGER)

    path = path_of(url)
    assert done.records == 1
    assert path.read_bytes().startswith(HEADER)
    assert sorted(p.name for p in path.parent.iterdir()) == ["cases.db"]
    monkeypatch.delenv(encryption.PASSPHRASE_ENV)
    encryption.forget_all()
    service = Service.open(url, CASE_MANAGER)  # no passphrase needed any more
    try:
        assert not service.db.encrypted
        assert service.integrity.verify() == (1, [])
        assert service.record(rid).title == title
        assert service.summary(rid).head_hash == before
    finally:
        service.close()


def test_a_failed_verification_of_the_copy_leaves_the_original_and_no_stray_files(
    cipher: ModuleType, url: str, populated: tuple[str, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rid, _, _ = populated
    path = path_of(url)
    before_hash = head_hash(url, rid)
    listing = sorted(p.name for p in path.parent.iterdir())

    def fails(*args: object) -> None:
        raise CheckFailed("The encrypted copy did not verify; the original is unchanged.")

    monkeypatch.setattr(conversion, "_check_copy", fails)
    with pytest.raises(CheckFailed):
        encrypt_in_place(url, PASSPHRASE, CASE_MANAGER)

    assert sorted(p.name for p in path.parent.iterdir()) == listing
    assert path.read_bytes().startswith(HEADER)
    service = Service.open(url, CASE_MANAGER)
    try:
        assert service.integrity.verify() == (1, [])
        assert service.summary(rid).head_hash == before_hash
        with service.db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        service.close()


def test_a_file_that_does_not_open_after_the_swap_is_put_back(
    cipher: ModuleType, url: str, populated: tuple[str, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rid, _, _ = populated
    path = path_of(url)
    monkeypatch.setattr(conversion, "_opens", lambda path, key: False)

    with pytest.raises(DatabaseProblem, match="the original is back in place"):
        encrypt_in_place(url, PASSPHRASE, CASE_MANAGER)

    assert sorted(p.name for p in path.parent.iterdir()) == ["cases.db"]  # no backup left behind
    assert path.read_bytes().startswith(HEADER)
    assert head_hash(url, rid)


def test_a_database_open_elsewhere_is_not_converted(
    cipher: ModuleType, url: str, populated: tuple[str, str, str]
) -> None:
    """Another ethicsdesk process with the file open: it could write into the file being replaced.
    (A process of its own: SQLite's file locks do not see a second SQLite library in one process.)"""
    holder = (
        "import sys\n"
        "from ethicsdesk.service import Service\n"
        "from ethicsdesk.settings import User\n"
        f"service = Service.open({url!r}, User('Other', 'case manager'))\n"
        "service.list_records()\n"
        "print('open', flush=True)\n"
        "sys.stdin.readline()\n"
        "service.close()\n"
    )
    other = subprocess.Popen(
        [sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=REPO
    )
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "open"
        with pytest.raises(DatabaseProblem, match="is open in another program"):
            encrypt_in_place(url, PASSPHRASE, CASE_MANAGER)
    finally:
        other.communicate("done\n", timeout=30)
    path = path_of(url)
    assert path.read_bytes().startswith(HEADER)
    assert not any(p.name.startswith(".") or p.name.endswith(".bak") for p in path.parent.iterdir())
    assert head_hash(url, populated[0])


@pytest.mark.parametrize(
    ("verb", "target", "message"),
    [
        ("encrypt", "postgresql+psycopg://u@127.0.0.1/ethicsdesk", "a PostgreSQL server encrypts its own storage"),
        ("encrypt", "sqlite://", "Only a SQLite database file"),
        ("encrypt", "missing", "There is no database at"),
        ("decrypt", "plain", "is not encrypted"),
    ],
)
def test_what_cannot_be_converted_is_refused(
    cipher: ModuleType, url: str, populated: tuple[str, str, str], verb: str, target: str, message: str
) -> None:
    given = {"missing": url.replace("cases.db", "nothing.db"), "plain": url}.get(target, target)
    with pytest.raises(BadInput, match=message) as exc:
        if verb == "encrypt":
            encrypt_in_place(given, PASSPHRASE, CASE_MANAGER)
        else:
            decrypt_in_place(given, CASE_MANAGER)
    assert exc.value.exit_code == 2


def test_encrypting_twice_or_with_a_short_passphrase_is_refused(
    cipher: ModuleType, url: str, populated: tuple[str, str, str]
) -> None:
    with pytest.raises(BadInput, match="at least 8 characters"):
        encrypt_in_place(url, "short", CASE_MANAGER)
    encrypt_in_place(url, PASSPHRASE, CASE_MANAGER)
    with pytest.raises(BadInput, match="is already encrypted"):
        encrypt_in_place(url, PASSPHRASE, CASE_MANAGER)


def test_a_text_file_is_still_not_mistaken_for_an_encrypted_one(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"Dear diary, " * 500)
    assert not encryption.looks_encrypted(path)
    with pytest.raises(DatabaseProblem, match="it is not an SQLite file"):
        open_database(f"sqlite:///{path}")


def test_encrypting_without_the_extra_says_how_to_install_it(
    url: str, populated: tuple[str, str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)
    with pytest.raises(DatabaseProblem) as exc:
        encrypt_in_place(url, PASSPHRASE, CASE_MANAGER)
    assert exc.value.message == "Encrypting needs the extra: pip install 'ethicsdesk[encryption]'."
    assert path_of(url).read_bytes().startswith(HEADER)
