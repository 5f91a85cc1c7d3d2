"""Ethical frameworks as data: the principles an option is weighed against.

The default framework is the seven principles of the CCMC Code of Professional Conduct; an agency
may ship its own (for example Beauchamp and Childress's four). A framework arrives here as the
plain dict a TOML file parses to; `parse_framework` checks it and freezes it. Reading files is the
loader's job (ethicsdesk.knowledge): this module does no I/O.

A framework file looks like this (keys not listed are refused, so a misspelt key is caught):

    id = "ccmc"                 # [a-z0-9-]+; records store it with the version
    version = "1"               # a string (an integer is accepted and turned into one)
    name = "..."
    source = "..."              # optional: where the principles come from
    priority = ["...", ...]     # optional: every principle id once; the ranked view's default order
    priority_source = "..."     # optional: where that order comes from (shown with the ranked view)
    protection_of_life = "..."  # optional: the principle that goes first when a floor about life
                                # is ticked (Dolgoff's first screen); without it the order never moves
    together = [["...", "..."]] # optional: principles that share one rank of the default order (each
                                # group next to each other in `priority`); the ranked view adds their
                                # scores there (Dolgoff's second screen is justice and equity at once)
    [[principles]]              # at least two, in display order
    id = "autonomy"
    name = "Autonomy"
    definition = "..."
    asks = "..."                # what the principle asks of a case manager
    nacm = [1, 2]               # optional: the NACM commitments (1-28) it draws on
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

# The default framework's id is declared beside the record that defaults to it, and named here too.
from ethicsdesk.domain.record import DEFAULT_FRAMEWORK as DEFAULT_FRAMEWORK
from ethicsdesk.domain.record import DomainError

# The default framework's ids are part of the principles contract (DESIGN.md): reports, dilemma files
# and other programs name principles by these ids.
CCMC_PRINCIPLE_IDS = (
    "autonomy",
    "beneficence",
    "equity",
    "fidelity",
    "justice",
    "nonmaleficence",
    "veracity",
)

# The NACM Code of Ethics has 28 numbered commitments; a framework citing any other number is wrong.
NACM_COMMITMENTS = range(1, 29)

ID_PATTERN = re.compile(r"[a-z0-9-]+")


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


Identified = TypeVar("Identified", bound=_Identified)


def by_id(items: Iterable[Identified], wanted: str, missing: str) -> Identified:
    """The item whose id is `wanted` (a principle, a provision); KeyError saying `missing` if none is."""
    found = next((item for item in items if item.id == wanted), None)
    if found is None:
        raise KeyError(missing)
    return found

_FRAMEWORK_KEYS = frozenset(
    {"id", "version", "name", "source", "priority", "priority_source", "protection_of_life", "together", "principles"}
)
_PRINCIPLE_KEYS = frozenset({"id", "name", "definition", "asks", "nacm"})


class FrameworkError(DomainError):
    """A framework file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class Principle:
    id: str
    name: str
    definition: str
    asks: str  # what the principle asks of a case manager, in a line
    nacm: tuple[int, ...] = ()  # the NACM commitments it draws on


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    version: str
    principles: tuple[Principle, ...]
    priority: tuple[str, ...]  # principle ids, most important first (the ranked view's default)
    source: str = ""
    priority_source: str = ""  # where the default order comes from, in a sentence
    protection_of_life: str = ""  # the principle put first when a floor about life is ticked
    together: tuple[tuple[str, ...], ...] = ()  # principles sharing one rank of the default order

    def ranked_order(self, life_at_stake: bool) -> tuple[str, ...]:
        """The ranked view's default order for a record.

        Only when a floor about life is ticked (`life_at_stake`), and only when the framework names
        a principle for it, does protection of life go first: Dolgoff's screen puts life first
        where life is at stake, not for every dilemma.
        """
        if life_at_stake and self.protection_of_life:
            return (self.protection_of_life, *(p for p in self.priority if p != self.protection_of_life))
        return self.priority

    @property
    def ids(self) -> tuple[str, ...]:
        """The principle ids in display order."""
        return tuple(p.id for p in self.principles)

    def principle(self, principle_id: str) -> Principle:
        """The principle with this id; KeyError when the framework has none."""
        return by_id(self.principles, principle_id, f"the framework '{self.id}' has no principle '{principle_id}'")

    def name_of(self, principle_id: str) -> str:
        """The principle's display name, or the id itself for a principle this framework lacks."""
        for p in self.principles:
            if p.id == principle_id:
                return p.name
        return principle_id

    @property
    def names(self) -> dict[str, str]:
        return {p.id: p.name for p in self.principles}


def _fail(origin: str, problem: str) -> FrameworkError:
    return FrameworkError(f"The framework file {origin} cannot be used: {problem}.")


