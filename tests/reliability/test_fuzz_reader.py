"""Fuzz: generated dilemma files, valid and broken (mutated, truncated, binary, huge, deeply nested,
odd unicode). The reader returns a Dilemma or raises BadInput with a one-line message naming the
file: never another exception, never a hang. An import batch with one bad file writes nothing.

The bad shapes that once hung the reader are kept as explicit cases at the end: a long line of
spaces after a "[" (a cubic regular expression), a key with hundreds of thousands of dotted parts
(tomllib is quadratic in them), and a list of tens of thousands of bad items (every problem was
looked up in the file).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy.exc import OperationalError

from ethicsdesk.errors import BadInput, DatabaseProblem
from ethicsdesk.knowledge import load_catalogue
from ethicsdesk.knowledge.dilemma_files import CCMC_PRINCIPLES, MAX_FILE_BYTES, Dilemma, read_dilemma
from ethicsdesk.service import Service
from tests.conftest import DILEMMAS
from tests.reliability.conftest import FUZZ_EXAMPLES, HEAVY, IMPORT_EXAMPLES, row_counts

HUGE_EXAMPLES = 400 if HEAVY else 40  # each writes and reads up to 1 MiB

SLOW_OK = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large]


def fuzz_settings(examples: int) -> Any:
    return settings(max_examples=examples, deadline=None, database=None, suppress_health_check=SLOW_OK)


# --- writing TOML ----------------------------------------------------------------------------------
def q(text: str) -> str:
    """A TOML basic string holding exactly `text`."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def qlist(items: list[str]) -> str:
    return "[" + ", ".join(q(i) for i in items) + "]"


def to_toml(d: dict[str, Any]) -> str:
    """The dilemma file for the plain dictionary `d` (the shape of the dilemma file contract, DESIGN.md)."""
    lines = []
    for k, v in d.items():
        if isinstance(v, str):
            lines.append(f"{k} = {q(v)}")
        elif isinstance(v, list) and all(isinstance(i, str) for i in v):
            lines.append(f"{k} = {qlist(v)}")
    for s in d.get("stakeholders", []):
        lines += ["", "[[stakeholders]]", f"name = {q(s['name'])}", f"interest = {q(s['interest'])}"]
    for o in d["options"]:
        lines += ["", "[[options]]", f"key = {q(o['key'])}", f"label = {q(o['label'])}"]
        if "description" in o:
            lines.append(f"description = {q(o['description'])}")
    ref = d.get("reference")
    if ref:
        lines += ["", "[reference]", f"chosen = {q(ref['chosen'])}", f"rationale = {q(ref['rationale'])}"]
        if ref.get("discussion"):
            lines.append(f"discussion = {qlist(ref['discussion'])}")
        if ref.get("weights"):
            lines += ["", "[reference.weights]", *(f"{p} = {w}" for p, w in ref["weights"].items())]
        for okey, row in ref["scores"].items():
            lines += ["", f"[reference.scores.{okey}]", *(f"{p} = {s}" for p, s in row.items())]
        for okey, row in ref.get("notes", {}).items():
            lines += ["", f"[reference.notes.{okey}]", *(f"{p} = {q(n)}" for p, n in row.items())]
    return "\n".join(lines) + "\n"


# --- strategies ------------------------------------------------------------------------------------
# Any character a UTF-8 file can hold, except NUL (refused on purpose: no database text takes it);
# C0/C1 controls, bidi overrides, combining marks, emoji, CJK and right-to-left scripts included.
CHARS = st.characters(codec="utf-8", exclude_characters="\x00")
ODD = st.sampled_from(["\u202e", "\u200b", "\ufeff", "\u0301", "\x1b[31m", "\r", "\t", "עברית", "中文", "🧭", "\x85"])


def text(min_size: int = 1, max_size: int = 40) -> st.SearchStrategy[str]:
    """Random text, sometimes with one of the odd pieces inside (at most 25 characters then)."""
    odd = st.tuples(st.text(CHARS, max_size=10), ODD, st.text(CHARS, max_size=10)).map("".join)
    return st.one_of(st.text(CHARS, min_size=min_size, max_size=min(max_size, 30)), odd)


SLUG = st.lists(st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8), min_size=1, max_size=4).map(
    "-".join
)
OBLIGATIONS = load_catalogue().ids


