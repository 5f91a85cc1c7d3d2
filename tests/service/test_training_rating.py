"""The trainer's rating of a training attempt (service/training.py `rate_attempt`), on each engine:
recorded as a `training.rated` event, read back from the tables as the events give it, shown in
the debrief beside the reference and as each trainee's level in the cohort view; refused to a
case manager in one sentence, and on a case record."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ethicsdesk.errors import BadInput
from ethicsdesk.service import Service
from ethicsdesk.service.review import RatingInput
from ethicsdesk.settings import User

SAMPLE = "discharge-against-advice"
TESS = User("Tess Morrow", "trainer")
MARKS = {"question": "met", "information": "partly", "analysis": "not-met", "conclusions": "met"}
FIRST = RatingInput(MARKS, 2, "The analysis skips the daughter's view.")
SECOND = RatingInput(dict.fromkeys(MARKS, "met"), 4)


@pytest.fixture
def trainer(service: Service, db_url: str) -> Iterator[Service]:
    svc = Service.open(db_url, TESS)
    yield svc
    svc.close()


def test_a_rating_is_an_event_on_the_attempt_and_the_tables_give_it_back(service: Service, trainer: Service) -> None:
    rid = service.training.start_training(SAMPLE)
    trainer.training.rate_attempt(rid, FIRST)
    assert [e["type"] for e in service.integrity.event_payloads(rid)][-1] == "training.rated"
    state = service.record(rid)  # read from the tables, checked against the events
    assert state.trainer_rating is not None
    assert (state.trainer_rating.marks, state.trainer_rating.level) == (MARKS, 2)
    assert (state.trainer_rating.note, state.trainer_rating.rated_by) == (FIRST.note, TESS.name)
    assert state.rating is None and state.answers == {}  # neither a sign-off rating nor an answer
    assert service.integrity.verify() == (1, [])


def test_the_debrief_sets_the_trainers_marks_beside_the_reference(service: Service, trainer: Service) -> None:
    rid = service.training.start_training(SAMPLE)
    assert service.training.debrief(rid).rating is None
    assert service.training.debrief(rid).to_json()["rating"] is None
    trainer.training.rate_attempt(rid, FIRST)
    shown = service.training.debrief(rid).to_json()  # the trainee sees the trainer's rating of their attempt
    assert [(d["id"], d["rated"]) for d in shown["domains"]] == list(MARKS.items())
    assert [d["reference"] for d in shown["domains"]] == ["met"] * 4  # beside the reference's marks
    assert (shown["rating"]["level"], shown["rating"]["level_label"]) == (2, "below acceptable")
    assert (shown["rating"]["note"], shown["rating"]["rated_by"]) == (FIRST.note, TESS.name)
    trainer.training.rate_attempt(rid, SECOND)  # a later rating replaces the earlier
    assert service.training.debrief(rid).to_json()["rating"]["level"] == 4


def test_the_cohort_shows_each_trainees_level_or_not_rated(service: Service, trainer: Service) -> None:
    rated = service.training.start_training(SAMPLE)
    unrated = service.training.start_training(SAMPLE)
    trainer.training.rate_attempt(rated, SECOND)
    attempts = {a["record_id"]: a for a in service.training.cohort(SAMPLE).to_json()["attempts"]}
    assert (attempts[rated]["level"], attempts[rated]["level_label"]) == (4, "strong")
    assert (attempts[unrated]["level"], attempts[unrated]["level_label"]) == (None, "not rated")
    assert attempts[unrated]["domains_done"] is not None  # the domains written stay beside it


def test_a_supervisor_may_rate_too(service: Service, other_service: Callable[[User], Service]) -> None:
    rid = service.training.start_training(SAMPLE)
    other_service(User("Dana Okafor", "supervisor")).training.rate_attempt(rid, SECOND)
    assert service.training.cohort(SAMPLE).attempts[0].level == 4


def test_a_case_manager_is_refused_in_one_sentence_and_nothing_is_logged(service: Service) -> None:
    rid = service.training.start_training(SAMPLE)
    count = service.record(rid).events
    with pytest.raises(BadInput) as refused:
        service.training.rate_attempt(rid, FIRST)
    assert refused.value.message == (
        "Only a trainer or a supervisor can rate a training attempt; you are recorded as a case manager."
    )
    assert service.record(rid).events == count


def test_a_partial_rating_and_a_case_record_are_refused(service: Service, trainer: Service) -> None:
    rid = service.training.start_training(SAMPLE)
    with pytest.raises(BadInput, match="marks each of the four domains"):
        trainer.training.rate_attempt(rid, RatingInput({"question": "met"}, 3))
    with pytest.raises(BadInput, match="whole number from 1"):
        trainer.training.rate_attempt(rid, RatingInput(MARKS, 5))
    case = service.editing.create_record("A real case")
    with pytest.raises(BadInput, match="not a training attempt"):
        trainer.training.rate_attempt(case, SECOND)
    assert service.record(case).trainer_rating is None
