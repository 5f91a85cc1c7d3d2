"""The obligation catalogue: the duties a dilemma can touch and the code provisions behind them.

A catalogue arrives as the plain dicts of two TOML files (obligations.toml and provisions.toml,
read by ethicsdesk.knowledge); `parse_catalogue` checks them against each other and freezes them.
No I/O here.

Some obligations are a *floor* that weighing cannot override. Its kind (`floor`) is "legal" (a legal
duty, hedged because law differs by place: duty to warn or protect, mandated reporting), "safety"
(a priority of protecting life that is not a legal duty in general: imminent risk of harm) or
"rule" (a clear rule of the codes). A floor `about_life` puts protection of life first in the
ranked view. Each floor carries `requires_now`: its own steps first, then the general steps its
kind shares. Legal and safety floors share the `[floor]` table's steps for the next hour (consult
now, follow the law and any crisis protocol, share only what the duty needs); code rules share the
`[rule]` table's (decline, disclose, record, consult before acting), since a code rule puts no one in
danger today. The catalogue's `floor_note` says that ethicsdesk treats no jurisdiction's law as
settled.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ethicsdesk.domain.frameworks import CCMC_PRINCIPLE_IDS, ID_PATTERN, by_id
from ethicsdesk.domain.record import DomainError

_OBLIGATION_KEYS = frozenset(
    {"id", "name", "description", "principles", "provisions", "floor", "about_life", "requires_now"}
)
_PROVISION_KEYS = frozenset({"id", "summary", "source", "seed", "anchor", "seed_note"})

# The kinds of floor, as the JSON report's `obligations[].floor` names them (the JSON report contract, DESIGN.md).
FLOOR_KINDS = ("legal", "safety", "rule")
FLOOR_NAMES = {"legal": "legal floor", "safety": "safety floor", "rule": "code rule"}


class CatalogueError(DomainError):
    """The shipped catalogue files disagree with each other or with the principles."""


@dataclass(frozen=True)
class Provision:
    id: str  # how a rationale cites it: "NACM 18", "CCMC Rule 5", "HIPAA minimum necessary"
    summary: str  # in the project's own words, never the code's sentence
    source: str  # the document it comes from
    seed: str = ""  # the seed file it summarises; empty for law the seeds do not hold
    anchor: str = ""  # a short phrase of that seed's numbered item, so number and text stay together
    seed_note: str = ""  # why no seed holds it (law; CCMC Principle 6, which the seed slide omits)


@dataclass(frozen=True)
class Obligation:
    id: str
    name: str
    description: str
    principles: tuple[str, ...]  # CCMC principle ids it bears on
    provisions: tuple[str, ...]  # Provision ids it rests on
    floor: str | None = None  # "legal", "safety", "rule" (FLOOR_KINDS), or None: weighing may settle it
    about_life: bool = False  # a floor about life: protection of life heads the ranked view
    requires_now: tuple[str, ...] = ()  # floors only: steps for the next hour

    @property
    def legal_floor(self) -> bool:
        """A legal duty (the JSON report's `legal_floor`); safety floors and code rules are not."""
        return self.floor == "legal"

    @property
    def floor_name(self) -> str:
        """ "legal floor", "safety floor", "code rule", or "" when weighing may settle it."""
        return FLOOR_NAMES.get(self.floor or "", "")


@dataclass(frozen=True)
class Catalogue:
    obligations: tuple[Obligation, ...]
    provisions: tuple[Provision, ...]
    floor_note: str = ""  # ethicsdesk names no jurisdiction's law as settled

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.obligations)

    @property
    def floors(self) -> tuple[Obligation, ...]:
        """Every obligation weighing cannot override, whatever its kind."""
        return tuple(o for o in self.obligations if o.floor)

    def obligation(self, obligation_id: str) -> Obligation:
        """The obligation with this id; KeyError when the catalogue has none."""
        for o in self.obligations:
            if o.id == obligation_id:
                return o
        raise KeyError(f"the catalogue has no obligation '{obligation_id}'")

    def get(self, obligation_id: str) -> Obligation | None:
        return next((o for o in self.obligations if o.id == obligation_id), None)

    def provision(self, provision_id: str) -> Provision:
        """The provision with this id; KeyError when the catalogue has none."""
        return by_id(self.provisions, provision_id, f"the catalogue has no provision '{provision_id}'")

    def is_floor(self, obligation_id: str) -> bool:
        found = self.get(obligation_id)
        return found is not None and found.floor is not None

    def life_floor_ticked(self, ticked: Iterable[str]) -> list[str]:
        """The ticked floors about life (catalogue order): they put protection of life first."""
        wanted = set(ticked)
        return [o.id for o in self.obligations if o.about_life and o.id in wanted]


