"""Dilemma files (`dilemmas/*.toml`): read, validate, and find the shipped sample library.

A bad file is refused whole, with one message naming the file, the line where it can be found,
the field and what was expected. The format is the dilemma file contract (DESIGN.md).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)

from ethicsdesk.domain.client_part import FIELD_CHOICES, choice_problem
from ethicsdesk.domain.record import MAX_ITEMS, SOURCE_KINDS
from ethicsdesk.errors import BadInput
from ethicsdesk.knowledge import plain_toml
from ethicsdesk.knowledge.dilemma_bytes import MAX_FILE_BYTES, read_regular_file
from ethicsdesk.knowledge.dilemma_text import HUGE_NUMBER, MAX_KEY_PARTS, line_of_long_dotted_key
from ethicsdesk.terminal_text import shown

FORMAT = "ethicsdesk.dilemma/1"
MAX_LISTED = 20  # problems of one file listed with their lines; the rest are counted
SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
CCMC_PRINCIPLES = ("autonomy", "beneficence", "equity", "fidelity", "justice", "nonmaleficence", "veracity")

Slug = Annotated[StrictStr, Field(pattern=SLUG, max_length=64)]
# The same limits as the service's edits (service/editing.py), so an imported record holds nothing an
# edit of it would refuse to save: text 20,000 characters, labels and names 200, notes 2,000.
Text = Annotated[StrictStr, Field(min_length=1, max_length=20_000)]
OptionalText = Annotated[StrictStr, Field(max_length=20_000)]
Label = Annotated[StrictStr, Field(min_length=1, max_length=200)]
Score = Annotated[StrictInt, Field(ge=-2, le=2)]
Weight = Annotated[StrictInt, Field(ge=0, le=3)]
# A justification answer has the limit of any decision-check answer (service/editing.py `answer`).
Answer = Annotated[StrictStr, Field(min_length=1, max_length=4_000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StakeholderIn(_Strict):
    name: Label
    interest: OptionalText = ""


class OptionIn(_Strict):
    key: Slug
    label: Label
    description: OptionalText = ""


# Sources consulted and the plan belong to the reference: what the practitioner read and planned is
# part of the answer, which a trainee's copy of the sample leaves out (service/training.py).
class SourceIn(_Strict):
    kind: Literal["code", "policy", "law", "literature", "colleague", "document", "other"]
    detail: Annotated[StrictStr, Field(min_length=1, max_length=500)]


class PlanIn(_Strict):
    actions: OptionalText = ""  # who does what by when
    communication: OptionalText = ""  # how it is communicated, and to whom
    revisit: OptionalText = ""  # what would make the case manager look at the decision again


def _follow_up_text(value: object) -> object:
    """A TOML date (follow_up = 2026-12-15) as the text of that day; a date-shaped text that is not
    one day is refused here. A period ('in 14 days') and prose (older files) pass as text: the import
    settles them (`settle_follow_up`)."""
    from ethicsdesk.domain.dates import NotADate, file_follow_up

    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            file_follow_up(value, date.today())
        except NotADate as exc:
            raise _FieldProblem(("reference", "follow_up"), str(exc).rstrip(".")) from None
    return value


# Empty lists and tables are defaults made by a factory: a default value given as such is deep-copied
# into every model validated (three copies a small file); the dump without defaults is the same.
class ReferenceIn(_Strict):
    chosen: Slug
    rationale: Text
    discussion: Annotated[list[Text], Field(max_length=MAX_ITEMS["discussion"])] = Field(default_factory=list)
    weights: dict[str, Weight] = Field(default_factory=dict)
    scores: dict[str, dict[str, Score]]
    notes: dict[str, dict[str, Annotated[StrictStr, Field(max_length=2_000)]]] = Field(default_factory=dict)
    # What the choice costs: its mitigation, when to look again, and for each principle the chosen option
    # scores below zero the answers to the decide step's justification conditions (principle -> condition).
    mitigation: OptionalText = ""
    follow_up: OptionalText = ""  # a date, a period from the day of import, or prose
    justification: dict[str, dict[str, Answer]] = Field(default_factory=dict)
    sources: Annotated[list[SourceIn], Field(max_length=MAX_ITEMS["sources"])] = Field(default_factory=list)
    plan: PlanIn | None = None
    # Option key -> ticked floor or code rule -> "fails" or "meets": imported as the floor checks.
    floors: dict[str, dict[str, Literal["fails", "meets"]]] = Field(default_factory=dict)

    _follow_up = field_validator("follow_up", mode="before")(_follow_up_text)


class DilemmaIn(_Strict):
    format: Literal["ethicsdesk.dilemma/1"]
    id: Slug
    title: Annotated[StrictStr, Field(min_length=1, max_length=200)]
    summary: Text
    facts: Text
    setting: OptionalText = ""
    tags: Annotated[
        list[Annotated[StrictStr, Field(min_length=1, max_length=64)]], Field(max_length=MAX_ITEMS["tags"])
    ] = Field(default_factory=list)
    client_wishes: OptionalText = ""
    # Capacity as the case file has it (assessed, by whom, for which decision): given to a trainee too.
    capacity: OptionalText = ""
    case_code: Annotated[StrictStr, Field(max_length=64)] = ""
    identifiers: Annotated[
        list[Annotated[StrictStr, Field(min_length=1, max_length=200)]], Field(max_length=MAX_ITEMS["identifiers"])
    ] = Field(default_factory=list)
    question: OptionalText = ""
    obligations: Annotated[list[Slug], Field(max_length=MAX_ITEMS["obligations"])] = Field(default_factory=list)
    stakeholders: Annotated[list[StakeholderIn], Field(max_length=MAX_ITEMS["stakeholders"])] = Field(
        default_factory=list
    )
    options: Annotated[list[OptionIn], Field(min_length=2, max_length=MAX_ITEMS["options"])]
    reference: ReferenceIn | None = None
    # Optional: the case manager's own values, the medical or service facts (Jonsen's medical indications),
    # and who decides and the client's part; the two choices are checked against the walk's lists.
    own_values: OptionalText = ""
    medical_facts: OptionalText = ""
    decision_maker: Annotated[StrictStr, Field(max_length=64)] = ""
    client_involved: Annotated[StrictStr, Field(max_length=64)] = ""
    client_informed: OptionalText = ""

    @model_validator(mode="after")
    def _cross_check(self) -> DilemmaIn:
        for name in FIELD_CHOICES:
            problem = choice_problem(name, getattr(self, name))
            if problem is not None:
                raise _FieldProblem((name,), problem)
        keys = [o.key for o in self.options]
        dupes = sorted({k for k in keys if keys.count(k) > 1}) if len(set(keys)) != len(keys) else []
        if dupes:
            raise _FieldProblem(("options",), f"option keys must be unique; '{dupes[0]}' appears twice")
        known = _catalogue_ids()
        for ob in self.obligations:
            if ob not in known:
                raise _FieldProblem(("obligations",), f"'{ob}' is not in the obligation catalogue")
        ref = self.reference
        if ref is None:
            return self
        if ref.chosen not in keys:
            raise _FieldProblem(("reference", "chosen"), f"'{ref.chosen}' is not one of the option keys")
        for p in ref.weights:
            if p not in CCMC_PRINCIPLES:
                raise _FieldProblem(("reference", "weights", p), "expected one of the seven principle ids")
        from ethicsdesk.knowledge import load_catalogue

        floors = [o for o in self.obligations if load_catalogue().is_floor(o)]
        for table, allowed, what in (("scores", CCMC_PRINCIPLES, "one of the seven principle ids"),
                                     ("notes", CCMC_PRINCIPLES, "one of the seven principle ids"),
                                     ("floors", floors, "a floor or code rule in obligations")):
            for okey, row in getattr(ref, table).items():
                if okey not in keys:
                    raise _FieldProblem(("reference", table, okey), "expected one of the option keys")
                for p in row:
                    if p not in allowed:
                        raise _FieldProblem(("reference", table, okey, p), f"expected {what}")
        for okey in keys:
            missing = ", ".join(p for p in CCMC_PRINCIPLES if p not in ref.scores.get(okey, {}))
            if missing:
                raise _FieldProblem(("reference", "scores", okey), f"every principle needs a score; missing: {missing}")
        _check_justification(ref)
        return self


@cache
def _catalogue_ids() -> frozenset[str]:
    """The obligation ids of the shipped catalogue (itself read once), as a set made once, not per file."""
    from ethicsdesk.knowledge import load_catalogue

    return frozenset(load_catalogue().ids)


def _check_justification(ref: ReferenceIn) -> None:
    """Justification answers only for a principle the chosen option compromises, under known conditions:
    any other would never be asked for (the decide step and the report show only those), so it is refused."""
    from ethicsdesk.domain.checks import JUSTIFICATION_CONDITIONS

    conditions = [c.id for c in JUSTIFICATION_CONDITIONS]
    chosen_scores = ref.scores.get(ref.chosen, {})
    for p, answers in ref.justification.items():
        if p not in CCMC_PRINCIPLES:
            raise _FieldProblem(("reference", "justification", p), "expected one of the seven principle ids")
        for c in answers:
            if c not in conditions:
                raise _FieldProblem(
                    ("reference", "justification", p, c),
                    f"expected one of the justification conditions: {', '.join(conditions)}",
                )
        if chosen_scores.get(p, 0) >= 0:
            raise _FieldProblem(
                ("reference", "justification", p),
                f"the chosen option '{ref.chosen}' does not score {p} below zero, so there is nothing to justify",
            )


class _FieldProblem(ValueError):
    def __init__(self, loc: tuple[str, ...], msg: str) -> None:
        super().__init__(msg)
        self.loc = loc
        self.msg = msg


@dataclass(frozen=True)
class Dilemma:
    path: Path
    sha256: str
    data: DilemmaIn

    @property
    def id(self) -> str:
        return self.data.id

    def payload(self) -> dict[str, Any]:
        """The plain dictionary that a `record.imported` event carries."""
        return self.data.model_dump(mode="json", exclude_defaults=True)


# Linear: the name is one run of non-brackets, trimmed in code. The old pattern (`\s*([^\[\]]+?)\s*`)
# backtracked cubically on a long line of spaces after a "[" (2,000 spaces: 6 s; 8,000: over 5 min).
_HEADER = re.compile(r"^\s*(\[\[?)([^\[\]]+)\]\]?\s*(#.*)?$")


def _sections(text: str) -> list[tuple[tuple[str, ...], int, int, list[tuple[int, str]]]]:
    """The file's tables in order: (path, occurrence of that path, header line, its body lines).

    The top of the file, before any header, is the table with the path ()."""
    sections: list[tuple[tuple[str, ...], int, int, list[tuple[int, str]]]] = [((), 0, 0, [])]
    seen: dict[tuple[str, ...], int] = {}
    for i, line in enumerate(text.splitlines(), 1):
        m = _HEADER.match(line)
        if m is None:
            sections[-1][3].append((i, line))
            continue
        path = tuple(part.strip().strip("\"'") for part in m.group(2).strip().split("."))
        seen[path] = seen.get(path, -1) + 1
        sections.append((path, seen[path], i, []))
    return sections


def _line_of(
    text: str,
    loc: tuple[str | int, ...],
    sections: list[tuple[tuple[str, ...], int, int, list[tuple[int, str]]]] | None = None,
) -> int | None:
    """Best effort: the line that defines the deepest part of `loc` that the file spells out.

    A key is looked for only in the table it belongs to (`equity` under [reference.scores.x], not the
    first `equity =` in the file), and an index picks the n-th of a repeated [[table]]."""
    if sections is None:
        sections = _sections(text)
    for depth in range(len(loc), 0, -1):
        prefix, last = loc[:depth], loc[depth - 1]
        names = tuple(str(p) for p in prefix if isinstance(p, str))
        if isinstance(last, int):
            # the n-th [[table]] of an array of tables
            for path, nth, start, _body in sections:
                if path == names and nth == last:
                    return start
            continue
        parent = prefix[:-1]
        parent_names = names[:-1]
        nth_parent = parent[-1] if parent and isinstance(parent[-1], int) else None
        key = re.compile(r"^\s*[\"']?" + re.escape(last) + r"[\"']?\s*=")
        for path, nth, _start, body in sections:
            if path != parent_names or (nth_parent is not None and nth != nth_parent):
                continue
            for i, line in body:
                if last in line and key.match(line):  # the cheap test first: a section may be long
                    return i
        for path, _nth, start, _body in sections:
            if path == names:
                return start
    return None


def _shown(text: str) -> str:
    """A key or a file name from the file, in a one-line message: as \\u escapes whatever would
    break the line or act on a terminal."""
    return shown(text, one_line=True)


MAX_SHOWN_KEY = 60  # characters of a key quoted in a message: a 900 KB unknown key was echoed whole


def _describe_loc(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            key = part if len(part) <= MAX_SHOWN_KEY else f"{part[:MAX_SHOWN_KEY]}… ({len(part):,} characters)"
            out += ("." if out else "") + _shown(key)
    return out or "the file"


def _expected(err: dict[str, Any]) -> str:
    kind, msg = err["type"], err["msg"]
    if kind == "missing":
        return "this required field is missing"
    if kind == "extra_forbidden":
        return "this field is not part of the format (check its spelling)"
    if kind == "literal_error" and err["loc"] and err["loc"][-1] == "kind":
        return f"expected one of the kinds of source: {', '.join(SOURCE_KINDS)}"
    if kind == "literal_error":
        return f'expected format = "{FORMAT}"'
    if kind == "string_pattern_mismatch":
        return "expected lowercase letters, digits and dashes (for example 'return-home')"
    if kind in ("int_type", "int_parsing"):
        return "expected a whole number"
    if kind in ("less_than_equal", "greater_than_equal"):
        return msg[0].lower() + msg[1:]
    if kind == "too_short" and "options" in [str(p) for p in err["loc"]]:
        return "a dilemma needs at least two options"
    if kind == "too_long" and err["loc"] and str(err["loc"][-1]) in MAX_ITEMS:
        what = str(err["loc"][-1])
        given = err.get("ctx", {}).get("actual_length")
        return (
            f"at most {MAX_ITEMS[what]} {what}, more than a person can weigh"
            + (f" (this file has {given:,})" if isinstance(given, int) else "")
        )
    return msg[0].lower() + msg[1:]


def _nul_loc(data: object) -> tuple[str | int, ...] | None:
    """Where the parsed file holds a NUL character (a "\\u0000" escape): no database text takes one
    (PostgreSQL refuses it), so the file is refused here rather than half-way through an import."""
    stack: list[tuple[tuple[str | int, ...], object]] = [((), data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, str) and "\x00" in value:
            return loc
        if isinstance(value, dict):
            for k, v in value.items():
                if "\x00" in k:
                    return (*loc, k)
                stack.append(((*loc, k), v))
        elif isinstance(value, list):
            stack.extend(((*loc, i), v) for i, v in enumerate(value))
    return None


def read_dilemma(path: Path) -> Dilemma:
    """Read and validate one dilemma file, or raise BadInput naming file, line, field and expectation."""
    name = _shown(str(path))
    raw = read_regular_file(path, name)
    if len(raw) > MAX_FILE_BYTES:
        raise BadInput(f"{name}: is larger than 1 MiB; a dilemma file is a few kilobytes of text.")
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")  # a byte-order mark, as some editors save
    except UnicodeDecodeError:
        raise BadInput(f"{name}: is not a text file (it is not valid UTF-8).") from None
    if "\x00" in text:
        raise BadInput(f"{name}: is not a text file (it holds NUL bytes).")
    at = line_of_long_dotted_key(text)
    if at is not None:
        raise BadInput(f"{name}, line {at}: a key has more than {MAX_KEY_PARTS} dotted parts; a dilemma file needs 4.")
    try:
        # the plain TOML most files are read directly; anything else (and every refusal) is tomllib's
        data = plain_toml.loads(text)
        if data is None:
            data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"{name}: is not valid TOML: {exc}.") from None
    except RecursionError:
        raise BadInput(f"{name}: is nested too deeply to be a dilemma file.") from None
    except ValueError as exc:  # Python converts at most 4,300 digits to an int; tomllib lets that through
        huge = HUGE_NUMBER.search(text)
        if huge is None:
            raise BadInput(f"{name}: is not valid TOML: {_shown(str(exc))[:200]}.") from None
        at = text.count("\n", 0, huge.start()) + 1
        raise BadInput(
            f"{name}, line {at}: a number has more than 4,300 digits; scores run from -2 to 2 and weights from 0 to 3."
        ) from None
    # A raw NUL was refused above, so a parsed one can only come of an escape: without one in the
    # text, the walk through every value is skipped.
    nul = _nul_loc(data) if "\\u0000" in text or "\\U00000000" in text else None
    if nul is not None:
        nul_line = _line_of(text, nul)
        where = f"{name}, line {nul_line}" if nul_line else name
        raise BadInput(f"{where}: {_describe_loc(nul)}: expected text without NUL characters (\\u0000).")
    try:
        model = DilemmaIn.model_validate(data)
    except ValidationError as exc:
        problems = []
        errors = exc.errors()
        sections = _sections(text)  # once: each look-up below scans the file's lines
        # Each problem's line is looked up in the file, so a file with 100,000 bad list items (well
        # within 1 MiB) took minutes when every one was listed; the first MAX_LISTED are, then a count.
        loc: tuple[str | int, ...]
        for err in errors[:MAX_LISTED]:
            ctx_err = err.get("ctx", {}).get("error")
            if isinstance(ctx_err, _FieldProblem):
                loc, expected = ctx_err.loc, ctx_err.msg
            else:
                loc, expected = tuple(err["loc"]), _expected(dict(err))
            line = _line_of(text, loc, sections)
            where = f"{name}, line {line}" if line else name
            problems.append(f"{where}: {_describe_loc(loc)}: {_shown(expected)}.")
        if len(errors) > MAX_LISTED:
            problems.append(f"{name}: and {len(errors) - MAX_LISTED} more problems, not listed.")
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise DilemmaProblems(problems[0][:-1] + more + ".", problems) from None
    return Dilemma(path=path, sha256=hashlib.sha256(raw).hexdigest(), data=model)


class DilemmaProblems(BadInput):
    """A dilemma file that fails validation: the message names the first problem; `problems` has
    every one, each with file, line, field and what was expected (what `samples validate` prints)."""

    def __init__(self, message: str, problems: list[str], summary: str = "") -> None:
        super().__init__(message)
        self.problems = problems
        self.summary = summary or message  # what to say after the problems are listed


def samples_dir() -> Path:
    """The shipped sample library, from the checkout or from an installed wheel."""
    package = Path(__file__).resolve().parent.parent  # ethicsdesk/, beside _shipped/
    for candidate in (package / "_shipped" / "dilemmas", package.parent / "dilemmas"):
        if candidate.is_dir():
            return candidate
    raise BadInput("The sample library is missing from this installation.")


def sample_paths() -> list[Path]:
    return sorted(samples_dir().glob("*.toml"))


def find_sample(sample_id: str) -> Dilemma:
    for path in sample_paths():
        if path.stem == sample_id:
            return read_dilemma(path)
    from ethicsdesk.errors import NotFound

    raise NotFound(f"There is no sample dilemma '{sample_id}' (see 'ethicsdesk samples list').")
