"""Training: attempts on sample dilemmas, their debrief against the reference, and the cohort view.

A training attempt is a record of kind "training" whose `sample_id` names the sample. It starts
with one `record.imported` event that carries the sample WITHOUT its answers: the situation,
stakeholders, identifiers, question and options are given; the reference weighing, the chosen
option, its rationale and the sample's list of obligations are left out, because the trainee's own
obligations, weighing and decision are what the debrief compares. The reference is read from the
library again at debrief time, so it never enters the trainee's record or its event log.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ethicsdesk.domain.client_part import CLIENT_PART_FIELDS
from ethicsdesk.domain.events.making import RECORD_IMPORTED
from ethicsdesk.domain.events.review import TRAINING_RATED
from ethicsdesk.domain.frameworks import DEFAULT_FRAMEWORK
from ethicsdesk.domain.quality import domains_beside, domains_done, self_check
from ethicsdesk.domain.record import RecordState
from ethicsdesk.domain.training import Cohort, Debrief, Reference, aggregate, compare
from ethicsdesk.errors import BadInput, NotFound
from ethicsdesk.knowledge.dilemma_files import Dilemma, ReferenceIn, find_sample, read_dilemma, sample_paths
from ethicsdesk.service.core import ServiceCore
from ethicsdesk.service.importing import Importing
from ethicsdesk.service.job import Job
from ethicsdesk.store.queries import RecordSummary

if TYPE_CHECKING:
    from ethicsdesk.service.review import RatingInput

PAGE = 200


@dataclass(frozen=True)
class SampleInfo:
    id: str
    title: str
    options: int
    has_reference: bool


# Who decides and the client's part are part of the sample's answer, like its choice: the
# trainee answers them on the Decide step, and the debrief sets the sample's beside them.
HIDDEN_FROM_TRAINEE: dict[str, object] = {
    "reference": None,
    "obligations": [],
    "decision_maker": "",
    "client_involved": "",
    "client_informed": "",
}


def without_reference(dilemma: Dilemma) -> Dilemma:
    """The sample as a trainee receives it: no reference, no obligations, no client's part (the answers)."""
    return Dilemma(dilemma.path, dilemma.sha256, dilemma.data.model_copy(update=HIDDEN_FROM_TRAINEE))