@dataclass(frozen=True)
class RulesScreen:
    """Whether a rule, not weighing, answers the question, and which options it rules out."""

    applies: bool  # a ticked obligation is a floor (legal, safety or code rule)
    floors: list[str]  # ticked floors, catalogue order
    excluded: dict[str, list[str]]  # option -> floors it was checked and found not to honour
    unchecked: dict[str, list[str]]  # option -> floors not yet checked for it
    text: str
    note: str = ""  # the catalogue's reminder that no jurisdiction's law is taken as settled
    # option -> the code rules (floor "rule") among its `excluded`: an option "breaks" a code rule,
    # it does not "fail" a floor, and every face says which (Dolgoff's Ethical Rules Screen)
    broken_rules: dict[str, list[str]] = field(default_factory=dict)

    def fails_floor(self, option: str) -> list[str]:
        """The legal and safety floors this option was found not to honour (its code rules apart)."""
        return [f for f in self.excluded.get(option, []) if f not in self.broken_rules.get(option, [])]


def _fail(problem: str) -> CatalogueError:
    return CatalogueError(f"The obligation catalogue cannot be used: {problem}.")


def _text(table: Mapping[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _fail(f"{where} needs '{key}' as non-empty text")
    return value.strip()


def _texts(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _fail(f"{where} needs '{key}' as a list of non-empty texts")
    if len(set(value)) != len(value):
        raise _fail(f"{where} lists an entry of '{key}' twice")
    return tuple(v.strip() for v in value)


def _check_keys(table: Mapping[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise _fail(f"{where} has unknown key '{unknown[0]}'")


def _parse_provisions(data: Mapping[str, Any]) -> tuple[Provision, ...]:
    raw = data.get("provision")
    if not isinstance(raw, list) or not raw:
        raise _fail("provisions.toml needs [[provision]] tables")
    provisions: list[Provision] = []
    for i, table in enumerate(raw, 1):
        if not isinstance(table, Mapping):
            raise _fail(f"provision {i} is not a table")
        _check_keys(table, _PROVISION_KEYS, f"provision {i}")
        pid = _text(table, "id", f"provision {i}")
        where = f"provision '{pid}'"
        if any(p.id == pid for p in provisions):
            raise _fail(f"{where} appears twice")
        seed = table.get("seed", "")
        if not isinstance(seed, str):
            raise _fail(f"{where} needs 'seed' as text")
        if seed:
            anchor = _text(table, "anchor", where)
            note = ""
        else:
            # A provision no seed holds must say why, so a reviewer never has to guess.
            note = _text(table, "seed_note", where)
            anchor = ""
        provisions.append(
            Provision(pid, _text(table, "summary", where), _text(table, "source", where), seed, anchor, note)
        )
    return tuple(provisions)


def _known_ids(table: Any, key: str, where: str, known: Collection[str], none: str, unknown: str) -> tuple[str, ...]:
    """The ids listed under `key`: at least one, and each of them `known` (else the sentence `none`,
    or `unknown` naming the stranger)."""
    ids = _texts(table, key, where)
    if not ids:
        raise _fail(f"{where} {none}")
    for found in ids:
        if found not in known:
            raise _fail(f"{where} {unknown.format(found)}")
    return ids


def _parse_obligation(
    table: Any,
    position: int,
    provision_ids: Collection[str],
    principle_ids: Collection[str],
    shared_steps: Mapping[str, tuple[str, ...]],
) -> Obligation:
    if not isinstance(table, Mapping):
        raise _fail(f"obligation {position} is not a table")
    _check_keys(table, _OBLIGATION_KEYS, f"obligation {position}")
    oid = _text(table, "id", f"obligation {position}")
    if not ID_PATTERN.fullmatch(oid):
        raise _fail(f"obligation {position} has id '{oid}', but ids use only a-z, 0-9 and '-'")
    where = f"obligation '{oid}'"
    not_ccmc = "names '{}', which is not a CCMC principle"
    principles = _known_ids(table, "principles", where, principle_ids, "names no principle it bears on", not_ccmc)
    not_held = "cites '{}', which provisions.toml does not hold"
    provisions = _known_ids(table, "provisions", where, provision_ids, "cites no provision", not_held)
    floor = table.get("floor")
    if floor is not None and floor not in FLOOR_KINDS:
        raise _fail(f"{where} has floor '{floor}', but a floor is one of {', '.join(FLOOR_KINDS)}")
    about_life = table.get("about_life", False)
    if not isinstance(about_life, bool):
        raise _fail(f"{where} needs 'about_life' as true or false")
    if about_life and floor is None:
        raise _fail(f"{where} is 'about_life' but is not a floor")
    own_steps = _texts(table, "requires_now", where)
    if own_steps and floor is None:
        # Steps "for the next hour" only make sense where weighing cannot override the duty.
        raise _fail(f"{where} has 'requires_now' but is not a floor")
    return Obligation(
        id=oid,
        name=_text(table, "name", where),
        description=_text(table, "description", where),
        principles=principles,
        provisions=provisions,
        floor=floor,
        about_life=about_life,
        requires_now=own_steps + shared_steps[floor] if floor else (),
    )


def parse_catalogue(
    obligations_data: Mapping[str, Any],
    provisions_data: Mapping[str, Any],
    principle_ids: Collection[str] = CCMC_PRINCIPLE_IDS,
) -> Catalogue:
    """Check the parsed obligations.toml and provisions.toml together and return the catalogue.

    Every provision an obligation cites must exist; every principle it names must be one of
    `principle_ids` (the CCMC seven); ids are unique and match [a-z0-9-]+; every text is non-empty;
    only floors carry `requires_now` or `about_life`, and each floor ends up with at least one step.
    """
    provisions = _parse_provisions(provisions_data)
    provision_ids = {p.id for p in provisions}

    floor_table = obligations_data.get("floor", {})
    rule_table = obligations_data.get("rule", {})
    for name, table in (("[floor]", floor_table), ("[rule]", rule_table)):
        if not isinstance(table, Mapping):
            raise _fail(f"{name} is not a table")
    _check_keys(floor_table, frozenset({"requires_now", "note"}), "[floor]")
    _check_keys(rule_table, frozenset({"requires_now"}), "[rule]")
    floor_steps = _texts(floor_table, "requires_now", "[floor]")
    shared_steps = {"legal": floor_steps, "safety": floor_steps, "rule": _texts(rule_table, "requires_now", "[rule]")}
    floor_note = _text(floor_table, "note", "[floor]")

    _check_keys(obligations_data, frozenset({"floor", "rule", "obligation"}), "obligations.toml")
    raw = obligations_data.get("obligation")
    if not isinstance(raw, list) or not raw:
        raise _fail("obligations.toml needs [[obligation]] tables")
    obligations: list[Obligation] = []
    for i, table in enumerate(raw, 1):
        obligation = _parse_obligation(table, i, provision_ids, principle_ids, shared_steps)
        if any(o.id == obligation.id for o in obligations):
            raise _fail(f"obligation '{obligation.id}' appears twice")
        if obligation.floor and not obligation.requires_now:
            raise _fail(f"obligation '{obligation.id}' is a floor but says nothing it requires now")
        obligations.append(obligation)
    return Catalogue(tuple(obligations), provisions, floor_note)


def obligations_json(ticked: Iterable[str], catalogue: Catalogue) -> list[dict[str, Any]]:
    """The ticked obligations as JSON-ready dicts for reports (`obligations[]` of the JSON report contract, DESIGN.md).

    Known obligations come in catalogue order, so every report lists them alike; an id the
    catalogue does not hold (a catalogue changed since the record was made) is kept at the end with
    `known` false rather than silently dropped. Keys: id, name, description, legal_floor (bool: a
    legal duty), floor ("legal", "safety", "rule" or None), floor_name (its words, "" for none),
    about_life, provisions (list of ids), provision_details (id, summary, source each), principles,
    requires_now (list), known.
    """
    wanted = list(dict.fromkeys(ticked))
    rows: list[dict[str, Any]] = []
    for o in catalogue.obligations:
        if o.id not in wanted:
            continue
        details = [catalogue.provision(pid) for pid in o.provisions]
        rows.append(
            {
                "id": o.id,
                "name": o.name,
                "description": o.description,
                "legal_floor": o.legal_floor,
                "floor": o.floor,
                "floor_name": o.floor_name,
                "about_life": o.about_life,
                "provisions": list(o.provisions),
                "provision_details": [{"id": p.id, "summary": p.summary, "source": p.source} for p in details],
                "principles": list(o.principles),
                "requires_now": list(o.requires_now),
                "known": True,
            }
        )
    for oid in wanted:
        if catalogue.get(oid) is None:
            rows.append(
                {
                    "id": oid,
                    "name": oid,
                    "description": "",
                    "legal_floor": False,
                    "floor": None,
                    "floor_name": "",
                    "about_life": False,
                    "provisions": [],
                    "provision_details": [],
                    "principles": [],
                    "requires_now": [],
                    "known": False,
                }
            )
    return rows


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _when_to_consult(only_rules: bool, plural: bool) -> str:
    if only_rules:  # no report or emergency call is at stake in a code rule alone: consult first
        return f" Consult your supervisor before acting on {'them' if plural else 'it'}."
    return (
        " Supervisor consultation is due now, but it never delays or replaces a step you owe yourself, such as "
        "calling emergency services or making a report you are mandated to make."
    )


def rules_screen(
    options: Sequence[tuple[str, str]],
    ticked: Iterable[str],
    floor_checks: Mapping[tuple[str, str], bool],
    catalogue: Catalogue,
) -> RulesScreen:
    """Which ticked duties are floors (legal, safety or code rule), and which options were found not
    to honour them.

    `options` are (key, label) pairs in order. `floor_checks[(obligation id, option key)]` is True
    when the option honours that floor and False when it does not; a missing pair is unchecked.
    """
    wanted = set(ticked)
    floors = [o.id for o in catalogue.floors if o.id in wanted]
    if not floors:
        return RulesScreen(False, [], {}, {}, "No floor is ticked, so the options are compared by weighing.")
    excluded: dict[str, list[str]] = {}
    unchecked: dict[str, list[str]] = {}
    for key, _ in options:
        failing = [f for f in floors if floor_checks.get((f, key)) is False]
        missing = [f for f in floors if (f, key) not in floor_checks]
        if failing:
            excluded[key] = failing
        if missing:
            unchecked[key] = missing

    labels = {key: label or key for key, label in options}
    names = {f: catalogue.obligation(f).name for f in floors}
    rules = {f for f in floors if catalogue.obligation(f).floor == "rule"}
    broken = {o: [f for f in fs if f in rules] for o, fs in excluded.items() if any(f in rules for f in fs)}
    plural = len(floors) > 1
    kinds = _join([f"{names[f]} ({catalogue.obligation(f).floor_name})" for f in floors])
    # A code rule is a floor of its own kind; when only rules are ticked the text says "code rule".
    only_rules = rules == set(floors)
    word = "code rule" if only_rules else "floor"
    if only_rules:
        kinds = _join([names[f] for f in floors])
    text = (
        f"{kinds} {f'are {word}s' if plural else f'is a {word}'}: weighing cannot override "
        f"{'them' if plural else 'it'}, and no weighting can make up for an option that does not honour "
        f"{'one' if plural else 'it'}."
    )
    text += _when_to_consult(only_rules, plural)
    failed = {o: [f for f in fs if f not in rules] for o, fs in excluded.items()}
    failed = {o: fs for o, fs in failed.items() if fs}
    if failed:
        listed = "; ".join(f"{labels[o]} ({_join([names[f] for f in fs])})" for o, fs in failed.items())
        text += f" Options that do not honour a floor: {listed}."
    if broken:
        listed = "; ".join(f"{labels[o]} ({_join([names[f] for f in fs])})" for o, fs in broken.items())
        text += f" Options that break a code rule: {listed}."
    if unchecked:
        text += f" Not yet checked against every {word}: {_join([labels[o] for o in unchecked])}."
    if not excluded and not unchecked:
        text += f" Every option has been checked and honours every {word}."
    # the note is about law differing by place: it says nothing to a code rule alone
    note = "" if only_rules else catalogue.floor_note
    return RulesScreen(True, floors, excluded, unchecked, text, note, broken)
