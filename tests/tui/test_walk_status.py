"""What the walk says is missing (the step list, the step head, the Decide box): one list, from
domain.checks.quality_checks, and a ✓ only where nothing is missing. Driven at 80x24."""

from __future__ import annotations

from textual.widgets import Static

from ethicsdesk.domain.checks import quality_checks
from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.widgets.reading import ReadingBox
from ethicsdesk.tui.widgets.step_list import StepList
from tests.tui.harness import autosaved, in_walk, make_app, notices, type_text, wait_until

SIZE = (80, 24)


def marks(walk: object) -> dict[str, str]:
    steps = walk.query_one(StepList)  # type: ignore[attr-defined]
    return {line.split(" ", 2)[2]: line[0] for line in steps.lines}


def head(walk: object) -> str:
    return str(walk.query_one("#step-head", Static).render())  # type: ignore[attr-defined]


async def test_a_new_record_shows_no_tick_on_obligations(service: Service) -> None:
    rid = service.editing.create_record("Refuses the care home", case_code="C-7")
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        shown = marks(walk)
        assert shown["Obligations"] == "•", shown
        assert "✓" not in shown.values()


async def test_decide_never_says_complete_beside_what_is_missing(service: Service, weighed_id: str) -> None:
    # chosen and reasoned: what the step line used to count was all there, so it said "This step is
    # complete." while the box below listed the tests and checks still unanswered
    service.editing.decide(weighed_id, "chosen", service.record(weighed_id).options[1].key)
    service.editing.decide(weighed_id, "rationale", "Home with support keeps his wish and his safety.")
    service.editing.save_cursor(weighed_id, "decide", "chosen")
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        box = walk.query_one("#quality", ReadingBox).text
        assert "Still missing" in box
        assert "complete" not in head(walk)
        assert "Still missing here" in head(walk)
        state = service.record(weighed_id)
        findings = quality_checks(state, service.framework_of(state), service.catalogue())
        # the box lists exactly the domain's findings, in the same words
        assert [f.text for f in findings] == [line.split("] ", 1)[1] for line in box.splitlines()[1:]]
        decide = [f.text for f in findings if f.step == "decide"]
        assert head(walk).splitlines()[1].startswith(f"Still missing here ({len(decide)}):")


async def test_a_signed_record_asks_for_nothing_on_outcome_and_says_read_only_once(
    service: Service, signed_id: str
) -> None:
    service.editing.save_cursor(signed_id, "decide", "chosen")
    app = make_app(service, Start(record_id=signed_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        await walk.settled()  # what the opening asked of the database has landed, and the screen is idle
        await pilot.pause()
        # opening it is no attempt to change it: no read-only notice at all (there were six)
        assert [n for n in notices(app) if "read-only" in n.message] == []
        assert marks(walk)["Outcome"] == "✓"
        await walk.go_to("outcome")
        await pilot.pause()
        assert "Nothing is missing on this step." in head(walk)
        await type_text(pilot, "x")
        await autosaved(pilot, walk)  # the autosave's pause over and its write refused or landed
        assert len([n for n in notices(app) if "read-only" in n.message]) <= 1


async def test_the_analysis_window_says_the_robustness_once(service: Service, open_id: str) -> None:
    from ethicsdesk.tui.screens.analysis import analysis_text

    service.editing.save_cursor(open_id, "weigh", "matrix")
    app = make_app(service, Start(record_id=open_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        assert walk.view is not None
        robustness = walk.view.analysis.robustness
        assert robustness, "the sample's lead can be ended"
        text = analysis_text(walk.view)
        assert all(text.count(flip.text) == 1 for flip in robustness), text


async def test_a_long_title_keeps_the_step_head_to_two_lines(service: Service) -> None:
    title = "A client who " + "asks again and again for the same thing " * 4 + "wants it kept from her family"
    assert len(title) > 170
    rid = service.editing.create_record(title[:200], case_code="C-9")
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        # the title keeps to two lines (it took three), cut with "…"; what is missing wraps under it,
        # three lines at most
        lines = head(walk).splitlines()
        assert lines[1].endswith("…") and title[:30] in lines[0] and lines[2].startswith("Still missing")
        assert walk.query_one("#step-head", Static).region.height == len(lines) <= 2 + 3


async def test_what_is_missing_wraps_whole_and_a_long_list_opens_on_focus(service: Service, open_id: str) -> None:
    """At 80x24 "Still missing here (4): …" was one line, always cut. Each word of it is now on the
    screen when it fits three lines; a longer list says how many lines follow, and f2 opens it
    whole (escape goes back to the field)."""
    from ethicsdesk.tui.widgets.step_head import OPEN_LINES, StepHead
    from ethicsdesk.tui.widgets.wrapped_text import hanging_lines

    # the sample judges every option against its own floors: two more floors, no option judged against them
    service.editing.set_obligation(open_id, "mandated-report", True)
    service.editing.set_obligation(open_id, "conflict-of-interest", True)
    service.editing.save_cursor(open_id, "obligations", "obligation-list")
    app = make_app(service, Start(record_id=open_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        assert walk.view is not None
        missing = " ".join(walk.view.lacks["obligations"])
        step_head = walk.query_one("#step-head", StepHead)
        assert len(missing) > 3 * 60  # the case: more than three lines at 80 columns
        folded = head(walk).splitlines()
        start = next(i for i, line in enumerate(folded) if line.startswith("Still missing here"))
        assert len(folded) - start == 3 and step_head.region.height == len(folded)  # the title, then three lines
        assert "more lines (f2 reads them)" in folded[-1]
        assert all(len(line) <= step_head.content_size.width for line in folded)
        list_of_duties = app.focused
        await pilot.press("f2")
        await wait_until(pilot, lambda: step_head.has_focus, "the step line focused")
        await pilot.pause()
        opened = head(walk).splitlines()[start - 1 :]
        whole = f"Still missing here ({len(walk.view.lacks['obligations'])}): {missing}"
        lines = hanging_lines(whole, step_head.content_size.width, 2)
        room = OPEN_LINES + 1 - start  # what the title's lines leave of 21
        if len(lines) <= room:
            assert " ".join(" ".join(opened[1:]).split()) == " ".join(whole.split())
        else:
            assert opened[1:-1] == lines[: room - 1] and "more lines" in opened[-1]
        assert step_head.region.height == len(opened) + start - 1 and step_head.region.bottom <= SIZE[1]
        assert all(line.startswith("  ") for line in opened[2:])  # under the first line's text, not the edge
        await pilot.press("escape")  # back to the field, not to the records
        await pilot.pause()
        assert app.focused is list_of_duties and head(walk).splitlines() == folded


async def test_a_short_list_of_what_is_missing_is_shown_whole(service: Service, weighed_id: str) -> None:
    service.editing.save_cursor(weighed_id, "outcome", "")
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        assert walk.view is not None and walk.current == "outcome"
        lacks = walk.view.lacks["outcome"]
        assert lacks and len(" ".join(lacks)) > 40  # more than the one line left beside the count
        shown = " ".join(" ".join(head(walk).splitlines()[1:]).split())
        assert shown == " ".join(f"Still missing here ({len(lacks)}): {' '.join(lacks)}".split()), shown
        assert "…" not in shown
