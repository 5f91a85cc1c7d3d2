"""The operations of the walk: each one validates its input and makes one change to one record."""

from __future__ import annotations

import re
from collections.abc import Callable

from ethicsdesk.domain.client_part import FIELD_CHOICES, choice_problem
from ethicsdesk.domain.events.content import (
    FIELD_SET,
    FLOOR_CHECKED,
    LIST_SET,
    OBLIGATION_SET,
    SOURCES_SET,
    STAKEHOLDERS_SET,
    SourceItem,
    StakeholderItem,
)
from ethicsdesk.domain.events.kind import Draft
from ethicsdesk.domain.events.making import RECORD_CREATED, RecordCreated
from ethicsdesk.domain.events.options import OPTION_ADDED, OPTION_CHANGED, OPTION_MOVED, OPTION_REMOVED, OptionChanged
from ethicsdesk.domain.events.review import (
    CONSULTATION_ANSWERED,
    CONSULTATION_REQUESTED,
    CONSULTATION_WITHDRAWN,
    ConsultationAnswered,
    ConsultationRequested,
)
from ethicsdesk.domain.events.weighing import (
    ANSWER_SET,
    CELL_NOTED,
    CELL_SCORED,
    DECISION_SET,
    PRIORITY_SET,
    WEIGHT_SET,
)
from ethicsdesk.domain.frameworks import DEFAULT_FRAMEWORK
from ethicsdesk.domain.obligations import Catalogue
from ethicsdesk.domain.problem_framing import (
    DANGER_FLOOR,
    FRAMING_FIELDS,
    IMMEDIATE_DANGER,
    danger_raised,
    framing_problem,
)
from ethicsdesk.domain.record import (
    CONSULTANT_KINDS,
    CONSULTATION_OUTCOMES,
    DECISION_FIELDS,
    KINDS,
    LIST_FIELDS,
    MAX_ITEMS,
    SCORE_MAX,
    SCORE_MIN,
    SIGN_OFF_STEP,
    SOURCE_KINDS,
    TEXT_FIELDS,
    WEIGHT_MAX,
    WEIGHT_MIN,
    RecordState,
)
from ethicsdesk.errors import BadInput
from ethicsdesk.service import frameworks
from ethicsdesk.service.job import Job

MAX_TEXT = 20_000
MAX_LABEL = 200
MAX_SOURCE = 500  # one source consulted: a citation, a policy's name, a colleague and what they advised


