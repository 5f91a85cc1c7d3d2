"""The child of the crash test (test_crash.py): walks dilemmas through the service until it is killed.

    python crash_walker.py DB_URL ACKS_FILE SEED OUT_DIR

After every service call returns, it appends one line to ACKS_FILE and fsyncs it:

    ack <record id> <event count after the call> <head hash after the call> <what it did>

so every line is an edit the service acknowledged, which the parent then looks for in the database.
It first writes "ready <pid>" once the service is open. Each record goes the whole way (situation,
options, weighing, decision, consultation, answer, signature, addenda, an export); a restarted child
carries on with the records the last one left unfinished, so a walk crosses many kills. The parent
makes the supervisor's signing key beforehand (ETHICSDESK_HOME is inherited).
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

from ethicsdesk.errors import BadInput
from ethicsdesk.service import Service
from ethicsdesk.service.exporting import export_record
from ethicsdesk.service.signing import load_key
from ethicsdesk.settings import User

CASE_MANAGER = User("Robin Ashdown", "case manager")
SUPERVISOR = User("Dana Whitlock", "supervisor")
DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"
ADDENDA = 2


class Walker:
    def __init__(self, url: str, acks: Path, seed: int, out: Path) -> None:
        self.rng = random.Random(seed)
        self.out = out
        self.cm = self._open(url, CASE_MANAGER)
        self.sup = self._open(url, SUPERVISOR)
        self.key = load_key(SUPERVISOR.name, None)
        self.principles = list(self.cm.framework().ids)
        self.samples = sorted(DILEMMAS.glob("*.toml"))
        self.acks = open(acks, "a", encoding="utf-8")  # noqa: SIM115 (open for the life of the process)
        self._line(f"ready {os.getpid()}")

    @staticmethod
    def _open(url: str, user: User) -> Service:
        service = Service.open(url, user)
        return service

    def _line(self, text: str) -> None:
        self.acks.write(text + "\n")
        self.acks.flush()
        os.fsync(self.acks.fileno())

    def ack(self, rid: str, what: str) -> None:
        """The call returned: say so durably, with the head it left (one writer, so it is ours)."""
        summary = self.cm.summary(rid)
        self._line(f"ack {rid} {summary.events} {summary.head_hash} {what}")

    def unfinished(self) -> list[str]:
        records = self.cm.list_records(kind=None)
        return [r.id for r in records if r.status != "signed" or len(self.cm.record(r.id).addenda) < ADDENDA]

    def run(self) -> None:
        while True:
            open_ids = self.unfinished()
            roll = self.rng.random()
            if not open_ids or roll < 0.15:
                rid = self.cm.editing.create_record(f"Walk {self.rng.randrange(10**6)}", case_code="C-1")
                self.ack(rid, "record.created")
            elif roll < 0.22:
                files = self.rng.sample(self.samples, 2)
                for rid in self.cm.importing.import_files(files):  # two records in one transaction
                    self.ack(rid, "record.imported")
            else:
                self.step(self.rng.choice(open_ids))

    def step(self, rid: str) -> None:
        """The next thing this record needs, as a case manager and then a supervisor would do it."""
        cm, sup, rng = self.cm, self.sup, self.rng
        state = cm.record(rid)
        unscored = [(o.key, p) for o in state.options for p in self.principles if (o.key, p) not in state.scores]
        if not state.text.get("facts"):
            cm.editing.set_text(rid, "facts", f"Facts {rng.random()}")
            self.ack(rid, "field.set facts")
        elif len(state.options) < 2:
            key = cm.editing.add_option(rid, f"Option {rng.randrange(10**6)}", "described")
            self.ack(rid, f"option.added {key}")
        elif unscored:
            option, principle = rng.choice(unscored)
            cm.editing.score(rid, option, principle, rng.randint(-2, 2))
            self.ack(rid, f"cell.scored {option} {principle}")
        elif rng.random() < 0.3 and state.signature is None:
            cm.editing.set_weight(rid, rng.choice(self.principles), rng.randint(0, 3))
            self.ack(rid, "weight.set")
        elif not state.decision.get("chosen"):
            cm.editing.decide(rid, "chosen", rng.choice(state.options).key)
            self.ack(rid, "decision.set chosen")
        elif not state.decision.get("rationale"):
            cm.editing.decide(rid, "rationale", f"Because {rng.random()}")
            self.ack(rid, "decision.set rationale")
        elif state.consultation is None:
            cm.editing.request_consultation(rid, SUPERVISOR.name, "Do you agree?")
            self.ack(rid, "consultation.requested")
        elif state.consultation.state == "requested":
            sup.review.answer_consultation(rid, "concur", "Agreed: the reasons hold.")
            self.ack(rid, "consultation.answered")
        elif state.signature is None:
            sup.review.sign(rid, self.key)
            self.ack(rid, "record.signed")
        elif rng.random() < 0.3:
            export_record(cm, rid, "json", self.out / f"{rid}.json", force=True)  # a newer report of it
            self.ack(rid, "record.exported")
        else:
            try:
                cm.editing.set_text(rid, "facts", "An edit after signing")
            except BadInput:
                pass  # frozen, as it should be: nothing to acknowledge
            else:
                raise AssertionError(f"{rid} was edited after it was signed")
            cm.review.add_addendum(rid, "outcome", "What happened next.", f"Outcome {rng.random()}")
            self.ack(rid, "addendum.added")


def main() -> None:
    url, acks, seed, out = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
    Walker(url, acks, seed, out).run()


if __name__ == "__main__":
    main()
