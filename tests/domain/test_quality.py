"""The four domains after ECQAT: a rating as an event folds onto its own sign-off request, and the
case manager's self-check flips each domain as the record fills."""

from __future__ import annotations

from typing import Any

import pytest

from ethicsdesk.domain.fold import fold
from ethicsdesk.domain.prompts import JUSTIFICATION_CONDITIONS
from ethicsdesk.domain.quality import (
    RATING_DOMAINS,
    TRAINING_RATING_ROW_PREFIX,
    rating_from_rows,
    rating_problem,
    rating_rows,
    self_check,
)
from ethicsdesk.domain.record import DomainError, Event, Option, RecordState, Source, Stakeholder, justification_key

PRINCIPLES = ("autonomy", "beneficence")
FLOORS = ("duty-to-warn",)
MARKS = {"question": "met", "information": "partly", "analysis": "not-met", "conclusions": "met"}


def events(*specs: tuple[str, str, dict[str, Any]]) -> list[Event]:
    return [Event("r1", n, t, actor, f"2026-12-0{n}T10:00:00+00:00", p) for n, (t, actor, p) in enumerate(specs, 1)]


def created() -> tuple[str, str, dict[str, Any]]:
    return ("record.created", "Robin", {"title": "Going home"})


def asked() -> tuple[str, str, dict[str, Any]]:
    return ("consultation.requested", "Robin", {"supervisor": "Dana", "question": "Is it justified?"})


def rated(level: int, **marks: str) -> tuple[str, str, dict[str, Any]]:
    return ("consultation.rated", "Dana", {"marks": {**MARKS, **marks}, "level": level, "note": f"level {level}"})


def answered(outcome: str) -> tuple[str, str, dict[str, Any]]:
    return ("consultation.answered", "Dana", {"outcome": outcome, "notes": "Reasons."})


def test_a_rating_folds_onto_the_open_request_with_who_and_when() -> None:
    state = fold("r1", events(created(), asked(), rated(3)))
    assert state.rating is not None
    assert (state.rating.marks, state.rating.level, state.rating.note) == (MARKS, 3, "level 3")
    assert (state.rating.rated_by, state.rating.rated_at) == ("Dana", "2026-12-03T10:00:00+00:00")
    assert state.snapshot()["rating"]["level"] == 3


def test_a_second_request_starts_unrated_and_keeps_its_own_rating() -> None:
    log = events(created(), asked(), rated(2, analysis="not-met"), answered("do-not-concur"), asked(),
                 rated(4, analysis="met"), answered("concur"))
    first = fold("r1", log[:4])
    assert first.rating is not None and first.rating.level == 2
    second_asked = fold("r1", log[:5])
    assert second_asked.rating is None  # the first request's rating is not carried onto the second
    second = fold("r1", log)
    assert second.rating is not None and (second.rating.level, second.rating.marks["analysis"]) == (4, "met")
    assert second.consultation is not None and second.consultation.outcome == "concur"


@pytest.mark.parametrize(
    ("log", "message"),
    [
        ((created(), rated(3)), "no sign-off consultation request to rate"),
        ((created(), asked(), ("consultation.withdrawn", "Robin", {}), rated(3)), "no sign-off consultation"),
        ((created(), asked(), rated(5)), r"from 1 \(poor\) to 4 \(strong\)"),
        ((created(), asked(), rated(3, analysis="fine")), "ethical analysis is marked one of"),
        ((created(), asked(), ("consultation.rated", "Dana", {"marks": {"question": "met"}, "level": 3})),
         "marks each of the four domains"),
        ((created(), ("answer.set", "Robin", {"question": "consultation.rating:level", "value": "4"})),
         "not a question of the decision checks"),
    ],
)
def test_what_is_not_a_rating_is_refused(log: tuple[tuple[str, str, dict[str, Any]], ...], message: str) -> None:
    with pytest.raises(DomainError, match=message):
        fold("r1", events(*log))


def test_a_rating_reads_back_from_its_rows_as_written() -> None:
    state = fold("r1", events(created(), asked(), rated(1)))
    assert state.rating is not None
    assert rating_from_rows({**rating_rows(state.rating), "justify:autonomy:reason": "x"}) == state.rating
    assert rating_from_rows({"justify:autonomy:reason": "x"}) is None


def test_rating_problem_says_nothing_of_a_whole_rating() -> None:
    assert rating_problem(dict.fromkeys(RATING_DOMAINS, "partly"), 2) is None
    assert rating_problem(dict.fromkeys(RATING_DOMAINS, "partly"), True) is not None


# --- the self-check ----------------------------------------------------------------------------------
def marks(state: RecordState) -> dict[str, str]:
    return {c.domain: c.mark for c in self_check(state, PRINCIPLES, FLOORS)}


