"""The operations of the walk: each validates its input and makes one change, logged as one event;
a refused change writes nothing, and a change that alters nothing adds nothing to the log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ethicsdesk.domain.record import MAX_ITEMS
from ethicsdesk.errors import BadInput, Conflict, NotFound
from ethicsdesk.service import Service
from ethicsdesk.service.editing import MAX_LABEL, MAX_TEXT, slug
from tests.statements import counted_statements


@pytest.fixture
def rid(service: Service) -> str:
    record_id = service.editing.create_record("  A gift from a family  ", case_code="C-4410")
    service.editing.add_option(record_id, "Decline both gifts")
    service.editing.add_option(record_id, "Accept the scarf")
    return record_id


def events(service: Service, rid: str) -> list[dict[str, Any]]:
    return service.integrity.event_payloads(rid)


def test_a_new_record(service: Service) -> None:
    rid = service.editing.create_record("  A gift  ", case_code=" C-1 ")
    state = service.record(rid)
    assert (state.title, state.case_code, state.kind, state.framework, state.status) == (
        "A gift",
        "C-1",
        "case",
        "ccmc",
        "draft",
    )
    assert (state.created_by, state.events) == ("Robin Ashdown", 1)
    assert len(rid) == 10
    assert set(rid) <= set("23456789abcdefghjkmnpqrstuvwxyz")
    assert [e["type"] for e in events(service, rid)] == ["record.created"]
    assert service.summary(rid).step == "situation"


def test_each_change_is_one_event_with_who_and_when(service: Service, rid: str) -> None:
    service.editing.set_text(rid, "facts", "She knitted it one-handed.")
    log = events(service, rid)
    assert [e["seq"] for e in log] == [1, 2, 3, 4]
    assert log[-1]["type"] == "field.set"
    assert log[-1]["payload"] == {"name": "facts", "value": "She knitted it one-handed."}
    assert log[-1]["actor"] == "Robin Ashdown"
    assert log[-1]["at"].endswith("Z")
    assert service.summary(rid).events == 4


@pytest.mark.parametrize(
    "same_again",
    [
        lambda s, r: s.editing.set_text(r, "title", "A gift from a family"),
        lambda s, r: s.editing.set_text(r, "facts", ""),
        lambda s, r: s.editing.set_weight(r, "autonomy", 1),
        lambda s, r: s.editing.score(r, "accept-the-scarf", "autonomy", None),
        lambda s, r: s.editing.note(r, "accept-the-scarf", "autonomy", "   "),
        lambda s, r: s.editing.set_obligation(r, "capacity", False),
        lambda s, r: s.editing.change_option(r, "accept-the-scarf", label="Accept the scarf"),
        lambda s, r: s.editing.move_option(r, "accept-the-scarf", 1),
        lambda s, r: s.editing.set_list(r, "tags", ["", "  "]),
        lambda s, r: s.editing.decide(r, "mitigation", ""),
    ],
)
def test_a_change_that_alters_nothing_adds_no_event(
    service: Service, rid: str, same_again: Callable[[Service, str], object]
) -> None:
    service.editing.set_weight(rid, "autonomy", 1)  # an explicit weight of 1 differs from the default
    head = service.head(rid)
    count = service.summary(rid).events
    same_again(service, rid)
    assert service.summary(rid).events == count
    assert service.head(rid) == head


def test_saving_the_same_score_twice_logs_it_once(service: Service, rid: str) -> None:
    service.editing.score(rid, "accept-the-scarf", "equity", 2)
    service.editing.score(rid, "accept-the-scarf", "equity", 2)
    types = [e["type"] for e in events(service, rid)]
    assert types.count("cell.scored") == 1


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda s, r: s.editing.set_text(r, "favourite_colour", "x"), "is not a field of a record"),
        (lambda s, r: s.editing.set_text(r, "title", "   "), "needs a title"),
        (lambda s, r: s.editing.set_text(r, "facts", "x" * (MAX_TEXT + 1)), "longer than 20,000 characters"),
        (lambda s, r: s.editing.set_text(r, "title", "x" * (MAX_LABEL + 1)), "longer than 200 characters"),
        (lambda s, r: s.editing.set_text(r, "facts", 42), "must be text"),
        (lambda s, r: s.editing.set_list(r, "colours", ["x"]), "is not a list of a record"),
        (lambda s, r: s.editing.set_obligation(r, "be-nice", True), "not in the obligation catalogue"),
        (lambda s, r: s.editing.check_floor(r, "capacity", "accept-the-scarf", True), "is not a floor"),
        (lambda s, r: s.editing.check_floor(r, "duty-to-warn", "accept-the-scarf", True), "Tick 'duty-to-warn' before"),
        (lambda s, r: s.editing.score(r, "accept-the-scarf", "autonomy", 3), "from -2 to \\+2, not 3"),
        (lambda s, r: s.editing.score(r, "accept-the-scarf", "autonomy", -3), "not -3"),
        (lambda s, r: s.editing.score(r, "accept-the-scarf", "autonomy", True), "not True"),
        (lambda s, r: s.editing.score(r, "accept-the-scarf", "autonomy", 1.5), "not 1.5"),
        (lambda s, r: s.editing.score(r, "accept-the-scarf", "kindness", 1), "'kindness' is not a principle"),
        (lambda s, r: s.editing.score(r, "nope", "autonomy", 1), "has no option 'nope'"),
        (lambda s, r: s.editing.note(r, "nope", "autonomy", "x"), "has no option 'nope'"),
        (lambda s, r: s.editing.set_weight(r, "autonomy", 4), "from 0 to 3, not 4"),
        (lambda s, r: s.editing.set_weight(r, "autonomy", -1), "not -1"),
        (lambda s, r: s.editing.set_weight(r, "kindness", 2), "'kindness' is not a principle"),
        (lambda s, r: s.editing.set_priority(r, ["autonomy", "justice"]), "names every principle"),
        (lambda s, r: s.editing.decide(r, "verdict", "x"), "is not a part of a decision"),
        (lambda s, r: s.editing.decide(r, "chosen", "nope"), "has no option 'nope' to choose"),
        (lambda s, r: s.editing.answer(r, "Publicity?", "yes"), "is not a question"),
        (lambda s, r: s.editing.add_option(r, "   "), "needs a label"),
        (lambda s, r: s.editing.change_option(r, "accept-the-scarf", label=""), "needs a label"),
        (lambda s, r: s.editing.change_option(r, "nope", label="x"), "has no option 'nope'"),
        (lambda s, r: s.editing.remove_option(r, "nope"), "has no option 'nope'"),
        (lambda s, r: s.editing.move_option(r, "nope", 0), "has no option 'nope'"),
        (lambda s, r: s.editing.request_consultation(r, "  ", "ok?"), "Name the supervisor"),
        (lambda s, r: s.editing.withdraw_consultation(r), "no open consultation request"),
        (lambda s, r: s.editing.create_record("x", kind="secret"), "not 'secret'"),
        (lambda s, r: s.editing.set_text(r, "decision_maker", "the daughter"), "one of client, shared, surrogate"),
        (lambda s, r: s.editing.set_text(r, "client_involved", "maybe"), "one of yes, partly, no, unknown"),
    ],
)
def test_bad_input_is_one_sentence_and_writes_nothing(
    service: Service, rid: str, change: Callable[[Service, str], object], words: str
) -> None:
    before = events(service, rid)
    before_state = service.record(rid).snapshot()
    count = len(service.list_records())
    with pytest.raises(BadInput, match=words) as exc:
        change(service, rid)
    assert exc.value.exit_code == 2
    message = exc.value.message
    assert message[0].isupper() or message[0] in "'A"
    assert message.endswith(".")
    assert "\n" not in message
    assert events(service, rid) == before
    assert service.record(rid).snapshot() == before_state
    assert len(service.list_records()) == count
    assert service.integrity.verify() == (1, [])


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.editing.set_text("nope", "facts", "x"),
        lambda s: s.editing.score("nope", "a", "autonomy", 1),
        lambda s: s.record("nope"),
        lambda s: s.summary("nope"),
        lambda s: s.head("nope"),
        lambda s: s.editing.add_option("nope", "x"),
        lambda s: s.integrity.replay("nope"),
    ],
)
def test_an_unknown_record_is_not_found(service: Service, change: Callable[[Service], object]) -> None:
    with pytest.raises(NotFound, match="There is no record 'nope'") as exc:
        change(service)
    assert exc.value.exit_code == 1
    assert service.list_records() == []


def test_a_stale_head_is_refused_and_the_other_change_kept(service: Service, rid: str) -> None:
    seen = service.head(rid)
    service.editing.set_text(rid, "facts", "Someone else's facts.")
    with pytest.raises(Conflict, match="Someone else changed this record"):
        service.editing.set_text(rid, "facts", "My facts.", expect_head=seen)
    assert service.record(rid).text["facts"] == "Someone else's facts."
    service.editing.set_text(rid, "facts", "My facts.", expect_head=service.head(rid))
    assert service.record(rid).text["facts"] == "My facts."


# --- finding records by id --------------------------------------------------------------------
def test_ids_and_prefixes_resolve(service: Service, rid: str) -> None:
    assert service.resolve(rid) == rid
    assert service.resolve(rid[:4]) == rid
    assert service.resolve(f"  {rid[:6].upper()} ") == rid


@pytest.mark.parametrize(
    "ref",
    [
        lambda rid: rid[:3],  # a true prefix, but too short to be safe
        lambda rid: rid + "x",
        lambda rid: "zzzzzz",
        lambda rid: "",
        lambda rid: "%%%%",
        lambda rid: "____",
    ],
)
def test_unknown_or_too_short_ids_are_not_found(service: Service, rid: str, ref: Callable[[str], str]) -> None:
    with pytest.raises(NotFound, match="There is no record") as exc:
        service.resolve(ref(rid))
    assert exc.value.exit_code == 1


def test_an_ambiguous_prefix_asks_for_more(service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    made = iter(["abcd234567", "abcd987654"])
    monkeypatch.setattr(service.clock, "new_id", lambda: next(made))
    first, second = service.editing.create_record("One"), service.editing.create_record("Two")
    with pytest.raises(BadInput, match="'abcd' matches more than one record; type more of the id") as exc:
        service.resolve("abcd")
    assert exc.value.exit_code == 2
    assert service.resolve("abcd2") == first
    assert service.resolve("abcd9") == second


# --- the walk, step by step ---------------------------------------------------------------------
def test_text_is_normalised(service: Service, rid: str) -> None:
    service.editing.set_text(rid, "facts", "line one\r\nline two\x00")
    assert service.record(rid).text["facts"] == "line one\nline two"


def test_lists_and_stakeholders_drop_blank_items(service: Service, rid: str) -> None:
    service.editing.set_list(rid, "identifiers", [" Saoirse Blundell ", "", "555-0129"])
    service.editing.set_stakeholders(rid, [("Daughter", " respect "), ("  ", "nobody")])
    state = service.record(rid)
    assert state.identifiers == ["Saoirse Blundell", "555-0129"]
    assert [(s.name, s.interest) for s in state.stakeholders] == [("Daughter", "respect")]


def test_option_keys_are_slugs_and_unique(service: Service, rid: str) -> None:
    assert service.editing.add_option(rid, "Accept the scarf!") == "accept-the-scarf-2"
    assert service.editing.add_option(rid, "Accept the scarf") == "accept-the-scarf-3"
    assert service.editing.add_option(rid, "¿¿??") == "option"
    assert [o.key for o in service.record(rid).options] == [
        "decline-both-gifts",
        "accept-the-scarf",
        "accept-the-scarf-2",
        "accept-the-scarf-3",
        "option",
    ]


def test_slug() -> None:
    assert slug("Return home, with support (status quo)") == "return-home-with-support-status-quo"
    assert len(slug("word " * 30)) <= 40
    assert not slug("word " * 30).endswith("-")


def test_options_are_changed_moved_and_removed(service: Service, rid: str) -> None:
    service.editing.change_option(rid, "accept-the-scarf", description="and return the card")
    service.editing.move_option(rid, "accept-the-scarf", 0)
    state = service.record(rid)
    assert [o.key for o in state.options] == ["accept-the-scarf", "decline-both-gifts"]
    assert state.option("accept-the-scarf").description == "and return the card"  # type: ignore[union-attr]
    service.editing.score(rid, "decline-both-gifts", "fidelity", 1)
    service.editing.decide(rid, "chosen", "decline-both-gifts")
    service.editing.remove_option(rid, "decline-both-gifts")
    state = service.record(rid)
    assert [o.key for o in state.options] == ["accept-the-scarf"]
    assert state.scores == {}
    assert "chosen" not in state.decision
    assert service.integrity.verify(rid) == (1, [])


def test_weighing_and_deciding_moves_the_record_along(service: Service, rid: str) -> None:
    fw = service.framework("ccmc")
    for key in ("decline-both-gifts", "accept-the-scarf"):
        for p in fw.ids:
            service.editing.score(rid, key, p, 1)
    service.editing.note(rid, "accept-the-scarf", "equity", "  Nothing of money is kept.  ")
    service.editing.set_weight(rid, "equity", 3)
    service.editing.set_priority(rid, list(reversed(fw.ids)))
    service.editing.decide(rid, "chosen", "accept-the-scarf")
    service.editing.decide(rid, "rationale", "  Respects the gesture.  ")
    state = service.record(rid)
    assert state.notes[("accept-the-scarf", "equity")] == "Nothing of money is kept."
    assert state.decision["rationale"] == "  Respects the gesture.  "  # the rationale keeps its layout
    assert state.weight("equity") == 3
    assert state.priority == list(reversed(fw.ids))
    assert state.status == "decided"
    summary = service.summary(rid)
    assert (summary.status, summary.events) == ("decided", 3 + 14 + 5)


def test_a_legal_floor_makes_consultation_urgent(service: Service, rid: str) -> None:
    service.editing.set_obligation(rid, "duty-to-warn", True)
    service.editing.check_floor(rid, "duty-to-warn", "accept-the-scarf", False)
    service.editing.check_floor(rid, "duty-to-warn", "decline-both-gifts", True)
    state = service.editing.request_consultation(rid, "Dana Okafor", "Is declining enough?")
    assert state.consultation is not None and state.consultation.urgent
    assert state.floor_checks == {
        ("duty-to-warn", "accept-the-scarf"): False,
        ("duty-to-warn", "decline-both-gifts"): True,
    }
    assert service.summary(rid).status == "awaiting-consultation"
    service.editing.withdraw_consultation(rid)
    assert service.record(rid).consultation.state == "withdrawn"  # type: ignore[union-attr]
    assert service.summary(rid).status == "draft"


def test_an_ordinary_consultation_is_not_urgent(service: Service, rid: str) -> None:
    service.editing.set_obligation(rid, "capacity", True)
    state = service.editing.request_consultation(rid, "Dana Okafor", "")
    assert state.consultation is not None and not state.consultation.urgent


def test_answers_are_kept_by_question(service: Service, rid: str) -> None:
    service.editing.answer(rid, "test:publicity", "Yes, I would be comfortable.")
    service.editing.answer(rid, "justify:autonomy:good-reason", "Policy.")
    assert service.record(rid).answers == {
        "test:publicity": "Yes, I would be comfortable.",
        "justify:autonomy:good-reason": "Policy.",
    }


def test_the_outcome_closes_the_record(service: Service, rid: str) -> None:
    service.editing.set_text(rid, "outcome", "The scarf was accepted.")
    assert service.summary(rid).status == "closed"
    service.editing.set_text(rid, "outcome", "")
    assert service.summary(rid).status == "draft"


# --- the list caps: the same as a dilemma file's -------------------------------------------------
def test_options_stop_at_the_cap_and_nothing_is_logged_past_it(service: Service, rid: str) -> None:
    cap = MAX_ITEMS["options"]
    for n in range(cap - 2):
        service.editing.add_option(rid, f"Option {n}")
    events = service.record(rid).events
    with pytest.raises(BadInput, match=f"at most {cap} options"):
        service.editing.add_option(rid, "One too many")
    assert len(service.record(rid).options) == cap and service.record(rid).events == events


@pytest.mark.parametrize("name", ["tags", "identifiers"])
def test_lists_stop_at_the_cap(service: Service, rid: str, name: str) -> None:
    cap = MAX_ITEMS[name]
    service.editing.set_list(rid, name, [f"item {n}" for n in range(cap)])
    with pytest.raises(BadInput, match=f"at most {cap} {name}"):
        service.editing.set_list(rid, name, [f"item {n}" for n in range(cap + 1)])
    assert len(getattr(service.record(rid), name)) == cap


def test_stakeholders_stop_at_the_cap(service: Service, rid: str) -> None:
    cap = MAX_ITEMS["stakeholders"]
    with pytest.raises(BadInput, match=f"at most {cap} stakeholders"):
        service.editing.set_stakeholders(rid, [(f"Person {n}", "") for n in range(cap + 1)])
    assert service.record(rid).stakeholders == []


def test_the_client_part_and_the_new_situation_fields_are_text_fields(service: Service, rid: str) -> None:
    service.editing.set_text(rid, "own_values", "I find the family's pressure irritating.")
    service.editing.set_text(rid, "medical_facts", "Type 2 diabetes, stable.")
    service.editing.set_text(rid, "decision_maker", " team ")  # a choice is kept as the bare word
    service.editing.set_text(rid, "client_involved", "partly")
    service.editing.set_text(rid, "client_informed", "At the home visit on Friday, with her daughter.")
    text = service.record(rid).text
    assert (text["decision_maker"], text["client_involved"]) == ("team", "partly")
    assert text["own_values"].startswith("I find")
    service.editing.set_text(rid, "decision_maker", "")  # unset is allowed
    assert "decision_maker" not in service.record(rid).text
    assert service.integrity.verify() == (1, [])


def _writes(sent: list[str]) -> list[str]:
    return [s for s in sent if s.split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")]


def test_a_score_is_saved_as_one_upsert_of_its_cell(service: Service, rid: str) -> None:
    options = [o.key for o in service.record(rid).options]
    principle = service.framework_of(service.record(rid)).ids[0]
    service.editing.score(rid, options[0], principle, 1)
    with counted_statements(service.db.engine) as sent:
        service.editing.score(rid, options[0], principle, 2)
    writes = _writes(sent)
    # the event, the record's head and the one cell: no other row of the record is rewritten
    assert [w.split(" ")[0:3] for w in writes] == [
        ["INSERT", "INTO", "events"],
        ["UPDATE", "records", "SET"],
        ["INSERT", "INTO", "cells"],
    ]
    assert "ON CONFLICT" in writes[-1]
    assert service.record(rid).scores[(options[0], principle)] == 2


def test_clearing_a_score_deletes_only_its_cell(service: Service, rid: str) -> None:
    options = [o.key for o in service.record(rid).options]
    principle = service.framework_of(service.record(rid)).ids[0]
    service.editing.score(rid, options[0], principle, 1)
    service.editing.score(rid, options[1], principle, -1)
    with counted_statements(service.db.engine) as sent:
        service.editing.score(rid, options[0], principle, None)
    writes = _writes(sent)
    assert [w.split(" ")[0] for w in writes] == ["INSERT", "UPDATE", "DELETE"]
    assert "cells" in writes[-1] and "option_key" in writes[-1]
    assert service.record(rid).scores == {(options[1], principle): -1}


def test_the_tables_written_by_changes_are_those_the_fold_gives(service: Service, rid: str) -> None:
    """Every kind of change written as a difference leaves the rows a whole rewrite would."""
    from ethicsdesk.store.projection import rows_differing

    state = service.record(rid)
    options = [o.key for o in state.options]
    ids = service.framework_of(state).ids
    service.editing.score(rid, options[0], ids[0], 2)
    service.editing.note(rid, options[0], ids[0], "a note")
    service.editing.score(rid, options[0], ids[0], None)  # the note keeps the cell
    service.editing.note(rid, options[1], ids[1], "another")
    service.editing.note(rid, options[1], ids[1], "")
    service.editing.set_weight(rid, ids[2], 3)
    service.editing.set_text(rid, "facts", "Words to find later")
    service.editing.set_text(rid, "facts", "")
    service.editing.set_list(rid, "tags", ["one", "two"])
    service.editing.set_list(rid, "tags", ["two"])
    service.editing.add_option(rid, "A third way")
    service.editing.score(rid, options[1], ids[0], -2)
    service.editing.remove_option(rid, options[0])
    state = service.record(rid)
    with service.db.reading() as session:
        assert rows_differing(session, state, service.head(rid), service._step(state)) == []
    assert state.notes == {} and state.scores == {(options[1], ids[0]): -2} and state.tags == ["two"]
    assert [r.id for r in service.list_records(search="Words")] == []
