"""`db encrypt` and `db decrypt`: convert the SQLite file in place without ever risking it.

The original stays untouched until one atomic rename, and a hard-linked backup of it is kept until
the file under its name has been checked again:

1. check: a SQLite file (not PostgreSQL), not already in the target state, at the current schema,
   and `verify` passes on it;
2. switch it from WAL to a rollback journal, which only succeeds when no one else has it open
   (so nobody writes into a file that is about to be replaced), and hold a lock on it from then on;
3. write the converted copy next to it with SQLCipher's `sqlcipher_export`, compare every table
   with the original, fsync it, open it as ethicsdesk would and run `verify` on it;
4. link a backup to the original, `os.replace` the copy over it, fsync the folder, check the file
   under its name opens, then remove the backup.

A failure before step 4 removes the copy and leaves the original as it was (its content, its
journal mode); a failure in step 4 puts the backup back.

`verify` is how a file is checked "as ethicsdesk opens it": the service's (service/encryption.py
passes it in), since the store never calls the service.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ethicsdesk.errors import BadInput, CheckFailed, DatabaseProblem
from ethicsdesk.store import encryption
from ethicsdesk.store.durable_files import sync_folder

# Open the SQLite file at the path as ethicsdesk does (the schema brought to the head), verify every
# record, close it: (records checked, problems found).
Verify = Callable[[Path], tuple[int, int]]

SWITCH_TIMEOUT_MS = 2_000  # how long to wait for someone else to let go of the file
MIN_PASSPHRASE = 8


@dataclass
class Converted:
    path: Path
    records: int
    plaintext_leftovers: list[Path] = field(default_factory=list)  # older backups not encrypted


def encrypt_in_place(url: str, passphrase: str, verify: Verify) -> Converted:
    """Encrypt the SQLite file at `url` with `passphrase`."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise BadInput(f"Choose a passphrase of at least {MIN_PASSPHRASE} characters; a short one is soon guessed.")
    path = file_to_convert(url, "encrypt")
    converted = _convert(path, encrypted=False, target_key=passphrase, verify=verify, verb="encrypt")
    converted.plaintext_leftovers = sorted(path.parent.glob(f"{path.stem}.*.bak.db"))
    return converted


def decrypt_in_place(url: str, verify: Verify) -> Converted:
    """Decrypt the SQLite file at `url`; the passphrase comes from the usual places."""
    path = file_to_convert(url, "decrypt")
    return _convert(path, encrypted=True, target_key="", verify=verify, verb="decrypt")