def _text(table: Mapping[str, Any], key: str, where: str, origin: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(origin, f"{where} needs '{key}' as non-empty text")
    return value.strip()


def _check_keys(table: Mapping[str, Any], allowed: frozenset[str], where: str, origin: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise _fail(origin, f"{where} has unknown key '{unknown[0]}' (known: {', '.join(sorted(allowed))})")


def _parse_principle(raw: Any, position: int, origin: str) -> Principle:
    where = f"principle {position}"
    if not isinstance(raw, Mapping):
        raise _fail(origin, f"{where} is not a table")
    _check_keys(raw, _PRINCIPLE_KEYS, where, origin)
    pid = _text(raw, "id", where, origin)
    if not ID_PATTERN.fullmatch(pid):
        raise _fail(origin, f"{where} has id '{pid}', but ids use only a-z, 0-9 and '-'")
    where = f"principle '{pid}'"
    nacm_raw = raw.get("nacm", [])
    # bool is an int subclass; `true` in a list of commitment numbers is a typo, not commitment 1.
    if not isinstance(nacm_raw, list) or not all(isinstance(n, int) and not isinstance(n, bool) for n in nacm_raw):
        raise _fail(origin, f"{where} needs 'nacm' as a list of commitment numbers")
    for n in nacm_raw:
        if n not in NACM_COMMITMENTS:
            raise _fail(origin, f"{where} cites NACM {n}, but the NACM commitments run from 1 to 28")
    if len(set(nacm_raw)) != len(nacm_raw):
        raise _fail(origin, f"{where} cites an NACM commitment twice")
    return Principle(
        id=pid,
        name=_text(raw, "name", where, origin),
        definition=_text(raw, "definition", where, origin),
        asks=_text(raw, "asks", where, origin),
        nacm=tuple(nacm_raw),
    )


def _parse_priority(priority_raw: Any, ids: list[str], origin: str) -> list[str]:
    """`priority`: every principle id exactly once."""
    if not isinstance(priority_raw, list) or not all(isinstance(p, str) for p in priority_raw):
        raise _fail(origin, "'priority' must be a list of principle ids")
    for pid in priority_raw:
        if pid not in ids:
            raise _fail(origin, f"'priority' names '{pid}', which is not a principle of this framework")
        if priority_raw.count(pid) > 1:
            raise _fail(origin, f"'priority' names '{pid}' twice")
    missing = [pid for pid in ids if pid not in priority_raw]
    if missing:
        raise _fail(origin, f"'priority' leaves out '{missing[0]}'; it must list every principle once")
    return priority_raw


def _parse_together(raw: Any, priority: tuple[str, ...], origin: str) -> tuple[tuple[str, ...], ...]:
    """The groups of principles that share a rank: each of two or more principles, none in two
    groups, and each standing together in `priority` (else the default order would split it)."""
    if not isinstance(raw, list) or not all(
        isinstance(group, list) and all(isinstance(p, str) for p in group) for group in raw
    ):
        raise _fail(origin, "'together' must be a list of lists of principle ids")
    seen: set[str] = set()
    for group in raw:
        if len(group) < 2:
            raise _fail(origin, "each group of 'together' names at least two principles")
        for pid in group:
            if pid not in priority:
                raise _fail(origin, f"'together' names '{pid}', which is not a principle of this framework")
            if pid in seen:
                raise _fail(origin, f"'together' names '{pid}' twice")
            seen.add(pid)
        places = sorted(priority.index(p) for p in group)
        if places[-1] - places[0] != len(group) - 1:
            raise _fail(origin, f"the group {' and '.join(group)} of 'together' must stand together in 'priority'")
    return tuple(tuple(group) for group in raw)


def parse_framework(data: Mapping[str, Any], origin: str) -> Framework:
    """Check a parsed framework file and return it frozen.

    `origin` names the file in error messages. Rules: the framework id and every principle id match
    [a-z0-9-]+; principle ids are unique; there are at least two principles (one cannot conflict
    with itself); `priority`, when given, lists every principle id exactly once, and when absent it
    is the principles' own order. Any breach raises FrameworkError with one sentence.
    """
    if not isinstance(data, Mapping):
        raise _fail(origin, "the file is not a table of keys")
    _check_keys(data, _FRAMEWORK_KEYS, "the framework", origin)
    fid = _text(data, "id", "the framework", origin)
    if not ID_PATTERN.fullmatch(fid):
        raise _fail(origin, f"the framework id '{fid}' may use only a-z, 0-9 and '-'")
    version_raw = data.get("version")
    if isinstance(version_raw, int) and not isinstance(version_raw, bool):
        version_raw = str(version_raw)
    if not isinstance(version_raw, str) or not version_raw.strip():
        raise _fail(origin, "the framework needs 'version' as text, for example \"1\"")
    name = _text(data, "name", "the framework", origin)
    source = data.get("source", "")
    if not isinstance(source, str):
        raise _fail(origin, "'source' must be text")

    raw_principles = data.get("principles")
    if not isinstance(raw_principles, list):
        raise _fail(origin, "the framework needs [[principles]] tables")
    principles = tuple(_parse_principle(raw, i, origin) for i, raw in enumerate(raw_principles, 1))
    if len(principles) < 2:
        raise _fail(origin, "a framework needs at least two principles, since a dilemma is a conflict between them")
    ids = [p.id for p in principles]
    for pid in ids:
        if ids.count(pid) > 1:
            raise _fail(origin, f"the principle id '{pid}' appears twice")

    priority_raw = _parse_priority(data.get("priority", ids), ids, origin)

    priority_source = data.get("priority_source", "")
    if not isinstance(priority_source, str):
        raise _fail(origin, "'priority_source' must be text")
    life = data.get("protection_of_life", "")
    if not isinstance(life, str) or (life and life not in ids):
        raise _fail(origin, f"'protection_of_life' must name a principle of this framework, not '{life}'")

    together = _parse_together(data.get("together", []), tuple(priority_raw), origin)
    return Framework(
        id=fid,
        name=name,
        version=version_raw.strip(),
        principles=principles,
        priority=tuple(priority_raw),
        source=source.strip(),
        priority_source=priority_source.strip(),
        protection_of_life=life,
        together=together,
    )
