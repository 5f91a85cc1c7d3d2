"""Consultation from any step of the walk, driven with Pilot at 80x24: ctrl+o on the Options
step asks a supervisor, who answers in the review screen; the answer then shows on the Options pane.
A committee is asked the same way and its answer written in by the case manager. An option that breaks
a code rule is marked as breaking it. State is asserted through the service at every stage."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, Input, RadioSet, Static, TextArea

from ethicsdesk.service import Service
from ethicsdesk.settings import User
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.screens.consult_answer import ConsultAnswerScreen
from ethicsdesk.tui.screens.consult_request import ConsultRequestScreen
from ethicsdesk.tui.screens.review import ReviewScreen
from ethicsdesk.tui.screens.walk import WalkScreen
from ethicsdesk.tui.steps.step_consultations import StepConsultations
from ethicsdesk.tui.widgets.marked_toggles import MarkedRadioButton
from tests.tui.harness import in_walk, make_app, type_text, wait_until

SIZE = (80, 24)
DANA = User("Dana Okafor", "supervisor")


def two_options(service: Service, situated_id: str) -> str:
    service.editing.add_option(situated_id, "Status quo")
    service.editing.add_option(situated_id, "Return home with support")
    service.editing.save_cursor(situated_id, "options", "")
    return situated_id


def block_text(walk: WalkScreen, step: str) -> str:
    block = walk.query_one(f"#pane-{step}").query_one(StepConsultations)
    return str(block.query_one("#asked-text", Static).render()) if block.display else ""


async def ask(pilot: Pilot[Any], kind: str, name: str, question: str) -> None:
    """ctrl+o, then the request window's fields found in its widget tree."""
    app = pilot.app
    await pilot.press("ctrl+o")
    await wait_until(pilot, lambda: isinstance(app.screen, ConsultRequestScreen), "the request window")
    await pilot.pause()
    window = app.screen
    radios = {r.name: r for r in window.query(MarkedRadioButton)}
    assert set(radios) == {"supervisor", "committee", "colleague"}
    radios[kind].value = True
    await pilot.pause()
    assert window.query_one("#request-kind", RadioSet).pressed_button is radios[kind]
    window.query_one("#request-name", Input).value = name
    window.query_one("#request-question", TextArea).load_text(question)
    window.query_one("#request-ask", Button).press()
    await wait_until(pilot, lambda: isinstance(app.screen, WalkScreen), "back on the walk")


async def test_a_supervisor_asked_from_options_answers_in_review_and_the_answer_shows_on_options(
    service: Service, situated_id: str, db_url: str
) -> None:
    rid = two_options(service, situated_id)
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        assert walk.current == "options"
        assert block_text(walk, "options") == ""  # nothing asked yet: no block
        await ask(pilot, "supervisor", DANA.name, "Is supporting the return home within policy?")
        await wait_until(pilot, lambda: service.record(rid).step_consultations, "the request saved")
        await walk.settled()
        asked = service.record(rid).step_consultations[0]
        assert (asked.step, asked.kind, asked.supervisor, asked.number) == ("options", "supervisor", DANA.name, 1)
        assert service.record(rid).status == "draft"  # input, not a sign-off
        assert "Awaiting the supervisor's answer" in block_text(walk, "options")

    supervisor = Service.open(db_url, DANA)
    assert isinstance(supervisor, Service)
    try:
        assert [(q.record_id, q.step) for q in supervisor.review.review_queue()] == [(rid, "options")]
        review_app = make_app(supervisor, Start(review=rid), user=DANA)
        async with review_app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: isinstance(review_app.screen, ReviewScreen), "the review")
            await pilot.pause()
            review = review_app.screen
            assert isinstance(review, ReviewScreen)
            line = str(review.query_one("#review-state", Static).render())
            assert "asks Dana Okafor (from Options; a verdict is optional)" in line
            assert "1. At Options: Dana Okafor (supervisor), requested" in " ".join(
                str(review.query_one("#record-body", Static).render()).split()
            )
            review.query_one("#notes", TextArea).load_text("Yes, with a care package agreed first.")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: service.record(rid).step_consultations[0].state == "answered", "answered")
    finally:
        supervisor.close()
    answered = service.record(rid).step_consultations[0]
    assert (answered.answered_by, answered.outcome, answered.notes) == (
        DANA.name,
        "",
        "Yes, with a care package agreed first.",
    )

    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        assert walk.current == "options"
        shown = block_text(walk, "options")
        assert "Answer (Dana Okafor): Yes, with a care package agreed first." in shown
        block = walk.query_one("#pane-options").query_one(StepConsultations)
        assert block.region.height > 0 and block.region.bottom <= SIZE[1]  # in view when the step opens
        await walk.go_to("weigh")  # a step is composed when first shown
        assert block_text(walk, "weigh") == ""  # only on the step it was asked from
    assert service.integrity.verify(rid) == (1, [])


async def test_a_committee_asked_from_options_and_its_answer_written_in(service: Service, situated_id: str) -> None:
    rid = two_options(service, situated_id)
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        await ask(pilot, "committee", "Northside ethics committee", "May we involve his daughter?")
        await wait_until(pilot, lambda: service.record(rid).step_consultations, "the request saved")
        await walk.settled()
        asked = service.record(rid).step_consultations[0]
        assert (asked.kind, asked.step) == ("committee", "options")
        block = walk.query_one("#pane-options").query_one(StepConsultations)
        record = block.query_one("#asked-record", Button)
        assert record.display and "Northside ethics committee" in str(record.label)
        record.press()
        await wait_until(pilot, lambda: isinstance(app.screen, ConsultAnswerScreen), "the answer window")
        await pilot.pause()
        await type_text(pilot, "Only if he agrees.")  # the answer field has the focus
        app.screen.query_one("#answer-record", Button).press()
        await wait_until(pilot, lambda: service.record(rid).step_consultations[0].state == "answered", "recorded")
        await walk.settled()
        await pilot.pause()
        assert "(Northside ethics committee, written in by " in block_text(walk, "options")
        assert not block.query_one("#asked-record", Button).display
    c = service.record(rid).step_consultations[0]
    assert (c.answered_by, c.recorded_by, c.notes, c.outcome) == (
        "Northside ethics committee",
        service.user.name,
        "Only if he agrees.",
        "",
    )


