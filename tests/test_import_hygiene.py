"""Run-time guards for the fast start of the command line (`--help` was measured 4.4x slower
with the heavy libraries imported at the top).

A static import graph cannot tell a module-level import from one deferred into the command that
needs it, so these run the real entry point in a fresh interpreter and look at `sys.modules`.
Modelled on harlequin's tests/unit_tests/test_import_hygiene.py."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

# Not pydantic: typer itself imports it for any subcommand with parameters. rich
# comes with typer but its help is plain here (rich_markup_mode=None); only the tables of `list` and
# `show` load it (reporting/terminal_tables.py).
HEAVY = ("textual", "sqlmodel", "sqlalchemy", "jinja2", "alembic", "rich")


def loaded_after(argv: list[str], before: str = "") -> list[str]:
    """Run `ethicsdesk ARGV` through its console entry point; return which HEAVY modules it loaded."""
    script = (
        "import sys\n"
        f"{before}\n"
        f"sys.argv = ['ethicsdesk', *{argv!r}]\n"
        "from ethicsdesk.cli.app import main\n"
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


# --- the everyday commands: they read (and export) through sqlite3, never the ORM ----------
NOT_FOR_READING = ("textual", "sqlmodel", "sqlalchemy", "alembic", "pydantic", "typer", "click")


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], str]:
    """A SQLite file with two records, and an environment that points at it."""
    import json
    import os

    home = tmp_path_factory.mktemp("hygiene")
    env = {**os.environ, "ETHICSDESK_HOME": str(home), "ETHICSDESK_DB": f"sqlite:///{home / 'h.db'}"}
    dilemmas = Path(__file__).resolve().parent.parent / "dilemmas"
    files = [dilemmas / "gift-from-family.toml", dilemmas / "discharge-against-advice.toml"]
    script = "import sys\nfrom ethicsdesk.cli.launch import main\nsys.argv = ['ethicsdesk', *sys.argv[1:]]\nmain()\n"
    proc = subprocess.run(
        [sys.executable, "-c", script, "import", "--json", *map(str, files)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return env, json.loads(proc.stdout)[0]["id"]


def loaded_by(argv: list[str], env: dict[str, str]) -> list[str]:
    """Run `ethicsdesk ARGV` through the console entry point on `env`'s database; return which of
    NOT_FOR_READING, jinja2 and rich it loaded."""
    watched = (*NOT_FOR_READING, "jinja2", "rich")
    script = (
        "import sys\n"
        f"sys.argv = ['ethicsdesk', *{argv!r}]\n"
        "from ethicsdesk.cli.launch import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        f"watched = {watched!r}\n"
        "print('LOADED:' + ','.join(h for h in watched if any(m == h or m.startswith(h + '.') for m in sys.modules)),"
        " file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()  # the command really printed something
    report = proc.stderr.strip().splitlines()[-1]
    assert report.startswith("LOADED:"), proc.stderr
    return [m for m in report.removeprefix("LOADED:").split(",") if m]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["show", "{id}"], []),  # English text: the tables need no rich (terminal_tables.py)
        (["list"], []),
        (["list", "--json"], []),
        (["list", "--search", "scarf"], []),
        (["export", "{id}", "--format", "json", "--out", "-"], []),
        (["export", "{id}", "--format", "md", "--out", "-"], ["jinja2"]),
        (["export", "{id}", "--format", "html", "--out", "-"], ["jinja2"]),
    ],
    ids=lambda a: " ".join(a) if "{id}" in a or "list" in a else "",
)
def test_everyday_commands_load_no_orm_and_no_command_line_library(
    records: tuple[dict[str, str], str], argv: list[str], expected: list[str]
) -> None:
    env, rid = records
    loaded = loaded_by([a.replace("{id}", rid) for a in argv], env)
    assert loaded == expected


def test_a_table_of_wide_text_loads_rich_for_its_widths(tmp_path: Path) -> None:
    """rich is loaded when a table holds text beyond ASCII, and only then; the guard can see it."""
    import os

    source = (Path(__file__).resolve().parent.parent / "dilemmas" / "gift-from-family.toml").read_text("utf-8")
    wide = tmp_path / "wide.toml"
    wide.write_text(re.sub(r'(?m)^title = ".*"$', 'title = "東京の贈り物"', source, count=1), encoding="utf-8")
    env = {**os.environ, "ETHICSDESK_HOME": str(tmp_path), "ETHICSDESK_DB": f"sqlite:///{tmp_path / 'w.db'}"}
    script = "import sys\nfrom ethicsdesk.cli.launch import main\nsys.argv = ['ethicsdesk', *sys.argv[1:]]\nmain()\n"
    command = [sys.executable, "-c", script, "import", str(wide)]
    done = subprocess.run(command, env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert loaded_by(["list"], env) == ["rich"]
    assert loaded_by(["list", "--json"], env) == []


def test_the_everyday_guard_can_see_the_orm(records: tuple[dict[str, str], str]) -> None:
    """The check above can fail: `verify` goes through the full service and loads SQLAlchemy."""
    env, rid = records
    assert "sqlalchemy" in loaded_by(["verify", rid], env)


# --- below the faces: no Textual (harlequin's import-hygiene idea) ------------------------------------
# The import-linter contract "headless" (pyproject.toml) forbids the import statically; this proves it
# at run time, for every module of each package, lazy imports that run at import time included.
HEADLESS = ("ethicsdesk.service", "ethicsdesk.reporting", "ethicsdesk.domain", "ethicsdesk.store")


def textual_after_importing(package: str) -> tuple[int, list[str]]:
    """Import every module of `package` in a fresh interpreter; (how many, the textual modules loaded)."""
    script = (
        "import importlib, pkgutil, sys\n"
        f"package = importlib.import_module({package!r})\n"
        "names = [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + '.')\n"
        "         if '.migrations.' not in m.name]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "print(len(names))\n"
        "print('LOADED:' + ','.join(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    count, loaded = proc.stdout.splitlines()[-2:]
    return int(count), [m for m in loaded.removeprefix("LOADED:").split(",") if m]


@pytest.mark.parametrize("package", HEADLESS)
def test_the_layers_below_the_faces_load_no_textual(package: str) -> None:
    count, loaded = textual_after_importing(package)
    assert count > 0  # the package's modules were really imported
    assert loaded == []


def test_the_headless_guard_can_see_textual() -> None:
    """The check above can fail: the same harness notices textual when a package loads it."""
    count, loaded = textual_after_importing("ethicsdesk.tui")
    assert count > 0
    assert "textual" in loaded
