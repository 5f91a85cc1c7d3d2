"""Errors a user sees: one sentence each, with the exit code the command line gives them.

Exit codes are part of the contract (shared/DESIGN.md): 0 success, 1 a check failed or a record
was not found, 2 bad usage or bad input.
"""

from __future__ import annotations


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
