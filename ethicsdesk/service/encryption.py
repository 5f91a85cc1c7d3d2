"""Encryption at rest as the faces use it: converting the SQLite file in place, and the
passphrase's ways in (a terminal prompt the command line allows, one the TUI's screen was given,
one the lock screen checks).

The conversion's steps are the store's (store/encrypt_in_place.py); what is the service's is the
check on each side of it: the file is opened as ethicsdesk opens it and every record verified, by
the user converting it. Light at the top: the command line imports this for its prompt.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ethicsdesk.store.encryption import NO_KEYRING_ENV, PASSPHRASE_ENV, allow_terminal_prompt, key_opens, remember

if TYPE_CHECKING:
    from ethicsdesk.settings import User
    from ethicsdesk.store.encrypt_in_place import Converted

__all__ = [
    "NO_KEYRING_ENV",
    "PASSPHRASE_ENV",
    "allow_terminal_prompt",
    "decrypt_in_place",
    "encrypt_in_place",
    "file_to_convert",
    "passphrase_opens",
    "remember_passphrase",
]


def passphrase_opens(path: Path, passphrase: str) -> bool:
    """Whether `passphrase` decrypts the file at `path` (the lock screen's check); writes nothing."""
    return key_opens(path, passphrase)


def remember_passphrase(path: Path, passphrase: str) -> None:
    """Keep the passphrase the user typed for this process; it is tried first, and forgotten again
    if it turns out wrong."""
    remember(path, passphrase)


def file_to_convert(url: str, verb: str) -> Path:
    """The SQLite file behind `url`, or one sentence on why it cannot be encrypted or decrypted."""
    from ethicsdesk.store.encrypt_in_place import file_to_convert

    return file_to_convert(url, verb)


def _verify_as(user: User) -> Callable[[Path], tuple[int, int]]:
    def verify(path: Path) -> tuple[int, int]:
        from ethicsdesk.service.full import open_service

        service = open_service(f"sqlite:///{path}", user)
        try:
            checked, problems = service.integrity.verify()
        finally:
            service.close()
        return checked, len(problems)

    return verify


def encrypt_in_place(url: str, passphrase: str, user: User) -> Converted:
    """Encrypt the SQLite file at `url` with `passphrase`, verified before and after."""
    from ethicsdesk.store import encrypt_in_place as conversion

    return conversion.encrypt_in_place(url, passphrase, _verify_as(user))


def decrypt_in_place(url: str, user: User) -> Converted:
    """Turn the encrypted SQLite file at `url` back into a plain one, verified before and after."""
    from ethicsdesk.store import encrypt_in_place as conversion

    return conversion.decrypt_in_place(url, _verify_as(user))