def _text(value: str, what: str, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise BadInput(f"{what} must be text.")
    value = value.replace("\r\n", "\n").replace("\x00", "")
    if len(value) > limit:
        raise BadInput(f"{what} is longer than {limit:,} characters; shorten it or split it.")
    return value


def _at_most(count: int, what: str) -> None:
    """The list caps of the domain (domain/record.py): the same a dilemma file is held to."""
    if count > MAX_ITEMS[what]:
        raise BadInput(
            f"A record holds at most {MAX_ITEMS[what]} {what}, more than a person can weigh; merge or drop some."
        )


def _floor_the_danger_answer_makes_due(after: RecordState, catalogue: Catalogue) -> Draft | None:
    """Someone may be in danger now: the safety floor is ticked at once, so its steps and the rules screen
    apply before anything else is written (an "unsure" counts until known). In the answer's own
    transaction: an answer saved without its floor would leave the record at odds with itself."""
    if danger_raised(after.text) and DANGER_FLOOR not in after.obligations and catalogue.get(DANGER_FLOOR):
        return OBLIGATION_SET.new({"id": DANGER_FLOOR, "ticked": True})
    return None


def slug(label: str) -> str:
    words = re.findall(r"[a-z0-9]+", label.lower())
    return "-".join(words)[:40].strip("-") or "option"


class Editing(Job):
    # --- creating -------------------------------------------------------------------------------
    def create_record(
        self,
        title: str,
        *,
        case_code: str = "",
        kind: str = "case",
        framework: str = DEFAULT_FRAMEWORK,
        sample_id: str | None = None,
    ) -> str:
        if kind not in KINDS:
            raise BadInput(f"A record is a {' or a '.join(KINDS)} record, not '{kind}'.")
        fw = self.framework(framework)
        frameworks.keep_agency_file(framework, fw)
        payload: RecordCreated = {
            "kind": kind,
            "title": _text(title, "The title", MAX_LABEL).strip(),
            "case_code": _text(case_code, "The case code", 64).strip(),
            "framework": fw.id,
            "framework_version": fw.version,
        }
        if sample_id:
            payload["sample_id"] = sample_id
        record_id = self.clock.new_id()
        self._change(record_id, RECORD_CREATED.new(payload), create=True)
        return record_id

    # --- situation and outcome ------------------------------------------------------------------
    def set_text(self, record_id: str, name: str, value: str, *, expect_head: str | None = None) -> RecordState:
        if name not in TEXT_FIELDS:
            raise BadInput(f"'{name}' is not a field of a record.")
        limit = MAX_LABEL if name in ("title", "case_code") else MAX_TEXT
        value = _text(value, f"The {name.replace('_', ' ')}", limit)
        if name == "title" and not value.strip():
            raise BadInput("A record needs a title.")
        if name in FIELD_CHOICES or name in FRAMING_FIELDS:  # one (or, for the kinds, some) of a short list
            value = value.strip()
            problem = choice_problem(name, value) or framing_problem(name, value)
            if problem is not None:
                raise BadInput(f"The {name.replace('_', ' ')} is not one of the choices: {problem}.")
        follow = None
        if name == IMMEDIATE_DANGER:
            catalogue = self.catalogue()
            follow = lambda after: _floor_the_danger_answer_makes_due(after, catalogue)  # noqa: E731
        changed = FIELD_SET.new({"name": name, "value": value})
        return self._change(record_id, changed, expect_head=expect_head, follow=follow)

    def set_list(self, record_id: str, name: str, items: list[str]) -> RecordState:
        if name not in LIST_FIELDS:
            raise BadInput(f"'{name}' is not a list of a record.")
        clean = [_text(i, f"An item of {name}", MAX_LABEL).strip() for i in items]
        _at_most(len([i for i in clean if i]), name)
        return self._change(record_id, LIST_SET.new({"name": name, "items": [i for i in clean if i]}))

    def set_stakeholders(self, record_id: str, items: list[tuple[str, str]]) -> RecordState:
        clean: list[StakeholderItem] = [
            {"name": _text(n, "A stakeholder's name", MAX_LABEL).strip(), "interest": _text(i, "An interest").strip()}
            for n, i in items
        ]
        _at_most(len([c for c in clean if c["name"]]), "stakeholders")
        return self._change(record_id, STAKEHOLDERS_SET.new({"items": [c for c in clean if c["name"]]}))

    # --- sources consulted -----------------------------------------------------------
    def set_sources(self, record_id: str, items: list[tuple[str, str]]) -> RecordState:
        """The sources consulted, in order: each a kind (SOURCE_KINDS) and what or who it was."""
        clean: list[SourceItem] = []
        for kind, detail in items:
            kind = _text(kind, "A source's kind", MAX_LABEL).strip().lower()
            detail = _text(detail, "A source", MAX_SOURCE).strip()
            if not detail:
                continue
            if kind not in SOURCE_KINDS:
                raise BadInput(f"'{kind}' is not a kind of source; use one of {', '.join(SOURCE_KINDS)}.")
            clean.append({"kind": kind, "detail": detail})
        _at_most(len(clean), "sources")
        return self._change(record_id, SOURCES_SET.new({"items": clean}))

    # --- obligations ----------------------------------------------------------------------------
    def set_obligation(self, record_id: str, obligation_id: str, ticked: bool) -> RecordState:
        if self.catalogue().get(obligation_id) is None:
            raise BadInput(f"'{obligation_id}' is not in the obligation catalogue.")
        return self._change(record_id, OBLIGATION_SET.new({"id": obligation_id, "ticked": bool(ticked)}))

    def check_floor(self, record_id: str, obligation_id: str, option: str, honours: bool | None) -> RecordState:
        """Record whether `option` honours the floor `obligation_id` (legal, safety or rule; None: not judged)."""
        catalogue = self.catalogue()

        def check(_before: RecordState, after: RecordState) -> None:
            if not catalogue.is_floor(obligation_id):
                raise BadInput(f"'{obligation_id}' is not a floor (a duty weighing cannot override).")
            if obligation_id not in after.obligations:
                raise BadInput(f"Tick '{obligation_id}' before judging options against it.")
            if after.option(option) is None:
                raise BadInput(f"The record has no option '{option}'.")

        checked = FLOOR_CHECKED.new({"obligation": obligation_id, "option": option, "honours": honours})
        return self._change(record_id, checked, check=check)

    # --- options --------------------------------------------------------------------------------
    def add_option(self, record_id: str, label: str, description: str = "") -> str:
        label = _text(label, "An option's label", MAX_LABEL).strip()
        if not label:
            raise BadInput("An option needs a label.")
        taken = {o.key for o in self.record(record_id).options}
        _at_most(len(taken) + 1, "options")  # early, and again in the transaction (another may add one)
        base = key = slug(label)
        n = 2
        while key in taken:
            key, n = f"{base}-{n}", n + 1
        description = _text(description, "The description").strip()
        added = OPTION_ADDED.new({"key": key, "label": label, "description": description})
        self._change(record_id, added, check=lambda _before, after: _at_most(len(after.options), "options"))
        return key

    def change_option(
        self, record_id: str, key: str, *, label: str | None = None, description: str | None = None
    ) -> RecordState:
        payload: OptionChanged = {"key": key}
        if label is not None:
            payload["label"] = _text(label, "An option's label", MAX_LABEL).strip()
            if not payload["label"]:
                raise BadInput("An option needs a label.")
        if description is not None:
            payload["description"] = _text(description, "The description").strip()
        return self._change(record_id, OPTION_CHANGED.new(payload))

    def remove_option(self, record_id: str, key: str) -> RecordState:
        return self._change(record_id, OPTION_REMOVED.new({"key": key}))

    def move_option(self, record_id: str, key: str, position: int) -> RecordState:
        return self._change(record_id, OPTION_MOVED.new({"key": key, "position": int(position)}))

    # --- weighing -------------------------------------------------------------------------------
    def _principle_check(
        self, principle: str, option: str | None = None
    ) -> Callable[[RecordState, RecordState], None]:
        def check(_before: RecordState, after: RecordState) -> None:
            fw = self.framework_of(after)
            if principle not in fw.ids:
                raise BadInput(f"'{principle}' is not a principle of the {fw.name} framework.")
            if option is not None and after.option(option) is None:
                raise BadInput(f"The record has no option '{option}'.")

        return check

    def score(self, record_id: str, option: str, principle: str, score: int | None) -> RecordState:
        if score is not None and (
            isinstance(score, bool) or not isinstance(score, int) or not SCORE_MIN <= score <= SCORE_MAX
        ):
            raise BadInput(f"A score is a whole number from {SCORE_MIN} to +{SCORE_MAX}, not {score!r}.")
        scored = CELL_SCORED.new({"option": option, "principle": principle, "score": score})
        return self._change(record_id, scored, check=self._principle_check(principle, option))

    def note(self, record_id: str, option: str, principle: str, note: str) -> RecordState:
        noted = CELL_NOTED.new({"option": option, "principle": principle, "note": _text(note, "A note", 2_000).strip()})
        return self._change(record_id, noted, check=self._principle_check(principle, option))

    def set_weight(self, record_id: str, principle: str, weight: int) -> RecordState:
        if isinstance(weight, bool) or not isinstance(weight, int) or not WEIGHT_MIN <= weight <= WEIGHT_MAX:
            raise BadInput(f"A weight is a whole number from {WEIGHT_MIN} to {WEIGHT_MAX}, not {weight!r}.")
        weighted = WEIGHT_SET.new({"principle": principle, "weight": weight})
        return self._change(record_id, weighted, check=self._principle_check(principle))

    def set_priority(self, record_id: str, order: list[str]) -> RecordState:
        def check(_before: RecordState, after: RecordState) -> None:
            ids = self.framework_of(after).ids
            if sorted(order) != sorted(ids):
                raise BadInput("A priority order names every principle of the framework once.")

        return self._change(record_id, PRIORITY_SET.new({"order": list(order)}), check=check)

    # --- deciding -------------------------------------------------------------------------------
    def decide(self, record_id: str, field: str, value: str) -> RecordState:
        if field not in DECISION_FIELDS:
            raise BadInput(f"'{field}' is not a part of a decision.")
        value = (
            _text(value, f"The {field.replace('_', ' ')}").strip()
            if field != "rationale"
            else _text(value, "The rationale")
        )
        if field == "follow_up":
            from ethicsdesk.domain.dates import NotADate, typed_follow_up

            try:
                # one form in the record: "12/15/2026" is kept as 2026-12-15, "in 14 days" as that day
                value = typed_follow_up(value, self.today())
            except NotADate as exc:
                raise BadInput(str(exc)) from None

        def check(_before: RecordState, after: RecordState) -> None:
            if field == "chosen" and value and after.option(value) is None:
                raise BadInput(f"The record has no option '{value}' to choose.")

        return self._change(record_id, DECISION_SET.new({"field": field, "value": value}), check=check)

    def answer(self, record_id: str, question: str, value: str) -> RecordState:
        if not re.fullmatch(r"[a-z]+(:[a-z0-9-]+)+", question or ""):
            raise BadInput(f"'{question}' is not a question of the decision checks.")
        answered = ANSWER_SET.new({"question": question, "value": _text(value, "An answer", 4_000)})
        return self._change(record_id, answered)

    # --- consultation (the case manager's side) --------------------------------------------------
    def request_consultation(
        self,
        record_id: str,
        supervisor: str,
        question: str,
        *,
        kind: str = "supervisor",
        step: str = SIGN_OFF_STEP,
    ) -> RecordState:
        """Ask `supervisor` (the name of whom is consulted: a supervisor, an ethics committee or a
        colleague, as `kind` says) from `step` of the walk. At the Consult step it is the sign-off
        consultation that sets the status; from any other step it is input, numbered, and leaves the
        status alone. Urgent when a floor is ticked, from whichever step."""
        from ethicsdesk.domain.walk import STEP_TITLES, STEPS

        if kind not in CONSULTANT_KINDS:
            raise BadInput(f"Whom you consult is one of: {', '.join(CONSULTANT_KINDS)}.")
        if step not in STEPS:
            raise BadInput(f"'{step}' is not a step of the walk; the steps are {', '.join(STEPS)}.")
        who = {"supervisor": "the supervisor", "committee": "the ethics committee", "colleague": "the colleague"}
        supervisor = _text(supervisor, f"The name of {who[kind]}", MAX_LABEL).strip()
        if not supervisor:
            raise BadInput(f"Name {who[kind]} to consult.")
        question = _text(question, "The question").strip()
        if step != SIGN_OFF_STEP and not question:
            raise BadInput(f"Write what you are asking: a consultation from {STEP_TITLES[step]} needs its question.")
        state = self.record(record_id)
        catalogue = self.catalogue()
        # Urgent where a legal or safety floor is ticked, as before code rules were floors: a rule
        # (an honest record, no sexual relationship, ...) bars options, but puts no one at risk today.
        urgent = any(
            found.floor in ("legal", "safety") for o in state.obligations if (found := catalogue.get(o)) is not None
        )
        payload: ConsultationRequested = {"supervisor": supervisor, "question": question, "urgent": urgent}
        # the new keys only where they say something: a supervisor at the Consult step logs as before
        if kind != "supervisor":
            payload["kind"] = kind
        if step != SIGN_OFF_STEP:
            payload["step"] = step
        return self._change(record_id, CONSULTATION_REQUESTED.new(payload))

    def withdraw_consultation(self, record_id: str, number: int = 0) -> RecordState:
        """Withdraw the open sign-off request (number 0) or the one asked mid-walk with this number."""

        def check(before: RecordState, _after: RecordState) -> None:
            c = before.consultation_numbered(number)
            if c is None or c.state != "requested":
                raise BadInput("There is no open consultation request to withdraw.")

        withdrawn = CONSULTATION_WITHDRAWN.new({"number": number} if number else {})
        return self._change(record_id, withdrawn, check=check)

    def record_consultation_answer(
        self, record_id: str, number: int, notes: str, outcome: str = "", conditions: str = ""
    ) -> RecordState:
        """The answer an ethics committee or a colleague gave, written in by the case manager: they
        are not users of ethicsdesk. A supervisor answers for themselves, in the review screen."""
        if outcome and outcome not in CONSULTATION_OUTCOMES:
            raise BadInput(f"The outcome is one of: {', '.join(CONSULTATION_OUTCOMES)}, or none.")
        if not notes.strip():
            raise BadInput("Write the answer you were given: the record and the report need it.")
        c = self.record(record_id).consultation_numbered(number)
        if c is None or c.state != "requested":
            raise BadInput("There is no open consultation request with that number to answer.")
        if c.kind == "supervisor":
            raise BadInput(f"{c.supervisor} is a supervisor: they answer in the review screen themselves.")
        if not c.mid_walk and not outcome:
            raise BadInput("The sign-off consultation needs an outcome: concur, concur with changes or do not concur.")
        payload: ConsultationAnswered = {
            "outcome": outcome,
            "notes": _text(notes, "The answer").strip(),
            "conditions": _text(conditions, "The conditions").strip(),
            "recorded": True,
        }
        if number:
            payload["number"] = number
        return self._change(record_id, CONSULTATION_ANSWERED.new(payload))

    # --- where the user left off (not part of the reasoning, so not an event) ---------------------
    def save_cursor(self, record_id: str, step: str, field: str = "") -> None:
        from sqlalchemy.exc import DBAPIError

        from ethicsdesk.errors import DatabaseProblem
        from ethicsdesk.store import cursors
        from ethicsdesk.store.engine import first_line

        try:
            with self.db.writing() as s:
                cursors.save_cursor(s, record_id, self.user.name, step, field)
        except DBAPIError as exc:
            raise DatabaseProblem(f"Where you left off could not be saved: {first_line(exc)}.") from None
