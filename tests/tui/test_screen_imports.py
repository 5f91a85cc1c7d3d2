"""A screen knows the app's class for the type checker only: the app imports the screens to push
them, so a screen importing the app at run time would be a cycle. The import-linter contract
"acyclic" lets `screens -> app` through for that reason; this test holds the reason true."""

from __future__ import annotations

import ast
from pathlib import Path

import ethicsdesk.tui.screens

SCREENS = Path(ethicsdesk.tui.screens.__file__).parent


def runtime_imports_of_the_app(source: str, module: str = "ethicsdesk.tui.app") -> list[int]:
    """Lines that import `module` (the app) outside an `if TYPE_CHECKING:` block."""
    tree = ast.parse(source)
    type_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            type_only |= {id(n) for child in node.body for n in ast.walk(child)}
    found = []
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module == module:
            found.append(node.lineno)
        if isinstance(node, ast.Import) and any(a.name == module for a in node.names):
            found.append(node.lineno)
    return found


def test_no_screen_imports_the_app_at_run_time() -> None:
    found = {
        path.name: lines
        for path in sorted(SCREENS.glob("*.py"))
        if (lines := runtime_imports_of_the_app(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_check_sees_an_import_outside_type_checking() -> None:
    source = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ethicsdesk.tui.app import A\n"
    assert runtime_imports_of_the_app(source) == []
    assert runtime_imports_of_the_app(source + "def f():\n    from ethicsdesk.tui.app import A\n") == [5]


WALK = "ethicsdesk.tui.screens.walk"


def test_the_windows_the_walk_opens_name_it_for_the_type_checker_only() -> None:
    """The addendum and debrief windows are opened by a function given the walk screen; the walk
    imports them when they are opened, so they must not import it back at run time (pyproject's
    acyclic contract lets these two through for that reason)."""
    found = {
        name: lines
        for name in ("addendum.py", "debrief.py")
        if (lines := runtime_imports_of_the_app((SCREENS / name).read_text(encoding="utf-8"), WALK))
    }
    assert found == {}