@st.composite
def dilemma_dicts(draw: st.DrawFn) -> dict[str, Any]:
    """A valid dilemma as a plain dictionary, with random unicode in every text field."""
    keys = draw(st.lists(SLUG, min_size=2, max_size=4, unique=True))
    d: dict[str, Any] = {
        "format": "ethicsdesk.dilemma/1",
        "id": draw(SLUG),
        "title": draw(text(1, 200)),
        "summary": draw(text()),
        "facts": draw(text()),
    }
    optional_text = {
        "setting": text(0),
        "client_wishes": text(0),
        "capacity": text(0),
        "question": text(0),
        "case_code": text(0, 64),
    }
    for name, strategy in optional_text.items():
        if draw(st.booleans()):
            d[name] = draw(strategy)
    if draw(st.booleans()):
        d["tags"] = draw(st.lists(text(1, 64), max_size=3))
    if draw(st.booleans()):
        d["identifiers"] = draw(st.lists(text(1, 60), max_size=3))
    if draw(st.booleans()):
        d["obligations"] = draw(st.lists(st.sampled_from(OBLIGATIONS), max_size=4))
    d["stakeholders"] = draw(st.lists(st.fixed_dictionaries({"name": text(), "interest": text(0)}), max_size=2))
    d["options"] = [
        {"key": k, "label": draw(text()), **({"description": draw(text(0))} if draw(st.booleans()) else {})}
        for k in keys
    ]
    if draw(st.booleans()):
        principle = st.sampled_from(CCMC_PRINCIPLES)
        d["reference"] = {
            "chosen": draw(st.sampled_from(keys)),
            "rationale": draw(text()),
            "discussion": draw(st.lists(text(), max_size=2)),
            "weights": draw(st.dictionaries(principle, st.integers(0, 3), max_size=3)),
            "scores": {k: {p: draw(st.integers(-2, 2)) for p in CCMC_PRINCIPLES} for k in keys},
            "notes": draw(st.dictionaries(st.sampled_from(keys), st.dictionaries(principle, text(0), max_size=2))),
        }
    return d


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A valid file, then one to three edits a person or a disk could make to it."""
    lines = to_toml(draw(dilemma_dicts())).split("\n")
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["delete", "swap", "truncate", "duplicate", "insert", "replace-char"]))
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "delete":
            del lines[i]
        elif kind == "swap":  # another type of value
            value = draw(
                st.sampled_from(
                    ["42", "-7", "3.5", "true", "nan", "inf", "[1, 2]", '["a", 3]', "{ a = 1 }", '"text"', "''",
                     "1979-05-27T07:32:00Z", "07:32:00", "1979-05-27", "[]", "{}", '"""x"""', "0x1F", "1e400"]
                )
            )  # fmt: skip
            lines[i] = re.sub(r"=.*$", "= " + value, lines[i]) if "=" in lines[i] else value
        elif kind == "truncate":
            cut = "\n".join(lines)
            lines = cut[: draw(st.integers(0, len(cut)))].split("\n")
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "insert":
            lines.insert(i, draw(st.text(CHARS, max_size=30)))
        elif kind == "replace-char" and lines[i]:
            j = draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:j] + draw(st.sampled_from(list("[]{}\"'=.#\\\n,"))) + lines[i][j + 1 :]
        if not lines:
            lines = [""]
    return "\n".join(lines)


def nest(kind: str, depth: int) -> str:
    if kind == "arrays":
        return "[" * depth + "]" * depth
    if kind == "tables":
        return "{ a = " * depth + "1" + " }" * depth
    if kind == "mixed":
        return "[{ a = " * depth + "1" + " }]" * depth
    return "[" * depth  # never closed


@st.composite
def nested(draw: st.DrawFn) -> str:
    """Arrays and inline tables nested up to thousands deep, where a field or an unknown key is."""
    value = nest(draw(st.sampled_from(["arrays", "tables", "mixed", "unclosed"])), draw(st.integers(1, 4000)))
    base = to_toml(draw(dilemma_dicts()))
    where = draw(st.sampled_from(["unknown", "tags", "title", "options", "scores"]))
    if where == "unknown":
        return base + f"\nzzz = {value}\n"
    if where == "scores":
        return base + f"\n[reference.scores.deep]\nautonomy = {value}\n"
    replaced = re.sub(rf"(?m)^{where} = .*$", lambda _: f"{where} = {value}", base, count=1)
    return replaced if replaced != base else f"{where} = {value}\n{base}"


def utf8(s: str) -> bytes:
    return s.encode("utf-8")


ANY_FILE = st.one_of(
    dilemma_dicts().map(to_toml).map(utf8),
    mutated().map(utf8),
    nested().map(utf8),
    st.binary(max_size=3_000),
    st.text(CHARS, max_size=500).map(utf8),
    dilemma_dicts().map(to_toml).map(utf8).flatmap(lambda b: st.binary(max_size=8).map(lambda x: x + b)),  # BOM etc.
)


# --- the properties --------------------------------------------------------------------------------
_counter = itertools.count()


def write(folder: Path, data: bytes) -> Path:
    path = folder / f"dilemma-{next(_counter)}.toml"
    path.write_bytes(data)
    return path


def read_or_refuse(path: Path) -> Dilemma | BadInput:
    """The reader's answer: a Dilemma, or BadInput whose message is one line that names the file.
    Any other exception propagates and fails the test."""
    try:
        return read_dilemma(path)
    except BadInput as exc:
        message = exc.message
        assert str(path) in message, message[:300]
        assert "\n" not in message and "\r" not in message, repr(message[:300])
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", message), repr(
            message[:300]
        )
        return exc


@fuzz_settings(FUZZ_EXAMPLES)
@given(d=dilemma_dicts())
def test_valid_files_are_read_exactly(tmp_path: Path, d: dict[str, Any]) -> None:
    found = read_or_refuse(write(tmp_path, utf8(to_toml(d))))
    assert isinstance(found, Dilemma), found
    data = found.data
    assert (data.id, data.title, data.summary, data.facts) == (d["id"], d["title"], d["summary"], d["facts"])
    for name in ("setting", "client_wishes", "capacity", "question", "case_code", "tags", "identifiers", "obligations"):
        assert getattr(data, name) == d.get(name, getattr(data, name)), name
    assert [(o.key, o.label, o.description) for o in data.options] == [
        (o["key"], o["label"], o.get("description", "")) for o in d["options"]
    ]
    assert [(s.name, s.interest) for s in data.stakeholders] == [(s["name"], s["interest"]) for s in d["stakeholders"]]
    if "reference" in d:
        assert data.reference is not None
        ref = d["reference"]
        assert (data.reference.chosen, data.reference.rationale) == (ref["chosen"], ref["rationale"])
        assert data.reference.scores == d["reference"]["scores"]
        assert data.reference.notes == d["reference"]["notes"]


@fuzz_settings(FUZZ_EXAMPLES)
@given(data=ANY_FILE)
def test_any_file_is_read_or_refused_in_one_line(tmp_path: Path, data: bytes) -> None:
    read_or_refuse(write(tmp_path, data))


@st.composite
def huge(draw: st.DrawFn) -> tuple[bytes, bool | None]:
    """Files near and over 1 MiB: (bytes, whether the reader must accept them; None: either)."""
    d = draw(dilemma_dicts())
    d.pop("tags", None)
    base = to_toml(d)
    size = MAX_FILE_BYTES + draw(st.sampled_from([-1, 0, 1, 2, 4096, -4096, -(2**19)]))
    kind = draw(st.sampled_from(["comment", "facts", "spaces-after-bracket", "bad-items", "dotted-key", "keys"]))
    event(f"{kind}, {'over' if size > MAX_FILE_BYTES else 'within'} the limit")
    if kind == "comment":  # a valid file padded with a comment: accepted up to the limit, refused above
        pad = size - len(utf8(base)) - len("#\n")
        return utf8(base + "#" + "x" * pad + "\n"), size <= MAX_FILE_BYTES
    if kind == "facts":  # one string of a megabyte (over the field's limit)
        facts = "facts = " + q("é" * ((size - len(utf8(base))) // 2))
        return utf8(re.sub(r"(?m)^facts = .*$", lambda _: facts, base, count=1)), False
    if kind == "spaces-after-bracket":  # inside a multi-line string, and the title missing
        body = "[" + " " * (size - len(base) - 100) + "x"
        return utf8(re.sub(r"(?m)^title = .*$", "", base) + f'\nsetting = """\n{body}\n"""\n'), False
    if kind == "bad-items":  # tens of thousands of problems, each on its own line, far down the file
        n = (size - len(base)) // 5
        return utf8("#\n" * n + "tags = [\n" + "1,\n" * n + "]\n" + base), False
    if kind == "dotted-key":
        n = (size - len(base)) // 2 - 10
        return utf8("a" + ".a" * n + " = 1\n" + base), False
    n = (size - len(base)) // 12  # many unknown keys, each a problem
    return utf8(base + "".join(f"k{i:07d} = 1\n" for i in range(n))), False


@pytest.mark.slow
@fuzz_settings(HUGE_EXAMPLES)
@given(case=huge())
def test_huge_files_are_read_or_refused(tmp_path: Path, case: tuple[bytes, bool | None]) -> None:
    data, accepted = case
    found = read_or_refuse(write(tmp_path, data))
    if accepted is not None:
        assert isinstance(found, Dilemma) == accepted, (len(data), found)
    if len(data) > MAX_FILE_BYTES:
        assert isinstance(found, BadInput) and "larger than 1 MiB" in found.message


# --- an import batch with one bad file writes nothing -------------------------------------------
@st.composite
def broken(draw: st.DrawFn) -> bytes:
    """A file the reader must refuse, whatever else it holds."""
    d = draw(dilemma_dicts())
    kind = draw(st.sampled_from(["no-format", "bad-id", "one-option", "bad-choice", "bytes", "nested", "truncated"]))
    if kind == "no-format":
        return utf8(to_toml(d).replace('format = "ethicsdesk.dilemma/1"\n', ""))
    if kind == "bad-id":
        d["id"] = draw(st.sampled_from(["Not A Slug", "", "-x", "a--b", "x" * 65]))
    elif kind == "one-option":
        d["options"] = d["options"][:1]
        d.pop("reference", None)
    elif kind == "bad-choice":
        d["reference"] = {"chosen": "no-such-option", "rationale": "r", "scores": {}}
    elif kind == "bytes":
        return draw(st.binary(min_size=1, max_size=200)).replace(b"\xff", b"") + b"\xff\xfe"  # never UTF-8
    elif kind == "nested":
        return utf8(to_toml(d) + "\nzzz = " + nest("arrays", draw(st.integers(1, 3000))) + "\n")
    else:
        full = to_toml(d)
        return utf8(full[: full.index("[[options]]")])  # no options at all
    return utf8(to_toml(d))


@fuzz_settings(IMPORT_EXAMPLES)
@given(good=st.lists(dilemma_dicts(), max_size=3), bad=broken(), at=st.integers(0, 3))
def test_a_batch_with_one_bad_file_writes_nothing(
    service: Service, tmp_path: Path, good: list[dict[str, Any]], bad: bytes, at: int
) -> None:
    paths = [write(tmp_path, utf8(to_toml(d))) for d in good]
    bad_path = write(tmp_path, bad)
    paths.insert(min(at, len(paths)), bad_path)
    db = tmp_path / "test.db"
    before = row_counts(db)
    with pytest.raises(BadInput) as refused:
        service.importing.import_files(paths)
    assert str(bad_path) in refused.value.message
    assert row_counts(db) == before
    # the good files alone land whole, and every record they make verifies
    if good:
        ids = service.importing.import_files([p for p in paths if p != bad_path])
        assert len(ids) == len(good)
        for rid in ids:
            assert service.integrity.verify(rid) == (1, [])


def test_an_import_that_fails_in_the_database_writes_nothing(
    service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every file is valid, but the database fails after the records' rows and before their events."""
    from ethicsdesk.service import importing

    paths = [DILEMMAS / "gift-from-family.toml", DILEMMAS / "impaired-colleague.toml"]
    service.importing.import_files(paths[:1])
    before = row_counts(tmp_path / "test.db")
    real = importing.write_new_projections

    def then_fail(session: Any, items: Any) -> None:
        real(session, items)
        raise OperationalError("INSERT INTO events", {}, Exception("disk I/O error"))

    monkeypatch.setattr(importing, "write_new_projections", then_fail)
    with pytest.raises(DatabaseProblem, match="nothing was written"):
        service.importing.import_files(paths)
    assert row_counts(tmp_path / "test.db") == before
    assert service.integrity.verify()[1] == []