def check_of(state: RecordState, domain: str) -> Any:
    return next(c for c in self_check(state, PRINCIPLES, FLOORS) if c.domain == domain)


def test_an_empty_record_meets_no_domain_and_names_where_to_start() -> None:
    state = RecordState("r1")
    assert marks(state) == dict.fromkeys(RATING_DOMAINS, "not-met")
    assert [c.mend_step for c in self_check(state, PRINCIPLES, FLOORS)] == ["situation", "situation", "weigh",
                                                                            "decide"]


def test_the_question_flips_when_it_is_stated() -> None:
    state = RecordState("r1")
    state.text["question"] = "Given her wish to go home, is it justifiable to arrange it?"
    assert check_of(state, "question").mark == "met"
    assert check_of(state, "question").mend_step is None


def test_information_goes_from_not_met_through_partly_to_met() -> None:
    state = RecordState("r1")
    state.text.update(facts="She fell twice.", client_wishes="To go home.")
    partly = check_of(state, "information")
    assert (partly.mark, partly.mend_step) == ("partly", "situation")
    assert partly.lacking == ("decision-making capacity or who decides", "the stakeholders", "the sources consulted")
    state.text["decision_maker"] = "client"
    state.stakeholders = [Stakeholder("Daughter", "her safety")]
    assert (check_of(state, "information").mark, check_of(state, "information").mend_step) == ("partly", "obligations")
    state.sources = [Source("code", "CCMC Principle 1")]
    assert check_of(state, "information").mark == "met"


def weighed(chosen_score: int = 1) -> RecordState:
    state = RecordState("r1")
    state.options = [Option("home", "Home"), Option("stay", "Stay")]
    state.scores = {("home", "autonomy"): 2, ("home", "beneficence"): chosen_score, ("stay", "autonomy"): -1,
                    ("stay", "beneficence"): 1}
    return state


def test_analysis_flips_with_the_weighing_the_floors_and_the_tensions() -> None:
    state = weighed(chosen_score=-1)
    assert check_of(state, "analysis").mark == "partly"  # weighed, but nothing chosen to address tensions
    state.decision["chosen"] = "home"
    assert check_of(state, "analysis").lacking == ("each compromised principle justified and its harm mitigated",)
    state.decision["mitigation"] = "Daily visits."
    for c in JUSTIFICATION_CONDITIONS[:-1]:
        state.answers[justification_key("beneficence", c.id)] = "Said."
    assert check_of(state, "analysis").mark == "partly"  # one condition unanswered
    state.answers[justification_key("beneficence", JUSTIFICATION_CONDITIONS[-1].id)] = "Said."
    assert check_of(state, "analysis").mark == "met"
    state.obligations = ["duty-to-warn"]  # a floor ticked asks each option to be judged against it
    assert (check_of(state, "analysis").mark, check_of(state, "analysis").mend_step) == ("partly", "obligations")
    state.floor_checks = {("duty-to-warn", "home"): True, ("duty-to-warn", "stay"): True}
    assert check_of(state, "analysis").mark == "met"
    del state.scores[("stay", "autonomy")]
    assert check_of(state, "analysis").mark == "partly"


def test_conclusions_need_the_choice_its_rationale_and_a_plan() -> None:
    state = weighed()
    state.decision["chosen"] = "home"
    assert check_of(state, "conclusions").mark == "partly"
    state.decision["rationale"] = "Her wish, with support."
    assert check_of(state, "conclusions").lacking == ("the implementation plan",)
    state.text["plan_actions"] = "Robin arranges visits by Friday."
    assert check_of(state, "conclusions").mark == "met"


def test_a_trainers_rating_folds_onto_a_training_attempt_only() -> None:
    training = ("record.created", "Ada", {"title": "Attempt", "kind": "training"})
    by_trainer = ("training.rated", "Tess", {"marks": MARKS, "level": 2, "note": "Weigh the daughter."})
    state = fold("r1", events(training, by_trainer))
    assert state.trainer_rating is not None and state.rating is None
    assert (state.trainer_rating.level, state.trainer_rating.rated_by) == (2, "Tess")
    rows = rating_rows(state.trainer_rating, TRAINING_RATING_ROW_PREFIX)
    assert all(k.startswith("training.rating:") for k in rows)
    assert rating_from_rows(rows, TRAINING_RATING_ROW_PREFIX) == state.trainer_rating
    assert rating_from_rows(rows) is None  # not read as a sign-off rating
    with pytest.raises(DomainError, match="only a training attempt"):
        fold("r1", events(created(), by_trainer))
    with pytest.raises(DomainError, match="not a question of the decision checks"):
        fold("r1", events(created(), ("answer.set", "Robin", {"question": "training.rating:level", "value": "4"})))