async def test_an_option_that_breaks_a_code_rule_is_marked_as_breaking_it(service: Service, situated_id: str) -> None:
    rid = two_options(service, situated_id)
    service.editing.set_obligation(rid, "conflict-of-interest", True)
    first, second = service.record(rid).options
    service.editing.check_floor(rid, "conflict-of-interest", first.key, False)
    service.editing.check_floor(rid, "conflict-of-interest", second.key, True)
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        rows = [str(s.render()) for s in walk.query_one("#option-list").query(Static)]
        assert any("BREAKS CODE RULE conflict-of-interest" in r for r in rows)
        assert not any("BREACHES" in r for r in rows)
        await walk.go_to("weigh")
        await pilot.pause()
        rules = " ".join(str(walk.query_one("#rules-text", Static).render()).split())
        assert "Conflict of interest is a code rule" in rules
        assert "Options that break a code rule: Status quo (Conflict of interest)." in rules
        await walk.go_to("obligations")
        await pilot.pause()
        banner = str(walk.query_one("#floor-text", Static).render())
        assert banner.startswith(
            "CODE RULE — weighing cannot override this duty. Consult your supervisor before acting."
        )
        # a code rule's own steps, none of the floors' crisis steps, and no note on law differing by place
        assert "Decline or refuse what the rule forbids" in banner
        for crisis in ("Consult your supervisor now", "crisis protocol", "Share only the information", "jurisdiction"):
            assert crisis not in banner, crisis
        await walk.go_to("consult")
        await pilot.pause()
        status = walk.query_one("#consult-status", Static)
        assert "A code rule is ticked: consult before acting on it." in str(status.render())
        assert not status.has_class("urgent")
        # the second use: a legal floor ticked too (through the walk, as the Obligations list does) makes
        # consultation due now, urgent
        walk.change(lambda svc, record: svc.editing.set_obligation(record, "mandated-report", True))
        await walk.go_to("obligations")
        floor_text = walk.query_one("#floor-text", Static)
        await wait_until(pilot, lambda: "FLOOR (legal, code rule)" in str(floor_text.render()), "the banner")
        banner = str(walk.query_one("#floor-text", Static).render())
        assert "If the person is in immediate danger, call emergency services first" in banner
        await walk.go_to("consult")
        await wait_until(pilot, lambda: "consultation is due now" in str(status.render()), "the consult status")
        assert status.has_class("urgent")


async def test_the_consult_step_asks_a_colleague_for_the_sign_off(service: Service, weighed_id: str) -> None:
    rid = weighed_id
    service.editing.save_cursor(rid, "consult", "")
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        pane = walk.query_one("#pane-consult")
        radios = {r.name: r for r in pane.query_one("#consult-kind", RadioSet).query(MarkedRadioButton)}
        radios["colleague"].value = True
        await pilot.pause()
        assert "does not answer in ethicsdesk" in str(pane.query_one("#consult-kind-note", Static).render())
        pane.query_one("#consult-supervisor", Input).value = "Lee Marsh"
        pane.query_one("#consult-request", Button).press()
        await wait_until(pilot, lambda: service.record(rid).consultation is not None, "the request saved")
        await walk.settled()
        await pilot.pause()
        assert "Record the answer of Lee Marsh" in str(pane.query_one("#asked-record", Button).label)
    c = service.record(rid).consultation
    assert c is not None and (c.kind, c.step, c.number, c.supervisor) == ("colleague", "consult", 0, "Lee Marsh")
    assert service.record(rid).status == "awaiting-consultation"


async def test_typing_in_the_request_window_adds_to_the_ethics_question(service: Service, situated_id: str) -> None:
    """The window opens with the ethics question in its box, the cursor after it (typing went in front);
    opened again, it holds what was typed (its draft is kept), the cursor after that."""
    rid = two_options(service, situated_id)
    question = service.record(rid).text["question"]
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        await in_walk(pilot)
        expected = question
        for round_ in ("first", "second"):  # the second opening of the window too
            await pilot.press("ctrl+o")
            await wait_until(pilot, lambda: isinstance(app.screen, ConsultRequestScreen), "the request window")
            await pilot.pause()
            box = app.screen.query_one("#request-question", TextArea)
            box.focus()
            await pilot.pause()
            await type_text(pilot, f" Asked {round_}.")
            expected += f" Asked {round_}."
            assert box.text == expected
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, WalkScreen), "back on the walk")


async def test_every_kind_of_consultant_is_named_whole_at_80x24(service: Service, weighed_id: str) -> None:
    """In equal thirds of the pane "Ethics committee" was cut to "Ethics commit…"."""
    service.editing.save_cursor(weighed_id, "consult", "")
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        kinds = walk.query_one("#pane-consult").query_one("#consult-kind", RadioSet)
        await pilot.pause()
        inside = kinds.content_region
        for radio in kinds.query(MarkedRadioButton):
            label = str(radio.label)
            assert radio.content_region.width >= len(f"▐●▌ {label}"), label  # the button, a space, the label
            assert radio.region.intersection(inside) == radio.region, label  # and none pushed out of the box
        assert {str(r.label) for r in kinds.query(MarkedRadioButton)} >= {"Ethics committee"}
