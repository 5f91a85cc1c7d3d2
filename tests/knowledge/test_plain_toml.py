"""The plain-TOML reader returns exactly what tomllib returns, or None; never a dictionary for a text
tomllib refuses, so every refusal stays tomllib's."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ethicsdesk.knowledge import plain_toml
from tests.conftest import DILEMMAS

SAMPLES = sorted(DILEMMAS.glob("*.toml"))
BENCH_FILE = Path(__file__).resolve().parents[2] / "bench" / "long_records.py"


def tomllib_or_error(text: str) -> Any:
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        return exc


def agrees(text: str) -> bool:
    """None, or what tomllib returns (and never a dictionary where tomllib refuses)."""
    got = plain_toml.loads(text)
    return got is None or got == tomllib_or_error(text)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_sample_is_read_plainly_and_as_tomllib_reads_it(path: Path) -> None:
    text = path.read_text()
    assert plain_toml.loads(text) == tomllib.loads(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('a = "x" # note\n\n# c\nb = -0\nc = true\n', {"a": "x", "b": 0, "c": True}),
        ('t = """\nline "one"\n""two"""\n', {"t": 'line "one"\n""two'}),
        ("l = 'lit \"q\"'\n", {"l": 'lit "q"'}),
        ('a = [ ]\nb = [\n  "x",\n  "y",\n]\n', {"a": [], "b": ["x", "y"]}),
        ("[[o]]\nk = 1\n[[o]]\nk = 2\n", {"o": [{"k": 1}, {"k": 2}]}),
        ("[r.s.x]\na = 1\n[r]\nb = 2\n[[r.t]]\n", {"r": {"s": {"x": {"a": 1}}, "b": 2, "t": [{}]}}),
        ("", {}),
    ],
)
def test_plain_toml_is_read_as_tomllib_reads_it(text: str, value: dict[str, Any]) -> None:
    assert tomllib.loads(text) == value
    assert plain_toml.loads(text) == value


@pytest.mark.parametrize(
    "text",
    [
        'a = "x"\na = "y"\n',  # a key twice
        "[t]\n[t]\n",  # a table twice
        "[t.u]\n[t]\nu = 1\n",  # a value over a table
        "x = []\n[[x]]\n",  # an array of tables over an array value
        "[[x]]\n[x]\n",  # a table over an array of tables
        "[x]\n[[x]]\n",
        'x = "s"\n[x.y]\n',  # a table under a value
        'a = "x" b = "y"\n',
        'a = "x\\ty"\n',  # escapes are tomllib's
        'a = "x"\r\nb = "y"\r\n',  # so are "\r" and tabs
        'a =\t"x"\n',
        'a = "x\x01"\n',
        "a = 01\n",
        "a = 1_000\n",
        "a = +1\n",
        "a = 1979-05-27\n",
        'a = """x""""\n',
        "a.b = 1\n",
        '"a" = 1\n',
        "[ t ]\n",
        "  a = 1\n",
        'a = ["x" "y"]\n',
        'a = [,"x"]\n',
        'a = ["x",,]\n',
        "a = [1]\n",
        "a = \n",
        "a = truex\n",
        "[[o]]\n[o.p]\n",  # a table in the last of an array of tables: tomllib's
    ],
)
def test_what_the_plain_reader_is_not_sure_of_is_left_to_tomllib(text: str) -> None:
    assert plain_toml.loads(text) is None
    assert agrees(text)


def test_the_bench_files_are_plain() -> None:
    """The import bench's files take the plain path (else the bench measures tomllib again). The
    bench's file is read, not imported: importing it would put bench/ on the path."""
    import ast

    tree = ast.parse(BENCH_FILE.read_text())
    [template] = [
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and [getattr(t, "id", None) for t in node.targets] == ["SMALL_DILEMMA"]
        and isinstance(node.value, ast.Constant)
    ]
    assert isinstance(template, str)
    text = template.format(n=7)
    assert plain_toml.loads(text) == tomllib.loads(text)


LINES = [
    "[a]", "[a.b]", "[[a]]", "[[a.b]]", "[b]", "[[b]]", "[a.b.c]", "[[c]]", "[c.d]", "[a.c]", "[[a.c]]",
    "[b.a]", "[ a ]", "a = 1", 'b = "x"', "a = []", 'b = ["x",]', "c = true", 'd = """\nx"""', "b = 2",
    "c = [ ]", "# c", "", "e = 'l'", "a.b = 1", "x = -0", "x = 007", "x=1#c", 'c = "y"', 'd = "q\\"q"',
    'a = """', '"""', "f = [", '"z",', "]", "g = false", "  h = 1", 'x = "\t"', "a = 9999999999999999999",
]  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=8), st.sampled_from(["\n", "\r\n", "\n\n"]))
def test_lines_in_any_order_are_read_as_tomllib_reads_them_or_left_to_it(lines: list[str], sep: str) -> None:
    assert agrees(sep.join(lines))


PIECES = [
    '"', "'", "[", "]", "[[", "]]", "=", "#", ".", "\n", " ", "\\", ",", '"""', "0", "-", "x", "\t", "\r", "01", "é",
    "\x7f", "\x01", "{", "}", "\n[reference]\n", "\n[[options]]\n", '\ntitle = "x"\n', "\n[tags]\n",
]  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(
    st.sampled_from(SAMPLES),
    st.lists(st.tuples(st.floats(0, 1), st.sampled_from(PIECES), st.integers(0, 3)), min_size=1, max_size=3),
)
def test_a_sample_with_a_few_characters_changed_is_read_as_tomllib_reads_it_or_left_to_it(
    path: Path, edits: list[tuple[float, str, int]]
) -> None:
    text = path.read_text()
    for where, piece, cut in edits:
        at = int(where * len(text))
        text = text[:at] + piece + text[at + cut :]
    assert agrees(text)
