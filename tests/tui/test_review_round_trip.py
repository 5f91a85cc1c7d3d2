"""The whole round trip of a consultation in the TUI, driven with Pilot: a case manager asks for
consultation from the Consult step; the supervisor sees it at the top of the queue, marked URGENT,
opens it, answers it and signs it; the case manager then finds the record frozen and adds an
addendum. State is asserted through the service at every stage.

Each app gets its own service on the same database (as two people on one agency file would)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Button, DataTable, Input, RadioSet, Static, TextArea

from ethicsdesk.service import Service, signing
from ethicsdesk.settings import User
from ethicsdesk.tui.app import EthicsdeskApp, Start, build_app
from ethicsdesk.tui.screens.addendum import AddendumScreen
from ethicsdesk.tui.screens.home import HomeScreen
from ethicsdesk.tui.screens.passphrase import PassphraseScreen
from ethicsdesk.tui.screens.review import ReviewScreen
from ethicsdesk.tui.screens.review_queue import ReviewQueueScreen
from ethicsdesk.tui.screens.walk import WalkScreen
from ethicsdesk.tui.widgets.marked_toggles import MarkedRadioButton
from ethicsdesk.tui.widgets.step_list import StepList

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"
ROBIN = User("Robin Ashdown", "case manager")
DANA = User("Dana Okafor", "supervisor")
SIZE = (100, 30)


def app_for(db_url: str, user: User, start: Start) -> EthicsdeskApp:
    def open_service() -> Service:
        svc = Service.open(db_url, user)
        return svc

    return build_app(open_service, user, start)


async def until(pilot: Pilot[Any], ready: Callable[[], bool], what: str, seconds: float = 30.0) -> None:
    """Let the app run until `ready()` (the service opens, and a change is written, in a worker); a
    deadline in seconds, not in turns: on a loaded machine a turn of the loop says nothing of time."""
    end = time.monotonic() + seconds
    while not ready():
        if time.monotonic() > end:
            raise AssertionError(f"the app never got to: {what}")
        await pilot.pause(0.01)


async def noticed(pilot: Pilot[Any], app: EthicsdeskApp, notice: str) -> None:
    """Until `notice` is among the app's notifications: the change behind it is written in a worker,
    and the notice follows the write, so a fixed pause was too short on a loaded machine."""
    await until(pilot, lambda: notice in notes_of(app), f"the notice {notice!r}")


async def on_screen(pilot: Pilot[Any], app: EthicsdeskApp, kind: type, what: str) -> Any:
    """Wait until `kind` is the screen and has finished mounting (its on_mount has run); return it."""
    await until(pilot, lambda: isinstance(app.screen, kind) and app.screen.is_mounted, what)
    await pilot.pause()
    return app.screen


def notes_of(app: EthicsdeskApp) -> list[str]:
    return [n.message for n in app._notifications]


@pytest.fixture
def threat(service: Service) -> str:
    """The threat-to-a-third-party sample: duty to warn ticked, an option chosen with a rationale."""
    return service.importing.import_files([DILEMMAS / "threat-to-third-party.toml"])[0]


def decided(service: Service, title: str) -> str:
    rid = service.editing.create_record(title, case_code="C-3")
    keep = service.editing.add_option(rid, "Keep the confidence")
    service.editing.add_option(rid, "Tell the family")
    service.editing.decide(rid, "chosen", keep)
    service.editing.decide(rid, "rationale", "He has capacity.")
    return rid


async def test_request_review_answer_sign_freeze_and_addendum(db_url: str, service: Service, threat: str) -> None:
    older = decided(service, "An ordinary request, asked first")
    service.editing.request_consultation(older, DANA.name, "Is this fine?")

    # --- 1. the case manager asks Dana from the Consult step ---------------------------------------
    app = app_for(db_url, ROBIN, Start(record_id=threat))
    async with app.run_test(size=SIZE) as pilot:
        await on_screen(pilot, app, WalkScreen, "the walk")
        walk = app.screen
        assert isinstance(walk, WalkScreen)
        assert not walk.read_only
        await walk.go_to("consult")
        await pilot.pause()
        status = walk.query_one("#consult-status", Static)
        assert "A floor is ticked: consultation is due now." in str(status.render())
        # focused, not clicked: on a loaded machine the pane was still settling and a click hit the pane
        walk.query_one("#consult-supervisor", Input).focus()
        await until(pilot, lambda: app.focused is walk.query_one("#consult-supervisor"), "the name field focused")
        await pilot.press(*"Dana Okafor")
        walk.query_one("#consult-question", TextArea).load_text("Do I warn him now?")
        button = walk.query_one("#consult-request", Button)
        button.scroll_visible(animate=False)  # as a user scrolls to it: at 100x30 it is below the fold
        await until(pilot, lambda: walk.can_view_entire(button), "the request button in view")
        await pilot.click(button)
        await noticed(pilot, app, "Consultation requested from Dana Okafor.")
        awaiting = "URGENT — Awaiting consultation from Dana Okafor"
        await until(pilot, lambda: str(status.render()).startswith(awaiting), "the step redrawn after the request")
        assert walk.query_one("#consult-withdraw", Button).disabled is False
    state = service.record(threat)
    assert state.status == "awaiting-consultation"
    c = state.consultation
    assert c is not None
    assert (c.supervisor, c.question, c.urgent, c.requested_by) == (
        "Dana Okafor",
        "Do I warn him now?",
        True,
        "Robin Ashdown",
    )

    # --- 2. Dana's queue: the urgent request first, then the older ordinary one ----------------------
    app = app_for(db_url, DANA, Start(review=""))
    async with app.run_test(size=SIZE) as pilot:
        await on_screen(pilot, app, ReviewQueueScreen, "the queue")
        table = app.screen.query_one(DataTable)
        await until(pilot, lambda: table.row_count == 2, "two requests in the queue")
        first, second = table.get_row_at(0), table.get_row_at(1)
        assert first[0] == "URGENT"
        assert (str(first[4]), str(first[5])) == ("Consult: sign-off", service.record(threat).title)
        assert (second[0], str(second[5])) == ("", "An ordinary request, asked first")
        assert "2 open request(s) addressed to you" in str(app.screen.query_one("#queue-note", Static).render())

        # --- 3. open it: read-only as the report reads, with the consultation form ---------------------
        await pilot.press("enter")
        await on_screen(pilot, app, ReviewScreen, "the review")
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert str(review.query_one("#review-state", Static).render()) == (
            "URGENT: Robin Ashdown asks Dana Okafor: Do I warn him now?"
        )
        body = str(review.query_one("#record-body", Static).render())
        assert "[LEGAL FLOOR]" in body and "[SAFETY FLOOR]" in body  # the obligations as the report reads them
        assert "Rules screen" in body  # with the analysis
        outcome = review.query_one("#outcome", RadioSet)  # the verdict's, not the rating's
        radios = list(outcome.query(MarkedRadioButton))
        assert [r.name for r in radios] == ["concur", "concur-with-changes", "do-not-concur", ""]
        await pilot.click(radios[1])
        assert outcome.pressed_button is radios[1]
        await pilot.click("#notes")
        await pilot.press(*"Yes.")
        await pilot.click("#conditions")
        await pilot.press(*"Log")
        await pilot.press("ctrl+s")
        await noticed(pilot, app, "Your answer is recorded; the case manager sees it on their home screen.")
        answered = service.record(threat).consultation
        assert answered is not None
        assert (answered.state, answered.outcome, answered.notes, answered.conditions, answered.answered_by) == (
            "answered",
            "concur-with-changes",
            "Yes.",
            "Log",
            "Dana Okafor",
        )
        assert review.query_one("#send", Button).disabled  # nothing open to answer now

        # --- 4. sign: the first signature makes a key, its passphrase typed twice ------------------------
        assert not signing.has_key(DANA.name)
        await pilot.press("ctrl+g")
        await on_screen(pilot, app, PassphraseScreen, "the passphrase dialog")
        dialog = app.screen
        assert isinstance(dialog, PassphraseScreen) and dialog.creating
        assert len(dialog.query(Input)) == 2
        await pilot.press("p", "w", "enter", "p", "w", "enter")
        await on_screen(pilot, app, ReviewScreen, "back on the review")
        await noticed(pilot, app, "Signed. The record is frozen; later information goes in as addenda.")
        assert review.query_one("#sign", Button).disabled
        assert str(review.query_one("#review-state", Static).render()).startswith("Signed by Dana Okafor on ")

    signed = service.record(threat)
    assert signed.status == "signed" and signed.frozen
    assert signed.signature is not None and signed.signature.signer == "Dana Okafor"
    assert signing.key_needs_passphrase(DANA.name)  # the key file is protected by what was typed
    assert signing.load_key(DANA.name, "pw").fingerprint == signed.signature.fingerprint
    assert service.integrity.verify() == (2, [])
    assert [q.record_id for q in service.review.review_queue(everyone=True)] == [older]

    # --- 5. the case manager finds the record frozen, and adds an addendum -----------------------------
    head = service.head(threat)
    app = app_for(db_url, ROBIN, Start(record_id=threat))
    async with app.run_test(size=SIZE) as pilot:
        await on_screen(pilot, app, WalkScreen, "the walk")
        walk = app.screen
        assert isinstance(walk, WalkScreen)
        assert walk.read_only
        assert "signed by Dana Okafor, frozen" in str(walk.query_one("#step-head", Static).render())
        await walk.go_to("situation")
        await pilot.pause()
        assert walk.query_one("#f-title", Input).disabled
        await walk.go_to("consult")
        await pilot.pause()
        consult = str(walk.query_one("#consult-status", Static).render())
        assert "Dana Okafor answered on" in consult and "CONCUR WITH CHANGES" in consult
        assert "Signed by Dana Okafor" in consult and "the record is frozen" in consult
        assert walk.query_one("#consult-request", Button).disabled
        assert service.head(threat) == head  # opening and looking changed nothing

        # from the step list: a focused text field takes ctrl+a for itself (see the test further down)
        walk.query_one(StepList).focus()
        await pilot.press("ctrl+a")
        await on_screen(pilot, app, AddendumScreen, "the addendum dialog")
        await pilot.click("#reason")
        await pilot.press(*"Call")
        await pilot.click("#text")
        await pilot.press(*"Done.")
        await pilot.click("#add")
        await on_screen(pilot, app, WalkScreen, "back on the walk")
        await noticed(pilot, app, "Addendum added.")
        assert "Addendum (outcome, Robin Ashdown" in str(walk.query_one("#consult-status", Static).render())

    after = service.record(threat)
    assert after.status == "signed"
    assert [(a.topic, a.reason, a.text, a.author) for a in after.addenda] == [
        ("outcome", "Call", "Done.", "Robin Ashdown")
    ]
    # the signed reasoning is exactly as it was; the signature still verifies
    assert {k for k, v in after.snapshot().items() if v != signed.snapshot()[k]} == {
        "addenda",
        "events",
        "updated_at",
        "updated_by",
    }
    assert service.integrity.verify() == (2, [])
    assert [h.type for h in service.history(threat)][-4:] == [
        "consultation.requested",
        "consultation.answered",
        "record.signed",
        "addendum.added",
    ]


# --- the case manager's side of the answer -----------------------------------------------------------
async def test_the_case_manager_sees_the_answer_on_home_and_in_the_record(
    db_url: str, service: Service, other_service: Callable[[User], Service]
) -> None:
    rid = decided(service, "Asked and answered")
    service.editing.request_consultation(rid, DANA.name, "Fine?")
    other_service(DANA).review.answer_consultation(rid, "do-not-concur", "Tell the family first.", "Call by noon.")
    app = app_for(db_url, ROBIN, Start())
    async with app.run_test(size=SIZE) as pilot:
        await on_screen(pilot, app, HomeScreen, "home")
        table = app.screen.query_one(DataTable)
        await until(pilot, lambda: table.row_count == 1, "the record on home")
        assert table.get_row_at(0)[2] == "consulted"
        await pilot.press("enter")
        await on_screen(pilot, app, WalkScreen, "the walk")
        walk = app.screen
        assert isinstance(walk, WalkScreen)
        assert not walk.read_only  # answered, not signed: still the case manager's to edit
        await walk.go_to("consult")
        await pilot.pause()
        status = walk.query_one("#consult-status", Static)
        text = str(status.render())
        assert "Dana Okafor answered on" in text
        assert "DO NOT CONCUR" in text
        assert "Tell the family first." in text
        assert "Conditions: Call by noon." in text
        assert status.has_class("urgent")  # a refusal stands out


# --- refusals on the review screen: one sentence each, nothing changed ----------------------------------
async def test_a_wrong_passphrase_signs_nothing(db_url: str, service: Service) -> None:
    rid = decided(service, "To sign")
    signing.create_key(DANA.name, "right")
    head = service.head(rid)
    app = app_for(db_url, DANA, Start(review=rid))
    async with app.run_test(size=SIZE) as pilot:
        await on_screen(pilot, app, ReviewScreen, "the review")
        await pilot.press("ctrl+g")
        await on_screen(pilot, app, PassphraseScreen, "the passphrase dialog")
        dialog = app.screen
        assert isinstance(dialog, PassphraseScreen) and not dialog.creating
        assert len(dialog.query(Input)) == 1
        await pilot.press("n", "o", "enter")
        await on_screen(pilot, app, ReviewScreen, "back on the review")
        await noticed(pilot, app, "The passphrase is wrong; nothing was signed.")
        assert not app.screen.query_one("#sign", Button).disabled
    assert not service.record(rid).frozen
    assert service.head(rid) == head


async def test_differing_new_passphrases_make_no_key(db_url: str, service: Service) -> None:
    rid = decided(service, "To sign")
    head = service.head(rid)
    app = app_for(db_url, DANA, Start(review=rid))
    async with app.run_test(size=SIZE) as pilot:
        await on_screen(pilot, app, ReviewScreen, "the review")
        await pilot.press("ctrl+g")
        await on_screen(pilot, app, PassphraseScreen, "the passphrase dialog")
        dialog = app.screen
        assert isinstance(dialog, PassphraseScreen) and dialog.creating
        await pilot.press("a", "enter", "b", "enter")
        await pilot.pause()
        assert app.screen is dialog  # still asking
        assert str(dialog.query_one("#error", Static).render()) == "The two passphrases differ; type them again."
        await pilot.press("escape")
        await on_screen(pilot, app, ReviewScreen, "back on the review")
    assert not signing.has_key(DANA.name)
    assert not service.record(rid).frozen
    assert service.head(rid) == head


async def test_a_case_manager_can_neither_answer_nor_sign(db_url: str, service: Service) -> None:
    rid = decided(service, "Asked")
    service.editing.request_consultation(rid, DANA.name, "Fine?")
    head = service.head(rid)
    app = app_for(db_url, ROBIN, Start(review=rid))
    async with app.run_test(size=SIZE) as pilot:
        await on_screen(pilot, app, ReviewScreen, "the review")
        review = app.screen
        await pilot.click(review.query(MarkedRadioButton).first())
        review.query_one("#notes", TextArea).load_text("I agree with myself.")
        await pilot.press("ctrl+s")
        await noticed(pilot, app, "Only a supervisor can answer a consultation; you are recorded as a case manager.")
        await pilot.press("ctrl+g")
        await noticed(pilot, app, "Only a supervisor can sign a record.")
        assert not isinstance(app.screen, PassphraseScreen)
    assert service.head(rid) == head
    assert service.record(rid).status == "awaiting-consultation"
    assert not signing.has_key(ROBIN.name)


async def test_signing_an_undecided_record_says_why(db_url: str, service: Service) -> None:
    rid = service.editing.create_record("Not decided yet")
    signing.create_key(DANA.name, None)  # no passphrase: no dialog
    head = service.head(rid)
    app = app_for(db_url, DANA, Start(review=rid))
    async with app.run_test(size=SIZE) as pilot:
        await on_screen(pilot, app, ReviewScreen, "the review")
        assert str(app.screen.query_one("#review-state", Static).render()) == "No open consultation request."
        await pilot.press("ctrl+g")
        await noticed(pilot, app, "Only a decided record can be signed: it needs a chosen option and a rationale.")
    assert service.head(rid) == head
    assert not service.record(rid).frozen


async def test_the_review_screen_signs_only_what_it_showed(db_url: str, service: Service) -> None:
    """Robin edits the rationale while Dana has the record open: her signature is refused, the screen
    shows the record again, and her second ctrl+g signs what she now sees."""
    rid = decided(service, "Edited during review")
    key = signing.create_key(DANA.name, None)
    app = app_for(db_url, DANA, Start(review=rid))
    async with app.run_test(size=SIZE) as pilot:
        await on_screen(pilot, app, ReviewScreen, "the review")
        review = app.screen
        assert isinstance(review, ReviewScreen)
        service.editing.decide(rid, "rationale", "Rewritten while Dana read it.")
        await pilot.press("ctrl+g")
        await noticed(pilot, app, "The record changed after you opened it; review it again and sign then.")
        assert not service.record(rid).frozen
        assert review.head == service.head(rid)  # shown again
        assert "Rewritten while Dana read it." in str(review.query_one("#record-body", Static).render())
        await pilot.press("ctrl+g")
        await noticed(pilot, app, "Signed. The record is frozen; later information goes in as addenda.")
    state = service.record(rid)
    assert state.frozen
    assert state.decision["rationale"] == "Rewritten while Dana read it."
    assert state.signature is not None and state.signature.fingerprint == key.fingerprint
    assert service.integrity.verify(rid) == (1, [])


async def test_ctrl_a_opens_the_addendum_right_after_opening_a_signed_record(
    db_url: str, service: Service, other_service: Callable[[User], Service]
) -> None:
    """The step head says "ctrl+a adds an addendum"; it should, wherever the walk put the focus."""
    rid = decided(service, "Signed")
    other_service(DANA).review.sign(rid, signing.create_key(DANA.name, None))
    app = app_for(db_url, ROBIN, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        await on_screen(pilot, app, WalkScreen, "the walk")
        await pilot.pause()
        await pilot.press("ctrl+a")
        await pilot.pause()
        assert isinstance(app.screen, AddendumScreen), f"ctrl+a went to {app.focused!r}"
