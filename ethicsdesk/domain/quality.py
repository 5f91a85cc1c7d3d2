"""The quality of a written rationale on four domains, after the VA's ECQAT (the Ethics Consultation
Quality Assessment Tool: Pearlman et al., American Journal of Bioethics 16(3), 2016).

ECQAT judges the written record of an ethics consultation rather than the conversation behind it. It
looks at four things, each in our own words here: whether the ethical problem is put as a question
of its own; whether the facts of this case that bear on the problem were gathered; whether the
reasoning weighs those facts against the values at stake; and whether it ends in a conclusion a
reader can act on, with the reasons for it. A rater marks each domain and then gives one overall
level from 1 (poor) to 4 (strong), of which 3 and 4 count as acceptable. The level is a holistic
judgement, not a sum of the marks: a rater may weigh one missing domain more than another.

Three uses here: a supervisor's rating of a record (record.Rating, recorded as a `consultation.rated`
event beside the answer to the sign-off request); a trainer's rating of a training attempt (the
same Rating, a `training.rated` event), shown in the debrief beside the reference; and the case
manager's self-check before asking (`self_check`), filled from what the record holds. The
self-check is a hint about what is written, never a verdict on whether the reasoning is good. Pure
Python, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ethicsdesk.domain.prompts import JUSTIFICATION_CONDITIONS
from ethicsdesk.domain.record import PLAN_FIELDS, DomainError, Rating, RecordState, justification_key

# The four domains, in the order a rationale is read.
RATING_DOMAINS = ("question", "information", "analysis", "conclusions")
DOMAIN_NAMES = {
    "question": "The ethics question",
    "information": "Case-specific information",
    "analysis": "Ethical analysis",
    "conclusions": "Conclusions and their justification",
}
# One line each, the project's own wording of what a domain asks of a written rationale.
DOMAIN_CRITERIA = {
    "question": "Says plainly which values or duties conflict here and what must be decided.",
    "information": "Gathers the facts, the client's wishes and capacity, who else is involved, and sources.",
    "analysis": "Weighs each option against the principles and duties at stake and faces the tensions.",
    "conclusions": "Names the choice, gives the reasons that carry it, and says what happens next.",
}

MARKS = ("met", "partly", "not-met")
MARK_NAMES = {"met": "Met", "partly": "Partly met", "not-met": "Not met"}

LEVELS = (1, 2, 3, 4)
LEVEL_NAMES = {1: "poor", 2: "below acceptable", 3: "acceptable", 4: "strong"}
ACCEPTABLE_LEVEL = 3

# The current-state tables keep a rating as rows of the answers table under this prefix (no table
# of its own, so no migration); no answer of the decision checks can take a key with a dot.
RATING_ROW_PREFIX = "consultation.rating:"
# A trainer's rating of a training attempt (a `training.rated` event) keeps its rows the same way.
TRAINING_RATING_ROW_PREFIX = "training.rating:"
RATING_ROW_PREFIXES = (RATING_ROW_PREFIX, TRAINING_RATING_ROW_PREFIX)

# Where ECQAT comes from, as every face cites it.
SOURCE = "after ECQAT (Pearlman et al., American Journal of Bioethics, 2016)"


def acceptable(level: int) -> bool:
    """Whether an overall level counts as acceptable (3 or 4)."""
    return level >= ACCEPTABLE_LEVEL


def rating_problem(marks: Mapping[str, Any], level: Any) -> str | None:
    """Why these marks and this level are not a rating, in one sentence; None when they are."""
    if not isinstance(marks, Mapping) or set(marks) != set(RATING_DOMAINS):
        return f"A rating marks each of the four domains: {', '.join(RATING_DOMAINS)}."
    for domain in RATING_DOMAINS:
        if marks[domain] not in MARKS:
            return f"The {DOMAIN_NAMES[domain].lower()} is marked one of: {', '.join(MARKS)}."
    if isinstance(level, bool) or level not in LEVELS:
        return "The overall level is a whole number from 1 (poor) to 4 (strong)."
    return None


def rating_rows(rating: Rating, prefix: str = RATING_ROW_PREFIX) -> dict[str, str]:
    """The rating as answers-table rows (key -> value) under `prefix`, read back by `rating_from_rows`."""
    parts = {**rating.marks, "level": str(rating.level), "note": rating.note, "by": rating.rated_by,
             "at": rating.rated_at}
    return {prefix + k: v for k, v in parts.items()}


def rating_from_rows(rows: Mapping[str, str], prefix: str = RATING_ROW_PREFIX) -> Rating | None:
    """The rating that `rating_rows` wrote, from the answers rows under `prefix`; None if none."""
    parts = {k[len(prefix):]: v for k, v in rows.items() if k.startswith(prefix)}
    if not parts:
        return None
    level = parts.get("level", "")
    return Rating(
        {d: parts.get(d, "") for d in RATING_DOMAINS},
        int(level) if level.isdigit() else 0,
        parts.get("note", ""),
        parts.get("by", ""),
        parts.get("at", ""),
    )


def rating_json(r: Rating) -> dict[str, Any]:
    """A rating as plain data, as every JSON and report shows it (reporting/rating_view.py)."""
    return {
        "source": SOURCE,
        "domains": [
            {
                "id": d,
                "name": DOMAIN_NAMES[d],
                "criterion": DOMAIN_CRITERIA[d],
                "mark": r.marks.get(d, ""),
                "mark_label": MARK_NAMES.get(r.marks.get(d, ""), r.marks.get(d, "")),
            }
            for d in RATING_DOMAINS
        ],
        "level": r.level,
        "level_label": LEVEL_NAMES.get(r.level, ""),
        "acceptable": acceptable(r.level),
        "note": r.note,
        "rated_by": r.rated_by,
        "rated_at": r.rated_at,
    }


def rating_from_payload(payload: Mapping[str, Any], actor: str, at: str) -> Rating:
    """The rating a `consultation.rated` or `training.rated` event records; a payload that is not one is refused."""
    marks = payload.get("marks")
    level: Any = payload.get("level")
    problem = rating_problem(marks if isinstance(marks, Mapping) else {}, level)
    if problem is not None or not isinstance(marks, Mapping):
        raise DomainError(problem or "a rating marks each of the four domains")
    return Rating({d: str(marks[d]) for d in RATING_DOMAINS}, int(level), str(payload.get("note", "")), actor, at)


# --- the case manager's self-check ---------------------------------------------------------------
@dataclass(frozen=True)
class DomainCheck:
    """One domain as the record stands: its mark, what it still lacks, and the step to mend first."""

    domain: str
    mark: str  # one of MARKS
    lacking: tuple[str, ...]  # short phrases, in the order of the walk
    mend_step: str | None  # the step of the first thing lacking; None when nothing is

    @property
    def name(self) -> str:
        return DOMAIN_NAMES[self.domain]


def _written(state: RecordState, name: str) -> bool:
    return bool(state.text.get(name, "").strip())


def _check(domain: str, items: Iterable[tuple[bool, str, str]]) -> DomainCheck:
    """Marks a domain from its items (held, phrase, step): all held met, some partly, none not met."""
    every = list(items)
    lacking = [(phrase, step) for held, phrase, step in every if not held]
    if not lacking:
        mark = "met"
    elif len(lacking) < len(every):
        mark = "partly"
    else:
        mark = "not-met"
    return DomainCheck(domain, mark, tuple(p for p, _ in lacking), lacking[0][1] if lacking else None)


def _tensions_addressed(state: RecordState, principles: tuple[str, ...]) -> bool:
    """Every principle the chosen option compromises has its justification and a mitigation."""
    chosen = state.decision.get("chosen", "")
    if not chosen:
        return False
    compromised = [p for p in principles if state.scores.get((chosen, p), 0) < 0]
    if not compromised:
        return True
    justified = all(
        state.answers.get(justification_key(p, c.id), "").strip() for p in compromised for c in JUSTIFICATION_CONDITIONS
    )
    return justified and bool(state.decision.get("mitigation", "").strip())


def self_check(state: RecordState, principles: tuple[str, ...], floors: Iterable[str]) -> list[DomainCheck]:
    """The four domains as the record fills them: what is written, not whether it is right.
    `principles`: the framework's ids; `floors`: the ids of the catalogue's floor duties."""
    weighed = len(state.options) >= 2 and all((o.key, p) in state.scores for o in state.options for p in principles)
    ticked_floors = [f for f in floors if f in state.obligations]
    floors_judged = all((f, o.key) in state.floor_checks for f in ticked_floors for o in state.options)
    analysis = [
        (weighed, "every option scored on every principle", "weigh"),
        (_tensions_addressed(state, principles), "each compromised principle justified and its harm mitigated",
         "decide"),
    ]
    if ticked_floors:  # a floor asks something of the analysis only where one is ticked
        analysis.insert(1, (floors_judged and bool(state.options), "every option judged against the floors",
                            "obligations"))
    capacity = _written(state, "capacity") or _written(state, "decision_maker")
    return [
        _check("question", [(_written(state, "question"), "the ethics question", "situation")]),
        _check(
            "information",
            [
                (_written(state, "facts"), "the facts", "situation"),
                (_written(state, "client_wishes"), "the client's wishes and values", "situation"),
                (capacity, "decision-making capacity or who decides", "situation"),
                (bool(state.stakeholders), "the stakeholders", "situation"),
                (bool(state.sources), "the sources consulted", "obligations"),
            ],
        ),
        _check("analysis", analysis),
        _check(
            "conclusions",
            [
                (bool(state.decision.get("chosen")), "the chosen option", "decide"),
                (bool(state.decision.get("rationale", "").strip()), "the rationale", "decide"),
                (any(_written(state, f) for f in PLAN_FIELDS), "the implementation plan", "decide"),
            ],
        ),
    ]


# --- training: an attempt beside the sample's reference ------------------------------------------------
def domains_beside(
    attempt: RecordState, reference: RecordState, principles: tuple[str, ...], floors: Iterable[str]
) -> tuple[tuple[str, str, str], ...]:
    """(domain, the attempt's mark, the reference's mark) for the four domains, by `self_check` on
    each: what each wrote, set side by side for a debrief, not a grade."""
    kept = tuple(floors)
    mine = self_check(attempt, principles, kept)
    theirs = self_check(reference, principles, kept)
    return tuple((a.domain, a.mark, r.mark) for a, r in zip(mine, theirs, strict=True))


def domains_done(marks: Iterable[str]) -> int:
    """How many of the four domains a self-check found written in full."""
    return sum(1 for m in marks if m == "met")