# --- the steps -------------------------------------------------------------------------------------
def file_to_convert(url: str, verb: str) -> Path:
    """The SQLite file behind `url`, or one sentence on why it cannot be converted that way."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from ethicsdesk.store.url_text import describe

    try:
        parsed = make_url(url)
    except ArgumentError:
        raise BadInput(f"'{describe(url)}' is not a database URL (try sqlite:///path).") from None
    if parsed.get_backend_name() == "postgresql":
        raise BadInput(
            "Encryption at rest here is for the SQLite file; a PostgreSQL server encrypts its own "
            "storage, which its administrator sets up."
        )
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        raise BadInput(f"Only a SQLite database file can be {verb}ed, not {describe(url)}.")
    path = Path(parsed.database).expanduser().resolve()
    if not path.is_file() or path.stat().st_size == 0:
        raise BadInput(f"There is no database at {path} to {verb}.")
    encrypted = encryption.is_encrypted_file(path)
    if verb == "encrypt" and encrypted:
        raise BadInput(f"{path} is already encrypted.")
    if verb == "decrypt" and not encrypted:
        raise BadInput(f"{path} is not encrypted.")
    if not encryption.cipher_available():  # both directions need SQLCipher: say so before anything else
        if encrypted:
            raise DatabaseProblem(encryption.INSTALL_HINT)
        raise DatabaseProblem("Encrypting needs the extra: pip install 'ethicsdesk[encryption]'.")
    for leftover in (_backup_of(path, "encrypt"), _backup_of(path, "decrypt")):
        if leftover.exists():
            raise BadInput(
                f"A backup from an interrupted conversion is at {leftover}; check that {path.name} opens, "
                "then delete the backup and run this again."
            )
    return path


def _copy_of(path: Path, verb: str) -> Path:
    return path.with_name(f".{path.name}.{verb}ing")


def _backup_of(path: Path, verb: str) -> Path:
    return path.with_name(f"{path.name}.before-{verb}.bak")


def _convert(path: Path, encrypted: bool, target_key: str, verify: Verify, verb: str) -> Converted:
    records = _check_source(path, verify, verb)
    # the passphrase that just opened it (remembered by the engine), so nobody is asked twice
    source_key = encryption.passphrase_for(path) if encrypted else None
    copy = _copy_of(path, verb)
    _remove_with_journals(copy)  # a leftover of an interrupted run is never the only copy of anything
    conn = _hold(path, source_key)
    replaced = False
    try:
        _export(conn, copy, target_key)
        _fsync(copy)
        _check_copy(copy, target_key, verify, records, verb)
        _fsync(copy)  # opening the copy marked it WAL: flush that too before it takes the name
        replaced = _install(copy, path, target_key, verb)
    finally:
        if not replaced:
            _let_go(conn, restore_wal=True)
            _remove_with_journals(copy)
        else:
            _let_go(conn, restore_wal=False)  # the handle is on the old, unlinked file
        encryption.forget(copy)
    if target_key:
        encryption.remember(path, target_key)
    else:
        encryption.forget(path)
    return Converted(path, records)


def _check_source(path: Path, verify: Verify, verb: str) -> int:
    """Open it as ethicsdesk does (the schema brought to the head) and verify it."""
    checked, problems = verify(path)
    if problems:
        raise CheckFailed(
            f"{path} does not verify as it is ({problems} problem(s)); run 'ethicsdesk verify' "
            f"and resolve them before you {verb} it."
        )
    return checked


def _hold(path: Path, key: str | None) -> Any:
    """One connection that leaves WAL (only possible when it is alone with the file) and then keeps
    its lock until it is closed, so no other process commits to the file being replaced."""
    module = encryption.cipher_module()
    conn = encryption.connect(path, key) if key is not None else module.connect(str(path), check_same_thread=False)
    conn.isolation_level = None
    try:
        conn.execute(f"PRAGMA busy_timeout = {SWITCH_TIMEOUT_MS}")
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        if str(mode).lower() != "delete":
            raise module.OperationalError("database is locked")
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # takes the lock, kept from now on
    except module.DatabaseError as exc:
        conn.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseProblem(
                f"{path} is open in another program; close ethicsdesk everywhere and run this again."
            ) from None
        if key:
            raise encryption.wrong_passphrase(path) from None
        raise DatabaseProblem(f"{path} cannot be read: {exc}.") from None
    return conn


def _export(conn: Any, copy: Path, key: str) -> None:
    """The whole database into `copy`, encrypted with `key` ("" for a plain file), then every table
    compared with the original's (row count and content)."""
    module = encryption.cipher_module()
    os.close(os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # private from the start
    try:
        conn.execute("ATTACH DATABASE ? AS converted KEY ?", (str(copy), key))
        try:
            conn.execute("SELECT sqlcipher_export('converted')").fetchall()
            # sqlcipher_export leaves user_version behind; carry it over so the copy is the same file
            version = int(conn.execute("PRAGMA main.user_version").fetchone()[0])
            conn.execute(f"PRAGMA converted.user_version = {version}")
        finally:
            conn.execute("DETACH DATABASE converted")
        # Attached afresh: the export writes the full-text index's entry straight into the copy's
        # schema table, which this connection only reads again on a new ATTACH.
        conn.execute("ATTACH DATABASE ? AS converted KEY ?", (str(copy), key))
        try:
            tables = [r[0] for r in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'")]
            for table in tables:
                quoted = '"' + table.replace('"', '""') + '"'
                same = conn.execute(
                    f"SELECT (SELECT count(*) FROM main.{quoted}) = (SELECT count(*) FROM converted.{quoted}) "
                    f"AND NOT EXISTS (SELECT * FROM main.{quoted} EXCEPT SELECT * FROM converted.{quoted})"
                ).fetchone()[0]
                if not same:
                    raise DatabaseProblem(f"The converted copy differs from the original in table {table}.")
        finally:
            conn.execute("DETACH DATABASE converted")
    except module.DatabaseError as exc:
        raise DatabaseProblem(f"The converted copy could not be written: {exc}.") from None


def _check_copy(copy: Path, key: str, verify: Verify, records: int, verb: str) -> None:
    """Open the copy exactly as ethicsdesk will open the file, and verify it."""
    if key:
        encryption.remember(copy, key)
    checked, problems = verify(copy)
    if problems or checked != records:
        raise CheckFailed(
            f"The {verb}ed copy did not verify ({problems} problem(s), {checked} of {records} records); "
            "the original is unchanged."
        )


def _install(copy: Path, path: Path, key: str, verb: str) -> bool:
    """Swap the copy in atomically; keep a backup of the original until the file under its name opens."""
    backup = _backup_of(path, verb)
    try:
        os.link(path, backup)
    except OSError:  # a file system without hard links: the file is locked and quiet, a copy is consistent
        shutil.copyfile(path, backup)
        _fsync(backup)
    try:
        os.replace(copy, path)
    except OSError as exc:
        backup.unlink(missing_ok=True)
        raise DatabaseProblem(f"{path} could not be replaced: {exc.strerror}; the original is unchanged.") from None
    sync_folder(path.parent)
    if not _opens(path, key):
        os.replace(backup, path)
        sync_folder(path.parent)
        raise DatabaseProblem(f"{path} did not open after the {verb}ion; the original is back in place.")
    backup.unlink()
    sync_folder(path.parent)
    return True


def _opens(path: Path, key: str) -> bool:
    if key:
        return encryption.key_opens(path, key)
    import sqlite3

    try:
        conn = sqlite3.connect(path)
        try:
            return conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return False


def _let_go(conn: Any, restore_wal: bool) -> None:
    """Close the holding connection; the original, when kept, goes back to WAL as ethicsdesk keeps it."""
    try:
        if restore_wal:
            conn.execute("PRAGMA locking_mode = NORMAL")
            conn.execute("PRAGMA journal_mode = WAL").fetchone()
    except Exception:  # best effort: ethicsdesk switches the file to WAL again when it next opens it
        pass
    finally:
        conn.close()


def _remove_with_journals(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