class Training(Job):
    """Training attempts, written as the import writes a dilemma's record (one way), which it is given."""

    def __init__(self, core: ServiceCore, importing: Importing) -> None:
        super().__init__(core)
        self.importing = importing

    # --- the library, as the picker shows it ------------------------------------------------------
    def samples(self) -> list[SampleInfo]:
        found = []
        for path in sample_paths():
            d = read_dilemma(path).data
            found.append(SampleInfo(d.id, d.title, len(d.options), d.reference is not None))
        return found

    def obligation_names(self) -> dict[str, str]:
        """Obligation ids to the names the debrief and cohort texts show."""
        return {o.id: o.name for o in self.catalogue().obligations}

    def _sample(self, sample_id: str) -> tuple[Dilemma, ReferenceIn]:
        """The sample and its reference weighing; refused if it has none."""
        sample = find_sample(sample_id)
        if sample.data.reference is None:
            raise BadInput(
                f"The sample '{sample_id}' has no reference weighing, so there is nothing to debrief against."
            )
        return sample, sample.data.reference

    def reference(self, sample_id: str) -> Reference:
        """The sample's reference weighing as plain data for the comparison."""
        sample, ref = self._sample(sample_id)
        d = sample.data
        fw = self.framework(DEFAULT_FRAMEWORK)  # the dilemma format is written against the CCMC principles
        return Reference(
            sample_id=d.id,
            title=d.title,
            options=tuple((o.key, o.label) for o in d.options),
            principles=fw.ids,
            chosen=ref.chosen,
            rationale=ref.rationale.strip(),
            scores={(o, p): s for o, row in ref.scores.items() for p, s in row.items()},
            weights=dict(ref.weights),
            obligations=tuple(dict.fromkeys(d.obligations)),
            discussion=tuple(ref.discussion),
            notes={(o, p): n for o, row in ref.notes.items() for p, n in row.items() if n},
            names=fw.names,
            sources=tuple((x.kind, x.detail) for x in ref.sources),
            plan={
                k: v
                for k, v in {
                    **{f"plan_{part}": text for part, text in (ref.plan.model_dump() if ref.plan else {}).items()},
                    "follow_up": ref.follow_up,
                }.items()
                if v.strip()
            },
            client_part={name: getattr(d, name) for name in CLIENT_PART_FIELDS if getattr(d, name)},
            floors={(ob, o): v == "meets" for o, row in ref.floors.items() for ob, v in row.items()},
        )

    # --- attempts ---------------------------------------------------------------------------------
    def start_training(self, sample_id: str) -> str:
        """A new training attempt on the sample, by the acting user; returns its record id."""
        sample, _ = self._sample(sample_id)
        return self.importing.import_dilemmas([without_reference(sample)], kind="training")[0]

    def attempts(self, sample_id: str) -> list[RecordSummary]:
        """Every training attempt on the sample, oldest first (all of them, page by page)."""
        found: dict[str, RecordSummary] = {}
        offset = 0
        while True:
            page = self.list_records(kind="training", sample_id=sample_id, limit=PAGE, offset=offset)
            for row in page:
                found.setdefault(row.id, row)
            if len(page) < PAGE:
                break
            offset += PAGE
        return sorted(found.values(), key=lambda r: (r.created_at, r.id))

    def debrief(self, record_id: str) -> Debrief:
        """The attempt compared with its sample's reference."""
        state = self.record(record_id)
        if state.kind != "training" or not state.sample_id:
            raise BadInput(
                f"'{record_id}' is a case record, not a training attempt; only training attempts have a debrief."
            )
        found = compare(state, self._reference_for(state.sample_id))
        principles, floors = self.framework_of(state).ids, [f.id for f in self.catalogue().floors]
        beside = domains_beside(state, self._reference_record(state.sample_id), principles, floors)
        return replace(found, domains=beside)

    def cohort(self, sample_id: str) -> Cohort:
        """Every attempt on the sample side by side; a sample nobody has attempted gives an empty cohort.
        Each attempt says how many of the four domains after ECQAT it has written in full."""
        reference = self.reference(sample_id)
        states = [self.record(r.id) for r in self.attempts(sample_id)]
        found = aggregate(reference, states)
        floors = [f.id for f in self.catalogue().floors]
        done = [domains_done(c.mark for c in self_check(s, self.framework_of(s).ids, floors)) for s in states]
        return replace(
            found, attempts=tuple(replace(a, domains_done=n) for a, n in zip(found.attempts, done, strict=True))
        )

    def rate_attempt(self, record_id: str, rating: RatingInput) -> RecordState:
        """Rate a training attempt on the four domains after ECQAT with an overall level 1-4 and an
        optional note (domain/quality.py), as a `training.rated` event on the attempt; a later
        rating replaces the earlier in the debrief and the cohort view. Only a trainer or a
        supervisor rates: the rating is a judgement the trainee's own debrief shows them."""
        from ethicsdesk.domain.quality import rating_problem
        from ethicsdesk.service.editing import _text

        if self.user.role not in ("trainer", "supervisor"):
            raise BadInput(
                f"Only a trainer or a supervisor can rate a training attempt; you are recorded as a {self.user.role}."
            )
        problem = rating_problem(rating.marks, rating.level)
        if problem is not None:
            raise BadInput(problem)
        note = _text(rating.note, "The note", 4_000).strip()
        if self.record(record_id).kind != "training":
            raise BadInput(f"'{record_id}' is a case record, not a training attempt; only training attempts are rated.")
        rated = TRAINING_RATED.new({"marks": dict(rating.marks), "level": rating.level, "note": note})
        return self._change(record_id, rated)

    def _reference_record(self, sample_id: str) -> RecordState:
        """The sample with its reference filled in, as importing it would make the record (nothing
        stored): what the reference wrote, for the four domains beside the attempt's."""
        from ethicsdesk.domain.dates import settle_follow_up
        from ethicsdesk.domain.fold import apply
        from ethicsdesk.domain.record import Event

        sample, _ = self._sample(sample_id)
        # folded, never stored: it carries only what the reference needs, not an import's provenance
        payload = {"kind": "training", "dilemma": settle_follow_up(sample.payload(), self.today())}
        return apply(RecordState(id=sample_id), Event(sample_id, 1, RECORD_IMPORTED.type, "", "", payload))

    def _reference_for(self, sample_id: str) -> Reference:
        try:
            return self.reference(sample_id)
        except NotFound:
            raise NotFound(
                f"The sample '{sample_id}' this attempt was made on is no longer in the library, "
                "so there is no reference to compare it with."
            ) from None
