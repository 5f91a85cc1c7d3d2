"""Which parts of a record an edit changes (ethicsdesk/domain/parts.py): a conflict is two changes to
one part, never an export, a cursor move or a change to another part."""

from __future__ import annotations

from ethicsdesk.domain.fold import apply
from ethicsdesk.domain.parts import OPTION_ORDER, changed_parts, conflicting_parts, describe_part
from ethicsdesk.domain.record import Event, RecordState


def step(state: RecordState, type_: str, payload: dict[str, object], actor: str = "Robin") -> RecordState:
    return apply(state, Event(state.id, state.events + 1, type_, actor, "2026-11-29T03:00:00.000000Z", payload))


def base() -> RecordState:
    s = step(RecordState(id="r"), "record.created", {"kind": "case", "title": "T", "framework": "ccmc"})
    s = step(s, "option.added", {"key": "a", "label": "A", "description": ""})
    s = step(s, "option.added", {"key": "b", "label": "B", "description": ""})
    return step(s, "field.set", {"name": "facts", "value": "One."})


def test_each_kind_of_change_is_its_own_part() -> None:
    s = base()
    assert changed_parts(s, step(s, "field.set", {"name": "facts", "value": "Two."})) == {("text", "facts")}
    assert changed_parts(s, step(s, "answer.set", {"question": "justify:autonomy:good-reason", "value": "x"})) == {
        ("answer", "justify:autonomy:good-reason")
    }
    scored = step(s, "cell.scored", {"option": "a", "principle": "autonomy", "score": -1})
    assert changed_parts(s, scored) == {("score", "a", "autonomy")}
    # an export changes the log, not the content
    exported = step(s, "record.exported", {"format": "json", "masked": True, "target": "x.json"})
    assert changed_parts(s, exported) == set()


def test_adding_an_option_is_not_a_reordering_but_moving_one_is() -> None:
    s = base()
    added = step(s, "option.added", {"key": "c", "label": "C", "description": ""})
    assert changed_parts(s, added) == {("option", "c")}
    moved = step(s, "option.moved", {"key": "b", "position": 0})
    assert changed_parts(s, moved) == {OPTION_ORDER}


def test_only_the_same_part_conflicts() -> None:
    seen = base()
    theirs = step(seen, "field.set", {"name": "assumptions", "value": "Theirs."}, actor="Kim")
    theirs = step(theirs, "record.exported", {"format": "pdf", "masked": True, "target": "r.pdf"}, actor="Kim")
    mine = step(theirs, "field.set", {"name": "facts", "value": "Mine."})
    assert conflicting_parts(seen, theirs, mine) == set()
    same = step(theirs, "field.set", {"name": "assumptions", "value": "Mine."})
    assert conflicting_parts(seen, theirs, same) == {("text", "assumptions")}
    # writing back exactly what they wrote changes nothing, so it overwrites nothing
    again = step(theirs, "field.set", {"name": "assumptions", "value": "Theirs."})
    assert conflicting_parts(seen, theirs, again) == set()


def test_parts_are_named_in_words() -> None:
    assert describe_part(("text", "client_wishes")) == "the client wishes"
    assert describe_part(("decision", "chosen")) == "the chosen option"
    assert describe_part(("score", "a", "autonomy")) == "the score of this cell"