# --- shapes that once hung or broke the reader, kept as plain cases ------------------------------
GIFT = (DILEMMAS / "gift-from-family.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "body", "expected"),
    [
        pytest.param(
            "brackets.toml",
            GIFT.replace('facts = """', 'facts = """\n[' + " " * 200_000 + "x\n", 1).replace("title =", "titl =", 1),
            "title: this required field is missing",
            id="spaces after a bracket (was cubic)",
        ),
        pytest.param(
            "dotted.toml", "a" + ".a" * 400_000 + " = 1\n", "line 1: a key has more than 64 dotted parts",
            id="dotted key",
        ),
        pytest.param(
            "items.toml", GIFT + "zzz = 1\n" + "#\n" * 60_000 + "tags = [\n" + "1,\n" * 60_000 + "]\n",
            "more problems", id="sixty thousand problems",
        ),
        pytest.param(
            "nul.toml", GIFT.replace('title = "', 'title = "\\u0000', 1),
            "line 3: title: expected text without NUL characters", id="NUL escape",
        ),
        pytest.param(
            "key.toml", GIFT.replace("[reference.weights]", '[reference.weights]\n"x\\n\\u001b[2Jy" = 1', 1),
            "reference.weights.x\\u000a\\u001b[2Jy", id="line break and escape in a key",
        ),
    ],
)  # fmt: skip
def test_shapes_that_once_hung_or_broke_the_reader(tmp_path: Path, name: str, body: str, expected: str) -> None:
    found = read_or_refuse(write(tmp_path, utf8(body)))
    assert isinstance(found, BadInput)
    assert expected in found.message


def test_a_file_name_with_a_line_break_is_named_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "two\nlines\x1b[2J.toml"
    path.write_text("not = [toml", encoding="utf-8")
    with pytest.raises(BadInput) as refused:
        read_dilemma(path)
    assert "two\\u000alines\\u001b[2J.toml" in refused.value.message
    assert "\n" not in refused.value.message and "\x1b" not in refused.value.message
