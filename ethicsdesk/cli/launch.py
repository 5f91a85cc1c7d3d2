"""The `ethicsdesk` console entry point.

With no command (or only `--db URL`) it opens the TUI straight away, without loading the command
line (Typer, Click and every command module: about 40 ms before the first paint, bench/); `show`,
`list`, `export`, `due` and `insight` in their plain forms run their bodies directly (cli/everyday.py); anything
else goes to the Typer app in cli/app.py. Both run under the same guard (cli/guard.py): an error is
one sentence on stderr and an exit code, never a traceback.
"""

from __future__ import annotations

import sys

from ethicsdesk.cli.guard import exit_with, guarded, open_tui


def tui_only(args: list[str]) -> tuple[bool, str | None]:
    """Whether the arguments ask for nothing but the TUI, and the --db they name."""
    if not args:
        return True, None
    if len(args) == 2 and args[0] == "--db":
        return True, args[1]
    if len(args) == 1 and args[0].startswith("--db="):
        return True, args[0].removeprefix("--db=")
    return False, None


def main() -> None:
    only_tui, db = tui_only(sys.argv[1:])
    if only_tui:
        exit_with(guarded(lambda: open_tui(db)))
    # show, list, export, due and insight in their plain forms run without Typer and its pydantic (cli/everyday.py)
    from ethicsdesk.cli.everyday import direct

    everyday = direct(sys.argv[1:])
    if everyday is not None:
        exit_with(guarded(everyday))
    from ethicsdesk.cli.app import main as command_line

    command_line()
