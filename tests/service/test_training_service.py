"""Training through the service: an attempt starts without the reference's answers, its debrief
compares it with the sample, the cohort gathers every attempt, and training records stay out of
case lists and searches."""

from __future__ import annotations

import json

import pytest

from ethicsdesk.errors import BadInput, NotFound
from ethicsdesk.knowledge.dilemma_files import find_sample
from ethicsdesk.service import Service
from ethicsdesk.service import training as training_module
from ethicsdesk.settings import User
from tests.conftest import DILEMMAS

SAMPLE = "discharge-against-advice"
PRINCIPLES = ("autonomy", "beneficence", "equity", "fidelity", "justice", "nonmaleficence", "veracity")


def reference_scores() -> dict[tuple[str, str], int]:
    ref = find_sample(SAMPLE).data.reference
    assert ref is not None
    return {(o, p): s for o, row in ref.scores.items() for p, s in row.items()}


def as_trainee(service: Service, name: str) -> None:
    service.user = User(name, "case manager")


def test_an_attempt_is_given_the_situation_and_options_but_none_of_the_answers(service: Service) -> None:
    sample = find_sample(SAMPLE).data
    assert sample.reference is not None and sample.obligations  # there are answers to keep back
    rid = service.training.start_training(SAMPLE)
    state = service.record(rid)
    assert (state.kind, state.sample_id, state.created_by) == ("training", SAMPLE, "Robin Ashdown")
    assert state.text["facts"] == sample.facts
    assert state.text["question"] == sample.question
    assert state.identifiers == sample.identifiers
    assert [s.name for s in state.stakeholders] == [s.name for s in sample.stakeholders]
    assert [(o.key, o.label) for o in state.options] == [(o.key, o.label) for o in sample.options]
    assert (state.scores, state.weights, state.notes, state.decision, state.obligations) == ({}, {}, {}, {}, [])
    assert state.status == "draft"
    # nor does the event log carry them
    log = json.dumps(service.integrity.event_payloads(rid))
    assert "reference" not in log
    assert sample.reference.rationale.strip()[:60] not in log
    assert '"obligations"' not in log


def test_an_unknown_sample_starts_nothing(service: Service) -> None:
    with pytest.raises(NotFound, match="no sample dilemma 'no-such-sample'"):
        service.training.start_training("no-such-sample")
    assert service.list_records(kind=None) == []


def test_the_debrief_compares_the_attempt_with_the_reference(service: Service) -> None:
    rid = service.training.start_training(SAMPLE)
    scores = reference_scores()
    for (option, principle), score in scores.items():
        if (option, principle) != ("support-return-home", "nonmaleficence"):
            service.editing.score(rid, option, principle, score)
    service.editing.score(rid, "support-return-home", "nonmaleficence", 1)  # reference -1: two apart, agreement 0.5
    service.editing.set_obligation(rid, "capacity", True)
    service.editing.set_obligation(rid, "confidentiality", True)
    service.editing.decide(rid, "chosen", "hold-for-rehab")
    d = service.training.debrief(rid)
    assert len(d.cells) == 28
    assert d.overall == pytest.approx((27 + 0.5) / 28)
    assert [(c.option, c.principle) for c in d.differences] == [("support-return-home", "nonmaleficence")]
    assert d.obligations_missed == ("informed-consent", "decision-documentation")
    assert d.obligations_added == ("confidentiality",)
    assert (d.chosen, d.reference.chosen, d.same_choice) == ("hold-for-rehab", "support-return-home", False)
    assert d.reference.rationale.startswith("Two competent assessors")
    assert len(d.reference.discussion) == 5
    # the reference weights autonomy 3, beneficence, nonmaleficence and veracity 2; the trainee left all at 1
    assert d.weights_agreement == pytest.approx((1 / 3 + 3 * (2 / 3) + 3 * 1) / 7)


def test_a_case_record_has_no_debrief(service: Service, sample_id: str) -> None:
    with pytest.raises(BadInput, match="not a training attempt"):
        service.training.debrief(sample_id)


def test_a_debrief_needs_its_sample_in_the_library(service: Service) -> None:
    rid = service.editing.create_record("Old attempt", kind="training", sample_id="retired-sample")
    with pytest.raises(NotFound, match=r"'retired-sample'.*no longer in the library"):
        service.training.debrief(rid)


