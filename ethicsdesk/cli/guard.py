"""How every start of ethicsdesk runs and ends, shared by the console entry point (cli/launch.py)
and the Typer app (cli/app.py): under one guard, so that an error is one sentence on stderr and an
exit code, never a traceback; with every database closed before the process exits; and the TUI,
opened without loading the command line (no Typer here)."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable


def guarded(body: Callable[[], object]) -> int:
    """Run `body`; return the exit code it ends with (the contract: 0, 1, 2; 130 on ctrl+c)."""
    from ethicsdesk.errors import EthicsdeskError

    try:
        body()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except EthicsdeskError as exc:
        from ethicsdesk.terminal_text import shown

        print(f"ethicsdesk: {shown(exc.message)}", file=sys.stderr)  # a message may quote record text
        return exc.exit_code
    except KeyboardInterrupt:
        print("ethicsdesk: interrupted; everything acknowledged before is saved.", file=sys.stderr)
        return 130
    except Exception as exc:  # the last guard: never a traceback in a user's terminal
        if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
            # A name the user gave (--db, --out, a dilemma file, a templates folder) that the file
            # system cannot hold: bad input, wherever it is first used.
            print(f"ethicsdesk: the file name {_cut(str(exc.filename or ''))} is too long.", file=sys.stderr)
            return 2
        if os.environ.get("ETHICSDESK_DEBUG"):
            raise
        print(
            f"ethicsdesk: unexpected error ({type(exc).__name__}: {_no_credentials(str(exc))}); "
            "run again with ETHICSDESK_DEBUG=1 for details.",
            file=sys.stderr,
        )
        return 1
    return 0


def _no_credentials(text: str) -> str:
    """An unforeseen error's words without what stands between `://` and a host: a library may quote
    the database URL, password and all (the messages ethicsdesk builds use service/databases.describe)."""
    import re

    return re.sub(r"(://)\S*@", r"\1***@", text)


def _cut(name: str) -> str:
    """A file name for a one-line message: quoted with its control characters escaped (repr), and a
    long one cut in the middle."""
    return repr(name) if len(name) <= 80 else f"{name[:56] + '…' + name[-16:]!r} ({len(name):,} characters)"


def open_tui(db: str | None, **start: object) -> None:
    from ethicsdesk.service.encryption import allow_terminal_prompt
    from ethicsdesk.tui.app import run

    allow_terminal_prompt(None)  # the TUI owns the terminal: it asks on its own passphrase screen
    run(db, **start)


def exit_with(code: int) -> None:
    # Freezing the heap skips a full garbage collection at exit: about 180 ms with sqlmodel loaded.
    # But a connection left open is then never finalised and SQLite never folds -wal into the .db
    # file, so every database is closed first.
    import gc

    from ethicsdesk.service.databases import close_every_database

    close_every_database()
    gc.freeze()
    sys.exit(code)
