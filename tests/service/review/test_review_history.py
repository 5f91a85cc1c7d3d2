"""A record's history and replay through consultation, signing and an addendum: each event told in
words, and every prefix of the log replayed."""

from __future__ import annotations

from ethicsdesk.service import Service, signing
from tests.service.review.conftest import DANA, consulted, decided


def test_history_and_replay_cover_consultation_and_signing(
    service: Service, supervisor: Service, key: signing.SigningKey
) -> None:
    rid = decided(service, floor=True)
    service.editing.request_consultation(rid, "Lee Marsh", "First ask")
    service.editing.withdraw_consultation(rid)
    service.editing.request_consultation(rid, DANA.name, "Warn him?")
    supervisor.review.answer_consultation(rid, "concur", "Warn and involve him.")
    supervisor.review.sign(rid, key)
    service.review.add_addendum(rid, "follow-up", "Called back.", "The police visited.")
    history = service.history(rid)
    types = [h.type for h in history]
    assert types[-6:] == [
        "consultation.requested",
        "consultation.withdrawn",
        "consultation.requested",
        "consultation.answered",
        "record.signed",
        "addendum.added",
    ]
    by_type = {h.type: h for h in history}
    assert (by_type["consultation.answered"].actor, by_type["consultation.answered"].role) == (
        "Dana Okafor",
        "supervisor",
    )
    assert by_type["record.signed"].role == "supervisor"
    assert history[-6].text == "requested urgent consultation from Lee Marsh"
    n = len(history)
    # replay folds every prefix: before the answer, before the signature, all of it
    assert service.integrity.replay(rid, n - 3).status == "awaiting-consultation"
    assert service.integrity.replay(rid, n - 2).status == "consulted"
    before_sign = service.integrity.replay(rid, n - 2)
    assert not before_sign.frozen
    signed_state = service.integrity.replay(rid, n - 1)
    assert signed_state.frozen
    assert signed_state.addenda == []
    whole = service.integrity.replay(rid)
    assert whole.snapshot() == service.record(rid).snapshot()
    assert service.integrity.verify(rid) == (1, [])


def test_history_describes_the_answer_the_signature_and_the_addendum_in_words(
    service: Service, supervisor: Service, key: signing.SigningKey
) -> None:
    """The replay timeline reads events in words; the new events should not show as bare type names."""
    rid = decided(service)
    consulted(service, supervisor, rid)
    supervisor.review.sign(rid, key)
    service.review.add_addendum(rid, "follow-up", "Called back.", "The police visited.")
    texts = {h.type: h.text for h in service.history(rid)}
    for t in ("consultation.answered", "record.signed", "addendum.added"):
        assert texts[t] != t, f"{t} has no description in domain/history.py"
    assert "concur" in texts["consultation.answered"]
