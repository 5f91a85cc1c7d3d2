"""Errors a user sees: one sentence each, with the exit code the command line gives them.

Exit codes are part of the command line contract (DESIGN.md): 0 success, 1 a check failed or a record
was not found, 2 bad usage or bad input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


class EthicsdeskError(Exception):
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(EthicsdeskError):
    exit_code = 1


class CheckFailed(EthicsdeskError):
    exit_code = 1


class BadInput(EthicsdeskError):
    exit_code = 2


class DatabaseProblem(EthicsdeskError):
    """The database cannot be opened or used as it is (corrupt, unwritable, newer schema)."""

    exit_code = 2


class Conflict(EthicsdeskError):
    """Someone else changed the record first; nothing of this change was written."""

    exit_code = 1


class EditConflict(Conflict):
    """Someone else changed the very part an edit changes since the editor read it: who,
    when, and which parts, so that a screen can say so and keep the editor's text for a merge."""

    def __init__(self, message: str, by: str, at: str, parts: frozenset[tuple[str, ...]]) -> None:
        super().__init__(message)
        self.by, self.at, self.parts = by, at, parts


class PassphraseNeeded(DatabaseProblem):
    """The database file is encrypted and no passphrase was at hand. A face that can ask
    the user (the TUI's passphrase screen) catches it, asks, and opens again; `path` is the file."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


class WrongPassphrase(DatabaseProblem):
    """The passphrase given does not open the encrypted file; nothing was written."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path
