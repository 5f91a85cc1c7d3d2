"""Events in words, for the replay timeline and the audit trail."""

from __future__ import annotations

from typing import Any

import pytest

from ethicsdesk.domain.events.registry import KINDS
from ethicsdesk.domain.history import describe, option_labels
from ethicsdesk.domain.record import Event


def ev(type_: str, **payload: Any) -> Event:
    return Event("r1", 1, type_, "Robin", "t", payload)


@pytest.mark.parametrize(
    ("event", "text"),
    [
        (ev("record.created", kind="training", title="Gift"), "created the training record 'Gift'"),
        (
            ev("record.imported", source="gift-from-family.toml", dilemma={"title": "A gift"}),
            "imported 'A gift' from gift-from-family.toml",
        ),
        (ev("field.set", name="client_wishes", value="home"), "set client wishes: 'home'"),
        (ev("field.set", name="client_wishes", value=""), "cleared client wishes"),
        (ev("list.set", name="tags", items=["a", "b"]), "set tags (2 item(s))"),
        (ev("stakeholders.set", items=[{"name": "x"}]), "set stakeholders (1)"),
        (ev("obligation.set", id="capacity", ticked=True), "ticked obligation capacity"),
        (ev("obligation.set", id="capacity", ticked=False), "unticked obligation capacity"),
        (ev("floor.checked", obligation="duty-to-warn", option="a", honours=True), "option a honours duty-to-warn"),
        (
            ev("floor.checked", obligation="duty-to-warn", option="a", honours=False),
            "option a does not honour duty-to-warn",
        ),
        (
            ev("floor.checked", obligation="duty-to-warn", option="a", honours=None),
            "option a not judged against duty-to-warn",
        ),
        (ev("option.added", key="a", label="Go home"), "added option 'Go home'"),
        (ev("option.changed", key="a"), "changed option a"),
        (ev("option.removed", key="a"), "removed option a"),
        (ev("option.moved", key="a", position=0), "moved option a to place 1"),
        (ev("cell.scored", option="a", principle="autonomy", score=2), "scored a on autonomy: +2"),
        (ev("cell.scored", option="a", principle="autonomy", score=-1), "scored a on autonomy: -1"),
        (ev("cell.scored", option="a", principle="autonomy", score=None), "scored a on autonomy: cleared"),
        (ev("cell.noted", option="a", principle="autonomy", note="her wish"), "noted a on autonomy: 'her wish'"),
        (ev("weight.set", principle="equity", weight=3), "weighted equity 3"),
        (ev("priority.set", order=["autonomy", "justice"]), "set the priority order: autonomy > justice"),
        (ev("decision.set", field="chosen", value="a"), "chose option a"),
        (ev("decision.set", field="chosen", value=""), "cleared decision chosen"),
        (ev("answer.set", question="test:publicity", value="yes"), "answered test:publicity: 'yes'"),
        (ev("consultation.requested", supervisor="Dana", urgent=True), "requested urgent consultation from Dana"),
        (ev("consultation.requested", supervisor="Dana", urgent=False), "requested consultation from Dana"),
        (ev("consultation.withdrawn"), "withdrew the consultation request"),
        (ev("record.exported", format="html", masked=True), "exported as html (identifiers masked)"),
        (ev("record.exported", format="pdf", masked=False), "exported as pdf (identifiers INCLUDED)"),
    ],
)
def test_each_event_reads_as_a_sentence(event: Event, text: str) -> None:
    assert describe(event) == text


def test_long_text_is_shortened_and_flattened() -> None:
    value = "word " * 40 + "\n\nend"
    text = describe(ev("field.set", name="facts", value=value))
    quoted = text.split("'")[1]
    assert len(quoted) == 60
    assert quoted.endswith("…")
    assert "\n" not in text
    assert "  " not in quoted


def test_an_unknown_event_type_reads_as_its_type() -> None:
    assert describe(ev("record.frobbed")) == "record.frobbed"


LABELS = {"decline-to-confirm": "Decline to confirm or deny"}


@pytest.mark.parametrize(
    ("event", "text"),
    [
        (ev("decision.set", field="chosen", value="decline-to-confirm"), "chose option 'Decline to confirm or deny'"),
        (
            ev("cell.scored", option="decline-to-confirm", principle="autonomy", score=1),
            "scored 'Decline to confirm or deny' on autonomy: +1",
        ),
        (
            ev("cell.noted", option="decline-to-confirm", principle="autonomy", note="x"),
            "noted 'Decline to confirm or deny' on autonomy: 'x'",
        ),
        (
            ev("floor.checked", obligation="duty-to-warn", option="decline-to-confirm", honours=True),
            "option 'Decline to confirm or deny' honours duty-to-warn",
        ),
        (
            ev("option.moved", key="decline-to-confirm", position=1),
            "moved option 'Decline to confirm or deny' to place 2",
        ),
        (ev("option.removed", key="decline-to-confirm"), "removed option 'Decline to confirm or deny'"),
    ],
)
def test_an_option_is_named_by_its_label_not_its_key(event: Event, text: str) -> None:
    assert describe(event, LABELS) == text
    assert "decline-to-confirm" not in describe(event, LABELS)


@pytest.mark.parametrize(
    ("topic", "text"),
    [
        ("outcome", "added an outcome addendum: 'She went home.'"),
        ("follow-up", "added a follow up addendum: 'She went home.'"),
        ("correction", "added a correction addendum: 'She went home.'"),
    ],
)
def test_an_addendum_takes_the_article_its_topic_needs(topic: str, text: str) -> None:
    assert describe(ev("addendum.added", topic=topic, reason="r", text="She went home.")) == text


def test_option_labels_follow_the_log_import_add_and_rename() -> None:
    events = [
        ev("record.imported", dilemma={"title": "t", "options": [{"key": "stay", "label": "Stay in the ward"}]}),
        ev("option.added", key="home", label="Go home"),
        ev("option.changed", key="home", label="Go home with support"),
        ev("cell.scored", option="home", principle="autonomy", score=2),
    ]
    seen = list(option_labels(events))
    assert seen[0] == {"stay": "Stay in the ward"}
    assert seen[1]["home"] == "Go home"
    assert seen[3] == {"stay": "Stay in the ward", "home": "Go home with support"}
    assert describe(events[3], seen[3]) == "scored 'Go home with support' on autonomy: +2"


@pytest.mark.parametrize("type_", sorted(KINDS))
def test_every_declared_event_has_its_words_in_the_history(type_: str) -> None:
    """Each event reads as words of its own (its `words`), never as its bare name, even from an old
    event that lacks every key."""
    assert describe(ev(type_)) != type_
