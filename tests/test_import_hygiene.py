"""Run-time guards for the fast start of the command line (shared/STACK.md: `--help` is 4.4x slower
with the heavy libraries imported at the top).

A static import graph cannot tell a module-level import from one deferred into the command that
needs it, so these run the real entry point in a fresh interpreter and look at `sys.modules`.
Modelled on harlequin's tests/unit_tests/test_import_hygiene.py."""

from __future__ import annotations

import subprocess
import sys

import pytest

# Not pydantic: typer itself imports it for any subcommand with parameters (shared/STACK.md).
HEAVY = ("textual", "sqlmodel", "sqlalchemy", "jinja2", "alembic")


def loaded_after(argv: list[str], before: str = "") -> list[str]:
    """Run `ethicsdesk ARGV` through its console entry point; return which HEAVY modules it loaded."""
    script = (
        "import sys\n"
        f"{before}\n"
        f"sys.argv = ['ethicsdesk', *{argv!r}]\n"
        "from ethicsdesk.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        f"heavy = {HEAVY!r}\n"
        "print('LOADED:' + ','.join(h for h in heavy if any(m == h or m.startswith(h + '.') for m in sys.modules)),"
        " file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "Usage" in proc.stdout  # the help really was printed
    report = proc.stderr.strip().splitlines()[-1]
    assert report.startswith("LOADED:"), proc.stderr
    return [m for m in report.removeprefix("LOADED:").split(",") if m]


@pytest.mark.parametrize("argv", [["--help"], ["import", "--help"]], ids=" ".join)
def test_help_loads_no_heavy_library(argv: list[str]) -> None:
    assert loaded_after(argv) == []


def test_the_guard_can_see_a_heavy_import() -> None:
    """The check above can fail: the same harness notices sqlmodel when something imports it."""
    assert "sqlmodel" in loaded_after(["--help"], before="import ethicsdesk.store.tables")