def test_the_cohort_gathers_every_attempt_on_the_sample(service: Service) -> None:
    scores = reference_scores()
    as_trainee(service, "Ada")
    ada = service.training.start_training(SAMPLE)
    for (option, principle), score in scores.items():
        service.editing.score(ada, option, principle, score)
    service.editing.decide(ada, "chosen", "support-return-home")
    for ob in ("capacity", "informed-consent", "decision-documentation"):
        service.editing.set_obligation(ada, ob, True)
    as_trainee(service, "Ben")
    ben = service.training.start_training(SAMPLE)
    service.editing.score(ben, "support-return-home", "autonomy", -2)
    service.editing.decide(ben, "chosen", "seek-override")
    service.editing.set_obligation(ben, "capacity", True)
    as_trainee(service, "Cy")
    service.training.start_training(SAMPLE)  # started, nothing done
    service.training.start_training("gift-from-family")  # another sample: not in this cohort

    cohort = service.training.cohort(SAMPLE)
    assert [a.trainee for a in cohort.attempts] == ["Ada", "Ben", "Cy"]
    assert (cohort.attempts[0].overall, cohort.attempts[2].overall) == (1.0, 0.0)
    assert dict(cohort.choices) == {
        "hold-for-rehab": 0,
        "discharge-home-unsupported": 0,
        "support-return-home": 1,
        "seek-override": 1,
    }
    assert cohort.undecided == 1
    assert cohort.missed == (("informed-consent", 2), ("decision-documentation", 2), ("capacity", 1))
    autonomy = cohort.cell("support-return-home", "autonomy")
    assert (autonomy.minimum, autonomy.maximum, autonomy.unscored, autonomy.reference) == (-2, 2, 1, 2)
    assert [c.principle for c in cohort.widest(1)] == ["autonomy"]


def test_a_sample_nobody_attempted_has_an_empty_cohort(service: Service) -> None:
    cohort = service.training.cohort(SAMPLE)
    assert cohort.attempts == ()
    with pytest.raises(NotFound):
        service.training.cohort("no-such-sample")


def test_attempts_are_read_page_by_page(service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(training_module, "PAGE", 2)
    ids = [service.training.start_training(SAMPLE) for _ in range(5)]
    assert [r.id for r in service.training.attempts(SAMPLE)] == ids  # oldest first, none lost at the page edges
    assert len(service.training.cohort(SAMPLE).attempts) == 5


def test_training_records_stay_out_of_case_lists_and_searches(service: Service, sample_id: str) -> None:
    attempt = service.training.start_training(SAMPLE)
    assert [r.id for r in service.list_records()] == [sample_id]
    # both records hold the word "rehabilitation"; only the case record is found
    assert [r.id for r in service.list_records(search="rehabilitation")] == [sample_id]
    assert [r.id for r in service.list_records(kind="training")] == [attempt]
    assert [r.id for r in service.list_records(kind="training", search="rehabilitation")] == [attempt]


def test_the_library_as_the_picker_lists_it(service: Service) -> None:
    samples = service.training.samples()
    assert len(samples) == len(list(DILEMMAS.glob("*.toml")))
    assert all(s.has_reference for s in samples)
    assert SAMPLE in [s.id for s in samples]
    assert service.training.obligation_names()["capacity"] == "Decision-making capacity"
    assert set(service.training.reference(SAMPLE).principles) == set(PRINCIPLES)


def test_the_debrief_sets_the_trainees_floor_verdicts_beside_the_references(service: Service) -> None:
    """The reference's verdicts are kept out of the attempt (the trainee judges the rules screen alone)
    and set beside the trainee's in the debrief, one row per verdict the sample gives."""
    rid = service.training.start_training("threat-to-third-party")
    assert service.record(rid).floor_checks == {}
    service.editing.set_obligation(rid, "duty-to-warn", True)
    service.editing.check_floor(rid, "duty-to-warn", "keep-confidential-monitor", True)  # a trainee's mistake
    rows = {(ob, opt): (mine, theirs) for ob, opt, mine, theirs in service.training.debrief(rid).floor_rows()}
    assert len(rows) == 8
    assert rows[("duty-to-warn", "keep-confidential-monitor")] == (True, False)
    assert rows[("imminent-risk", "protect-then-tell-when-safe")] == (None, True)
    from ethicsdesk.reporting.training_text import debrief_text

    text = " ".join(debrief_text(service.training.debrief(rid), {"duty-to-warn": "Duty to warn"}).split())
    status_quo = "opt 1 Keep it confidential and see him again tomorrow (status quo)"
    assert f"Duty to warn, {status_quo}: yours: meets; reference: fails" in text
