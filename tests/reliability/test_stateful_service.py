"""Stateful model: hypothesis drives one Service (a case manager) and a supervisor's Service on one
fresh SQLite file per run through create, edit, weigh, decide, request, answer, sign, addendum and
export, in any order. After every step:

- every chain verifies and every projection equals the fold of its events;
- a signed record's signed content (everything but its addenda, event count and last change) is
  what it was when it was signed;
- replaying any prefix of a record's log gives the record exactly as the service returned it after
  that event (the first, the last and one more per step, moving through the log);
- an edit of a signed record is refused with BadInput and changes nothing.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from ethicsdesk.domain.fold import fold
from ethicsdesk.domain.record import ADDENDUM_TOPICS, CONSULTATION_OUTCOMES, TEXT_FIELDS, Event, RecordState
from ethicsdesk.errors import BadInput
from ethicsdesk.service import Service
from ethicsdesk.service.exporting import export_record
from ethicsdesk.service.signing import SigningKey, create_key
from ethicsdesk.settings import User
from tests.conftest import CASE_MANAGER, DILEMMAS
from tests.reliability.conftest import STATEFUL_EXAMPLES, STATEFUL_STEPS

pytestmark = pytest.mark.slow

SUPERVISOR = User("Dana Whitlock", "supervisor")
PRINCIPLES = ("autonomy", "beneficence", "equity", "fidelity", "justice", "nonmaleficence", "veracity")
UNSIGNED = ("events", "updated_at", "updated_by", "addenda")  # what may still change after signing

WORDS = st.one_of(
    st.sampled_from(["", "a", "b", "Status quo", "[bold red]x[/]", "<b>x</b>", " padded ", "é\u0301", "\u202eevil"]),
    st.text(max_size=20),
)
INDEX = st.integers(0, 50)  # taken modulo the number of records (or options): any of them


REACHED: Counter[str] = Counter()  # what the runs got to: a model that never signs proves little


def reached(what: str) -> None:
    REACHED[what] += 1
    event(what)


def signed_content(state: RecordState) -> dict[str, Any]:
    return {k: v for k, v in state.snapshot().items() if k not in UNSIGNED}


class ServiceMachine(RuleBasedStateMachine):
    template: ClassVar[Path]  # an empty, migrated database, copied for every run
    key: ClassVar[SigningKey]

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="ethicsdesk-stateful-"))
        db = self.folder / "stateful.db"
        with sqlite3.connect(self.template) as src, sqlite3.connect(db) as dst:
            src.backup(dst)
        db.chmod(0o600)
        self.cm = self._open(f"sqlite:///{db}", CASE_MANAGER)
        self.sup = self._open(f"sqlite:///{db}", SUPERVISOR)
        self.records: list[str] = []
        self.seen: dict[str, dict[int, dict[str, Any]]] = {}  # record -> event count -> snapshot
        self.signed: dict[str, dict[str, Any]] = {}
        self.steps = 0

    @staticmethod
    def _open(url: str, user: User) -> Service:
        service = Service.open(url, user)
        return service

    def teardown(self) -> None:
        self.cm.close()
        self.sup.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- helpers -----------------------------------------------------------------------------------
    def pick(self, i: int) -> str:
        return self.records[i % len(self.records)]

    def option(self, rid: str, j: int) -> str:
        keys = [o.key for o in self.cm.record(rid).options] + ["no-such-option"]
        return keys[j % len(keys)]

    def remember(self, rid: str) -> None:
        state = self.cm.record(rid)
        self.seen.setdefault(rid, {})[state.events] = state.snapshot()
        if state.signature is not None and rid not in self.signed:
            self.signed[rid] = signed_content(state)
            reached("a record was signed")

    def change(self, rid: str, action: Callable[[], object], *, allowed_when_signed: bool = False) -> None:
        """Run one service call: refused, it changes nothing; on a signed record, only an addendum
        or an export may pass."""
        before = self.cm.summary(rid)
        if rid in self.signed and not allowed_when_signed:
            with pytest.raises(BadInput):  # frozen (or invalid besides): refused either way
                action()
            reached("an edit of a signed record was refused")
        else:
            try:
                action()
            except BadInput:
                reached("a change was refused")
            else:
                self.remember(rid)
                reached("a signed record took an addendum or an export" if rid in self.signed else "a change was made")
                return
        after = self.cm.summary(rid)
        assert (after.events, after.head_hash) == (before.events, before.head_hash), "a refused change wrote"

    # --- rules -------------------------------------------------------------------------------------
    @rule(title=WORDS)
    def create(self, title: str) -> None:
        try:
            rid = self.cm.editing.create_record(title, case_code="C-1")
        except BadInput:
            assert not title.strip()
            return
        self.records.append(rid)
        self.remember(rid)

    @rule(sample=st.sampled_from(sorted(DILEMMAS.glob("*.toml"))[:4]))
    def import_sample(self, sample: Path) -> None:
        rid = self.cm.importing.import_files([sample])[0]
        self.records.append(rid)
        self.remember(rid)

    @precondition(lambda self: self.records)
    @rule(i=INDEX, name=st.sampled_from(TEXT_FIELDS), value=WORDS)
    def set_text(self, i: int, name: str, value: str) -> None:
        rid = self.pick(i)
        self.change(rid, lambda: self.cm.editing.set_text(rid, name, value))

    @precondition(lambda self: self.records)
    @rule(i=INDEX, label=WORDS, description=WORDS)
    def add_option(self, i: int, label: str, description: str) -> None:
        rid = self.pick(i)
        self.change(rid, lambda: self.cm.editing.add_option(rid, label, description))

    @precondition(lambda self: self.records)
    @rule(i=INDEX, j=INDEX)
    def remove_option(self, i: int, j: int) -> None:
        rid = self.pick(i)
        key = self.option(rid, j)
        self.change(rid, lambda: self.cm.editing.remove_option(rid, key))

    @precondition(lambda self: self.records)
    @rule(i=INDEX, j=INDEX, principle=st.sampled_from(PRINCIPLES), score=st.sampled_from([-2, -1, 0, 1, 2, None]))
    def score(self, i: int, j: int, principle: str, score: int | None) -> None:
        rid = self.pick(i)
        key = self.option(rid, j)
        self.change(rid, lambda: self.cm.editing.score(rid, key, principle, score))

    @precondition(lambda self: self.records)
    @rule(i=INDEX, principle=st.sampled_from(PRINCIPLES), weight=st.integers(0, 3))
    def weigh(self, i: int, principle: str, weight: int) -> None:
        rid = self.pick(i)
        self.change(rid, lambda: self.cm.editing.set_weight(rid, principle, weight))

    @precondition(lambda self: self.records)
    @rule(i=INDEX, j=INDEX, rationale=WORDS)
    def decide(self, i: int, j: int, rationale: str) -> None:
        rid = self.pick(i)
        key = self.option(rid, j)
        self.change(rid, lambda: self.cm.editing.decide(rid, "chosen", key))
        self.change(rid, lambda: self.cm.editing.decide(rid, "rationale", rationale or "Because."))

    @precondition(lambda self: self.records)
    @rule(i=INDEX, question=WORDS)
    def request_consultation(self, i: int, question: str) -> None:
        rid = self.pick(i)
        self.change(rid, lambda: self.cm.editing.request_consultation(rid, SUPERVISOR.name, question))

    @precondition(lambda self: self.records)
    @rule(i=INDEX, outcome=st.sampled_from(CONSULTATION_OUTCOMES), notes=WORDS)
    def answer(self, i: int, outcome: str, notes: str) -> None:
        rid = self.pick(i)
        self.change(rid, lambda: self.sup.review.answer_consultation(rid, outcome, notes or "Agreed."))

    @precondition(lambda self: self.records)
    @rule(i=INDEX)
    def sign(self, i: int) -> None:
        rid = self.pick(i)
        self.change(rid, lambda: self.sup.review.sign(rid, self.key))

    @precondition(lambda self: self.records)
    @rule(i=INDEX, topic=st.sampled_from(ADDENDUM_TOPICS), text=WORDS)
    def addendum(self, i: int, topic: str, text: str) -> None:
        rid = self.pick(i)
        self.change(
            rid, lambda: self.cm.review.add_addendum(rid, topic, "Why", text or "More."), allowed_when_signed=True
        )

    @precondition(lambda self: self.records)
    @rule(i=INDEX)
    def export(self, i: int) -> None:
        rid = self.pick(i)
        target = self.folder / f"{rid}.json"
        self.change(rid, lambda: export_record(self.cm, rid, "json", target, force=True), allowed_when_signed=True)
        assert target.exists()

    # --- invariants --------------------------------------------------------------------------------
    @invariant()
    def chains_and_projections_verify(self) -> None:
        checked, problems = self.cm.integrity.verify()
        assert checked == len(self.records) and problems == []

    @invariant()
    def signed_content_never_changes(self) -> None:
        for rid, content in self.signed.items():
            assert signed_content(self.cm.record(rid)) == content

    @invariant()
    def replay_is_the_record_as_it_was(self) -> None:
        self.steps += 1
        for rid in self.records:
            log = [
                Event(rid, e["seq"], e["type"], e["actor"], e["at"], e["payload"])  # type: ignore[arg-type]
                for e in self.cm.integrity.event_payloads(rid)
            ]
            n = len(log)
            assert set(self.seen[rid]) == set(range(1, n + 1)), "an event nobody acknowledged"
            for k in {1, n, self.steps % n + 1}:
                replayed = self.cm.integrity.replay(rid, k).snapshot()
                assert replayed == fold(rid, log[:k]).snapshot()
                assert replayed == self.seen[rid][k]
            assert self.cm.integrity.replay(rid).snapshot() == self.cm.record(rid).snapshot()


@pytest.fixture
def template(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "template.db"
    service = Service.open(f"sqlite:///{path}", CASE_MANAGER)  # creates and migrates it
    service.close()
    yield path


def test_the_service_keeps_its_promises_in_any_order(template: Path) -> None:
    ServiceMachine.template = template
    ServiceMachine.key = create_key(SUPERVISOR.name, None)  # in this test's ETHICSDESK_HOME
    run_state_machine_as_test(
        ServiceMachine,
        settings=settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=STATEFUL_STEPS,
            deadline=None,
            database=None,
            # the same runs every time: what the runs reach (below) is a property of the suite, not luck
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    for what in (
        "a change was made",
        "a change was refused",
        "a record was signed",
        "a signed record took an addendum or an export",
        "an edit of a signed record was refused",
    ):
        assert REACHED[what] > 0, f"no run got to: {what} ({dict(REACHED)})"
