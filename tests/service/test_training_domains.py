"""The four domains after ECQAT in training (domain/quality.py through service/training.py): the
debrief sets the attempt's marks beside the reference's, folded from the sample as importing it
would make the record, and the cohort says how many domains each attempt has written in full."""

from __future__ import annotations

from ethicsdesk.service import Service

SAMPLE = "discharge-against-advice"


def test_the_debrief_sets_the_attempts_domains_beside_the_references(service: Service) -> None:
    rid = service.training.start_training(SAMPLE)
    service.editing.decide(rid, "chosen", "support-return-home")
    first = dict((d, (mine, theirs)) for d, mine, theirs in service.training.debrief(rid).domains)
    assert [theirs for _, theirs in first.values()] == ["met"] * 4  # the sample's reference is whole
    assert first["question"][0] == "met"  # given by the sample
    assert first["conclusions"][0] == "partly"  # a choice, no rationale or plan yet
    service.editing.decide(rid, "rationale", "She is capable, and she decides.")
    service.editing.set_text(rid, "plan_actions", "The case manager arranges home care by Monday.")
    count = service.record(rid).events
    assert dict((d, m) for d, m, _ in service.training.debrief(rid).domains)["conclusions"] == "met"
    assert service.record(rid).events == count  # the reference is folded in memory: nothing logged


def test_the_cohort_counts_each_attempts_domains_written(service: Service) -> None:
    bare = service.training.start_training(SAMPLE)
    decided = service.training.start_training(SAMPLE)
    service.editing.decide(decided, "chosen", "support-return-home")
    service.editing.decide(decided, "rationale", "She is capable, and she decides.")
    service.editing.set_text(decided, "plan_actions", "The case manager arranges home care by Monday.")
    done = {a.record_id: a.domains_done for a in service.training.cohort(SAMPLE).attempts}
    bare_done = done[bare]
    assert bare_done is not None
    assert done[decided] == bare_done + 1  # the conclusions written
    assert service.training.cohort(SAMPLE).to_json()["attempts"][0]["domains_done"] == done[bare]
