"""Encryption at rest for the SQLite file: SQLCipher, through the optional `encryption` extra.

An encrypted file has no "SQLite format 3" header: SQLCipher writes a random salt where the header
would be and encrypts every page, so nothing of a record is readable without the passphrase. The
store opens such a file with `sqlcipher3` instead of the standard `sqlite3` module; everything else
(pragmas, BEGIN IMMEDIATE, migrations) is the same.

Where the passphrase comes from, first found wins:
1. this process's memory, once a passphrase has opened the file (asked once per session);
2. `ETHICSDESK_PASSPHRASE` (scripts and tests);
3. the OS keyring, when the `keyring` package is installed and has a usable backend
   (service "ethicsdesk", username the absolute path of the file), except in a browser tab that
   `ethicsdesk serve` opened (ETHICSDESK_NO_KEYRING);
4. a prompt on the terminal, when the command line has allowed one (never inside the TUI, which
   owns the terminal: it catches `PassphraseNeeded` and shows its own passphrase screen).

This module imports neither sqlalchemy nor sqlcipher3 at the top: `ethicsdesk --help` stays fast.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from ethicsdesk.errors import DatabaseProblem, PassphraseNeeded, WrongPassphrase
from ethicsdesk.store.dbapi import SQLITE_HEADER, file_header

PASSPHRASE_ENV = "ETHICSDESK_PASSPHRASE"
# Set by `ethicsdesk serve` for every browser tab's process: the keyring is the serving user's, and
# a tab opened by anyone who reaches the port must not open the database with it.
NO_KEYRING_ENV = "ETHICSDESK_NO_KEYRING"
KEYRING_SERVICE = "ethicsdesk"
INSTALL_HINT = "This database is encrypted; install the extra: pip install 'ethicsdesk[encryption]'."

# Passphrases that opened a file in this process, by absolute path. Only ever filled after a
# successful open (or just before a retry, and dropped again if it fails), so a typo is not kept.
_session: dict[str, str] = {}
_terminal_prompt: Callable[[Path], str | None] | None = None


# --- recognising an encrypted file -----------------------------------------------------------------
def looks_encrypted(path: Path) -> bool:
    """Whether the file is (very probably) a SQLCipher database rather than some other file.

    SQLite writes whole pages, and pages are powers of two from 512 bytes, so an encrypted database
    is at least a page long and a multiple of 512. A text file saved under the wrong name almost
    never is; it keeps the plain "not an SQLite file" refusal instead of an invitation to type a
    passphrase that can never work.
    """
    try:
        size = path.stat().st_size
        head = file_header(path)  # never a second descriptor of an open database (store/dbapi.py)
    except OSError:
        return False
    return head != SQLITE_HEADER and size >= 512 and size % 512 == 0


def is_encrypted_file(path: Path) -> bool:
    """For the conversion commands: an existing, non-empty file without the SQLite header."""
    return path.is_file() and path.stat().st_size > 0 and looks_encrypted(path)


def cipher_module() -> ModuleType:
    """The SQLCipher DBAPI module, or the one sentence that says how to install it."""
    try:
        import sqlcipher3
    except ImportError:
        raise DatabaseProblem(INSTALL_HINT) from None
    return sqlcipher3


def cipher_available() -> bool:
    try:
        import sqlcipher3  # noqa: F401
    except ImportError:
        return False
    return True


# --- connections ---------------------------------------------------------------------------------
def _sql_string(value: str) -> str:
    if "\x00" in value:
        raise WrongPassphrase("A passphrase cannot contain a NUL character.")
    return "'" + value.replace("'", "''") + "'"


def connect(path: Path, passphrase: str) -> Any:
    """A sqlcipher3 connection with the key set as its FIRST statement, as SQLCipher requires
    (any statement before it would read the file unkeyed). Reading fails later, not here, when the
    passphrase is wrong: `key_opens` and the engine's first query find that out."""
    module = cipher_module()
    conn = module.connect(str(path), check_same_thread=False)
    conn.execute(f"PRAGMA key = {_sql_string(passphrase)}")
    # SQLCipher logs a failed HMAC check to stderr; the user gets our one sentence instead.
    conn.execute("PRAGMA cipher_log_level = NONE")
    return conn


def creator(path: Path, passphrase: str) -> Callable[[], Any]:
    """For `create_engine(..., creator=...)`: every pooled connection is keyed before anything else."""
    return lambda: connect(path, passphrase)


def key_opens(path: Path, passphrase: str) -> bool:
    """Whether `passphrase` decrypts the file; reads the schema page only, writes nothing."""
    module = cipher_module()
    try:
        conn = connect(path, passphrase)
    except WrongPassphrase:
        return False
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except module.DatabaseError:
        return False
    finally:
        conn.close()
    return True


def wrong_passphrase(path: Path) -> WrongPassphrase:
    forget(path)
    return WrongPassphrase(f"The passphrase does not open {path}.", path)


# --- where the passphrase comes from ---------------------------------------------------------------
def _key(path: Path) -> str:
    return str(Path(path).expanduser().resolve())


def remember(path: Path, passphrase: str) -> None:
    _session[_key(path)] = passphrase


def forget(path: Path) -> None:
    _session.pop(_key(path), None)


def forget_all() -> None:
    _session.clear()


def allow_terminal_prompt(prompt: Callable[[Path], str | None] | None) -> None:
    """The command line installs a prompt (hidden input on a TTY); the TUI removes it."""
    global _terminal_prompt
    _terminal_prompt = prompt


def keyring_passphrase(path: Path) -> str | None:
    """The passphrase stored in the OS keyring, or None: no keyring package, no usable backend
    (a headless server has the 'fail' backend), or no entry. A keyring problem never stops a start."""
    if os.environ.get(NO_KEYRING_ENV):
        return None
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        if isinstance(keyring.get_keyring(), fail.Keyring):
            return None
        return keyring.get_password(KEYRING_SERVICE, _key(path))
    except Exception:  # a locked or broken backend: fall through to the prompt
        return None


def passphrase_for(path: Path) -> str:
    """The passphrase to try on the encrypted file at `path`, or PassphraseNeeded."""
    found = _session.get(_key(path)) or os.environ.get(PASSPHRASE_ENV) or keyring_passphrase(path)
    if not found and _terminal_prompt is not None:
        found = _terminal_prompt(path)
    if not found:
        raise PassphraseNeeded(
            f"The database {path} is encrypted and no passphrase was given "
            f"(enter it when asked, or set {PASSPHRASE_ENV}).",
            path,
        )
    return found
