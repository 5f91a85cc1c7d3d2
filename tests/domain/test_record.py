"""A record is the fold of its events: `apply` is the one place that knows what each event does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ethicsdesk.domain.events.registry import KINDS
from ethicsdesk.domain.fold import apply, fold
from ethicsdesk.domain.record import DomainError, Event, RecordState
from ethicsdesk.knowledge.dilemma_files import read_dilemma

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"
PRINCIPLES = ("autonomy", "beneficence", "equity", "fidelity", "justice", "nonmaleficence", "veracity")


def events(*specs: tuple[str, dict[str, Any]], record_id: str = "r1") -> list[Event]:
    """Events numbered from 1, one second apart, by alternating actors."""
    return [
        Event(record_id, n, type_, "Robin" if n % 2 else "Sam", f"2026-01-01T00:00:{n:02d}.000000Z", payload)
        for n, (type_, payload) in enumerate(specs, 1)
    ]


CREATED = ("record.created", {"kind": "case", "title": "Gift", "case_code": "C-1", "framework": "ccmc"})
TWO_OPTIONS = (
    CREATED,
    ("option.added", {"key": "a", "label": "A"}),
    ("option.added", {"key": "b", "label": "B", "description": "the other"}),
)


def test_created_sets_the_header_and_who_and_when() -> None:
    s = fold("r1", events(CREATED))
    assert (s.id, s.kind, s.framework, s.title, s.case_code) == ("r1", "case", "ccmc", "Gift", "C-1")
    assert s.created_by == s.updated_by == "Robin"
    assert s.created_at == s.updated_at == "2026-01-01T00:00:01.000000Z"
    assert s.events == 1
    assert s.status == "draft"


def test_apply_leaves_its_input_untouched() -> None:
    before = fold("r1", events(*TWO_OPTIONS))
    picture = before.snapshot()
    after = apply(before, Event("r1", 4, "option.removed", "Robin", "t", {"key": "a"}))
    assert before.snapshot() == picture
    assert [o.key for o in after.options] == ["b"]
    assert after.events == 4


def test_fold_is_apply_step_by_step() -> None:
    evs = events(
        *TWO_OPTIONS,
        ("cell.scored", {"option": "a", "principle": "autonomy", "score": 2}),
        ("field.set", {"name": "facts", "value": "She lives alone."}),
        ("decision.set", {"field": "chosen", "value": "a"}),
    )
    state = RecordState(id="r1")
    for k, e in enumerate(evs, 1):
        state = apply(state, e)
        assert state.snapshot() == fold("r1", evs[:k]).snapshot()
    assert state.events == len(evs)


def test_field_set_sets_and_an_empty_value_clears() -> None:
    s = fold("r1", events(CREATED, ("field.set", {"name": "facts", "value": "x"})))
    assert s.text["facts"] == "x"
    s = fold(
        "r1",
        events(CREATED, ("field.set", {"name": "facts", "value": "x"}), ("field.set", {"name": "facts", "value": ""})),
    )
    assert "facts" not in s.text
    assert "facts" not in s.snapshot()["text"]


@pytest.mark.parametrize(
    ("type_", "payload", "words"),
    [
        ("field.set", {"name": "favourite_colour", "value": "x"}, "is not a field"),
        ("list.set", {"name": "options", "items": []}, "is not a list"),
        ("decision.set", {"field": "verdict", "value": "x"}, "is not a part of a decision"),
        ("option.added", {"key": "a", "label": "again"}, "already has an option 'a'"),
        ("option.changed", {"key": "zz", "label": "x"}, "has no option 'zz'"),
        ("option.removed", {"key": "zz"}, "has no option 'zz'"),
        ("option.moved", {"key": "zz", "position": 0}, "has no option 'zz'"),
        ("field.set", {"name": "facts"}, "lacks 'value'"),
        ("cell.scored", {"principle": "autonomy", "score": 1}, "lacks 'option'"),
        ("record.imported", {"kind": "case"}, "lacks 'dilemma'"),
        ("record.deleted", {}, "unknown event type 'record.deleted'"),
    ],
)
def test_an_event_the_record_cannot_take_is_refused(type_: str, payload: dict[str, Any], words: str) -> None:
    state = fold("r1", events(*TWO_OPTIONS))
    with pytest.raises(DomainError, match=words):
        apply(state, Event("r1", 4, type_, "Robin", "t", payload))


def test_options_are_added_at_a_position_moved_with_clamping_and_changed() -> None:
    evs = events(
        *TWO_OPTIONS,
        ("option.added", {"key": "c", "label": "C", "position": 0}),
        ("option.moved", {"key": "b", "position": -1}),  # below the first place: the first place
        ("option.moved", {"key": "c", "position": 99}),  # beyond the last: the last
        ("option.moved", {"key": "b", "position": 1}),
        ("option.changed", {"key": "a", "description": "first"}),
    )
    orders = [[o.key for o in fold("r1", evs[:k]).options] for k in range(4, len(evs) + 1)]
    assert orders == [["c", "a", "b"], ["b", "c", "a"], ["b", "a", "c"], ["a", "b", "c"], ["a", "b", "c"]]
    s = fold("r1", evs)
    assert (s.option("a").label, s.option("a").description) == ("A", "first")  # type: ignore[union-attr]
    assert s.option("zz") is None


def test_removing_an_option_removes_its_cells_floor_checks_and_the_choice() -> None:
    s = fold(
        "r1",
        events(
            *TWO_OPTIONS,
            ("cell.scored", {"option": "a", "principle": "autonomy", "score": 2}),
            ("cell.noted", {"option": "a", "principle": "autonomy", "note": "her wish"}),
            ("cell.scored", {"option": "b", "principle": "autonomy", "score": -1}),
            ("obligation.set", {"id": "duty-to-warn", "ticked": True}),
            ("floor.checked", {"obligation": "duty-to-warn", "option": "a", "honours": True}),
            ("decision.set", {"field": "chosen", "value": "a"}),
            ("option.removed", {"key": "a"}),
        ),
    )
    assert s.scores == {("b", "autonomy"): -1}
    assert s.notes == {}
    assert s.floor_checks == {}
    assert "chosen" not in s.decision


def test_cells_are_scored_noted_and_cleared() -> None:
    s = fold(
        "r1",
        events(
            *TWO_OPTIONS,
            ("cell.scored", {"option": "a", "principle": "justice", "score": -2}),
            ("cell.noted", {"option": "a", "principle": "justice", "note": "unfair"}),
            ("cell.scored", {"option": "b", "principle": "justice", "score": 1}),
            ("cell.scored", {"option": "b", "principle": "justice", "score": None}),
            ("cell.noted", {"option": "a", "principle": "justice", "note": ""}),
        ),
    )
    assert s.scores == {("a", "justice"): -2}
    assert s.notes == {}


def test_weights_default_to_one_and_priority_is_an_order() -> None:
    s = fold(
        "r1",
        events(CREATED, ("weight.set", {"principle": "equity", "weight": 3}), ("priority.set", {"order": ["b", "a"]})),
    )
    assert s.weight("equity") == 3
    assert s.weight("autonomy") == 1
    assert s.priority == ["b", "a"]


def test_unticking_an_obligation_drops_its_floor_checks() -> None:
    s = fold(
        "r1",
        events(
            *TWO_OPTIONS,
            ("obligation.set", {"id": "duty-to-warn", "ticked": True}),
            ("obligation.set", {"id": "duty-to-warn", "ticked": True}),
            ("obligation.set", {"id": "capacity", "ticked": True}),
            ("floor.checked", {"obligation": "duty-to-warn", "option": "a", "honours": False}),
            ("floor.checked", {"obligation": "duty-to-warn", "option": "b", "honours": True}),
            ("floor.checked", {"obligation": "duty-to-warn", "option": "b", "honours": None}),
        ),
    )
    assert s.obligations == ["duty-to-warn", "capacity"]
    assert s.floor_checks == {("duty-to-warn", "a"): False}
    s = apply(s, Event("r1", 10, "obligation.set", "Robin", "t", {"id": "duty-to-warn", "ticked": False}))
    assert s.obligations == ["capacity"]
    assert s.floor_checks == {}


def test_status_follows_the_walk() -> None:
    evs = events(
        *TWO_OPTIONS,
        ("decision.set", {"field": "chosen", "value": "a"}),
        ("consultation.requested", {"supervisor": "Dana", "question": "ok?", "urgent": True}),
        ("consultation.withdrawn", {}),
        ("field.set", {"name": "outcome", "value": "He went home."}),
    )
    assert [fold("r1", evs[:k]).status for k in range(3, 8)] == [
        "draft",
        "decided",
        "awaiting-consultation",
        "decided",
        "closed",
    ]
    c = fold("r1", evs[:5]).consultation
    assert c is not None
    assert (c.supervisor, c.urgent, c.requested_by, c.requested_at, c.state) == (
        "Dana",
        True,
        "Robin",  # the actor of event 5
        "2026-01-01T00:00:05.000000Z",
        "requested",
    )


def test_lists_stakeholders_and_answers() -> None:
    s = fold(
        "r1",
        events(
            CREATED,
            ("list.set", {"name": "tags", "items": ["gifts", "policy"]}),
            ("list.set", {"name": "identifiers", "items": ["Saoirse"]}),
            ("stakeholders.set", {"items": [{"name": "Daughter", "interest": "respect"}, {"name": "Team"}]}),
            ("answer.set", {"question": "test:publicity", "value": "yes"}),
            ("answer.set", {"question": "test:justice", "value": "yes"}),
            ("answer.set", {"question": "test:justice", "value": ""}),
        ),
    )
    assert s.tags == ["gifts", "policy"]
    assert s.identifiers == ["Saoirse"]
    assert [(x.name, x.interest) for x in s.stakeholders] == [("Daughter", "respect"), ("Team", "")]
    assert s.answers == {"test:publicity": "yes"}


@pytest.mark.parametrize("type_", sorted(name for name, kind in KINDS.items() if kind.apply is None))
def test_a_neutral_event_changes_no_content(type_: str) -> None:
    before = fold("r1", events(*TWO_OPTIONS))
    after = apply(before, Event("r1", 4, type_, "Sam", "later", {"format": "md", "masked": True}))
    a, b = before.snapshot(), after.snapshot()
    assert {k for k in a if a[k] != b[k]} == {"events", "updated_at", "updated_by"}


def test_an_imported_dilemma_brings_its_reference_weighing() -> None:
    d = read_dilemma(DILEMMAS / "gift-from-family.toml")
    payload = {"kind": "training", "sample_id": d.id, "source": "gift-from-family.toml", "dilemma": d.payload()}
    s = fold("r1", [Event("r1", 1, "record.imported", "Robin", "t0", payload)])
    assert (s.kind, s.sample_id, s.source) == ("training", "gift-from-family", "gift-from-family.toml")
    assert s.title == d.data.title
    assert s.case_code == "C-4410"
    assert [o.key for o in s.options] == [o.key for o in d.data.options]
    assert len(s.scores) == len(d.data.options) * len(PRINCIPLES)
    assert s.scores[("accept-both", "equity")] == -2
    assert s.weight("equity") == 2
    assert s.notes[("decline-all", "veracity")] == "Transparent and consistent with policy."
    assert s.decision["chosen"] == "accept-token-decline-card"
    assert s.decision["rationale"].strip().startswith("The ranking here is close")
    assert s.obligations == [
        "dual-relationship",
        "conflict-of-interest",
        "cultural-considerations",
        "decision-documentation",
        "gifts",
    ]
    assert s.status == "decided"


def test_the_snapshot_drops_empty_texts_and_sorts_what_has_no_order() -> None:
    one = fold(
        "r1",
        events(
            *TWO_OPTIONS,
            ("cell.scored", {"option": "b", "principle": "veracity", "score": 1}),
            ("cell.scored", {"option": "a", "principle": "autonomy", "score": 2}),
        ),
    )
    two = fold(
        "r1",
        events(
            *TWO_OPTIONS,
            ("cell.scored", {"option": "a", "principle": "autonomy", "score": 2}),
            ("cell.scored", {"option": "b", "principle": "veracity", "score": 1}),
        ),
    )
    assert one.snapshot()["scores"] == two.snapshot()["scores"] == [["a", "autonomy", 2], ["b", "veracity", 1]]
    one.text["assumptions"] = ""
    assert "assumptions" not in one.snapshot()["text"]
    # but the order of the options is part of the record
    assert one.snapshot()["options"] == [["a", "A", ""], ["b", "B", "the other"]]


# --- consultation from any step --------------------------------------------------------------------
def test_a_request_logged_before_issue_17_folds_as_the_sign_off_to_a_supervisor() -> None:
    # the payloads exactly as they were logged before: no step, kind, number or recorded
    s = fold(
        "r1",
        events(
            CREATED,
            ("consultation.requested", {"supervisor": "Dana", "question": "Is this right?", "urgent": False}),
            ("consultation.answered", {"outcome": "concur", "notes": "It holds.", "conditions": ""}),
        ),
    )
    c = s.consultation
    assert c is not None and (c.step, c.kind, c.number, c.mid_walk) == ("consult", "supervisor", 0, False)
    assert (c.state, c.outcome, c.answered_by, c.recorded_by) == ("answered", "concur", "Robin", "")
    assert s.step_consultations == [] and s.status == "consulted"
    withdrawn = fold(
        "r1", events(CREATED, ("consultation.requested", {"supervisor": "Dana"}), ("consultation.withdrawn", {}))
    )
    assert withdrawn.consultation is not None and withdrawn.consultation.state == "withdrawn"


def test_a_consultation_asked_mid_walk_is_input_and_leaves_the_status_alone() -> None:
    s = fold(
        "r1",
        events(
            *TWO_OPTIONS,
            ("consultation.requested", {"supervisor": "Dana", "question": "Is B lawful?", "step": "options"}),
            (
                "consultation.requested",
                {"supervisor": "Ethics committee", "question": "Q", "kind": "committee", "step": "weigh"},
            ),
        ),
    )
    assert s.consultation is None and s.status == "draft"
    assert [(c.number, c.step, c.kind, c.state) for c in s.step_consultations] == [
        (1, "options", "supervisor", "requested"),
        (2, "weigh", "committee", "requested"),
    ]
    # the supervisor's advice may carry no verdict; the committee's answer is written in by the case manager
    s = apply(s, Event("r1", 6, "consultation.answered", "Dana", "t6", {"number": 1, "outcome": "", "notes": "Yes."}))
    s = apply(
        s,
        Event(
            "r1",
            7,
            "consultation.answered",
            "Robin",
            "t7",
            {"number": 2, "outcome": "", "notes": "B.", "recorded": True},
        ),
    )
    first, second = s.step_consultations
    assert (first.state, first.answered_by, first.recorded_by, first.notes) == ("answered", "Dana", "", "Yes.")
    assert (second.answered_by, second.recorded_by) == ("Ethics committee", "Robin")
    assert s.status == "draft" and [c.number for c in s.consultations] == [1, 2]
    s = apply(
        s, Event("r1", 8, "consultation.requested", "Robin", "t8", {"supervisor": "Dana", "question": "Sign off?"})
    )
    assert s.status == "awaiting-consultation" and [c.number for c in s.consultations] == [1, 2, 0]


def test_the_sign_off_answer_needs_its_verdict_and_a_mid_walk_number_must_exist() -> None:
    base = fold("r1", events(CREATED, ("consultation.requested", {"supervisor": "Dana"})))
    with pytest.raises(DomainError, match="not a consultation outcome"):
        apply(base, Event("r1", 3, "consultation.answered", "Dana", "t", {"outcome": "", "notes": "x"}))
    with pytest.raises(DomainError, match="no open consultation"):
        apply(base, Event("r1", 3, "consultation.answered", "Dana", "t", {"number": 4, "outcome": "concur"}))
    with pytest.raises(DomainError, match="not someone"):
        apply(base, Event("r1", 3, "consultation.requested", "Robin", "t", {"supervisor": "X", "kind": "oracle"}))
