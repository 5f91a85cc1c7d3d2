"""Home (ethicsdesk/tui/screens/home.py): your records, newest change first, a search, and the keys
that start or open a record."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Static

from ethicsdesk.service import Service
from tests.tui.harness import at_home, in_walk, make_app, type_text, wait_until


def rows(table: DataTable[object]) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_an_empty_database_says_how_to_start(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await at_home(pilot)
        empty = str(home.query_one("#empty", Static).render())
        assert empty.startswith("No records yet. Press n to start a new dilemma record")
        assert home.query_one(DataTable).row_count == 0
        assert str(home.query_one("#count", Static).render()) == "0 record(s)"
        # commands that exist wherever ethicsdesk is installed, not a path in the source tree
        assert "ethicsdesk samples list" in empty and "ethicsdesk train" in empty
        assert "dilemmas/" not in empty


async def test_titles_take_the_room_the_other_columns_leave_at_80_columns(service: Service, sample_id: str) -> None:
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await at_home(pilot)
        table = home.query_one(DataTable)
        await wait_until(pilot, lambda: table.row_count == 1, "the record listed")
        widths = {str(key.value): column.width for key, column in table.columns.items()}
        assert widths["title"] >= 35  # it was 23 beside half-empty columns
        assert sum(widths.values()) + 2 * len(widths) <= 80


async def test_records_are_listed_newest_change_first(service: Service, sample_id: str) -> None:
    newer = service.editing.create_record("Gift from a family", case_code="C-3")
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await at_home(pilot)
        table = home.query_one(DataTable)
        listed = rows(table)
        assert [r[0] for r in listed] == ["Gift from a family", service.record(sample_id).title]
        assert listed[0][1:4] == ["C-3", "draft", "situation"]
        assert listed[1][2] == "decided"
        assert not home.query_one("#empty", Static).display
        # a change moves a record to the top when home comes back into view
        await pilot.press("down", "enter")
        walk = await in_walk(pilot)
        assert walk.record_id == sample_id
        await pilot.press("end")
        await type_text(pilot, " More.")
        await pilot.press("escape")
        await at_home(pilot)
        assert rows(table)[0][0] == service.record(sample_id).title
        assert service.list_records()[1].id == newer


async def test_search_filters_and_escape_clears_it(service: Service, sample_id: str) -> None:
    service.editing.create_record("Gift from a family")
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await at_home(pilot)
        table = home.query_one(DataTable)
        assert table.row_count == 2
        await pilot.press("slash")
        assert app.focused is home.query_one("#search", Input)
        await type_text(pilot, "gift")
        await pilot.press("enter")
        assert [r[0] for r in rows(table)] == ["Gift from a family"]
        assert app.focused is table
        await pilot.press("slash")
        await type_text(pilot, "zzzz")
        await pilot.press("enter")
        assert table.row_count == 0
        assert "No records match" in str(home.query_one("#empty", Static).render())
        await pilot.press("escape")
        assert table.row_count == 2


async def test_n_starts_a_record_and_escape_in_the_dialog_creates_nothing(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await at_home(pilot)
        await pilot.press("n")
        assert type(app.screen).__name__ == "NewRecordScreen"
        await pilot.press("enter", "enter")  # no title
        assert str(app.screen.query_one("#error", Static).render()) == "A record needs a title."
        await pilot.press("escape")
        assert app.screen is home
        assert service.list_records() == []


async def test_a_title_is_shown_as_typed_not_read_as_markup(service: Service) -> None:
    service.editing.create_record("[b]Bold[/b] claim [link=x]y[/link]")
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await at_home(pilot)
        await wait_until(pilot, lambda: home.query_one(DataTable).row_count == 1, "the record listed")
        assert rows(home.query_one(DataTable))[0][0] == "[b]Bold[/b] claim [link=x]y[/link]"


ESCAPES = "A\x1b[2JB\x1b]52;c;UFdORUQ=\x07C\x9b31mD\u202eE\x1b]8;;http://evil.example/\x1b\\F"
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


async def test_control_characters_in_a_title_never_reach_the_screen(service: Service) -> None:
    """ESC[2J, OSC 52, a C1 CSI, a bidi override and an OSC 8 link in a title: the home table and
    the walk's step head show their escapes, and no line the app draws carries one raw."""
    rid = service.editing.create_record(ESCAPES)
    service.editing.set_text(rid, "facts", f"Facts with {ESCAPES} inside.")
    app = make_app(service)
    async with app.run_test(size=(120, 30)) as pilot:
        home = await at_home(pilot)
        table = home.query_one(DataTable)
        await wait_until(pilot, lambda: table.row_count == 1, "the record listed")
        assert rows(table)[0][0].startswith("A\\u001b[2JB\\u001b]52;c;UFdORUQ=\\u0007C\\u009b31mD\\u202eE")
        await pilot.pause()
        screen = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "A\\u001b[2JB" in screen and not [c for c in RAW if c in screen]

        app.open_record(rid)
        walk = await in_walk(pilot)
        await pilot.pause()
        drawn = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
        assert "A\\u001b[2JB" in drawn and not [c for c in RAW if c in drawn], drawn
    assert service.record(rid).text["facts"] == f"Facts with {ESCAPES} inside."  # what was typed is kept
    assert walk is not None


async def test_the_step_column_says_where_you_left_the_record(service: Service, weighed_id: str) -> None:
    """A record left on Decide with a choice and a rationale said "consult": the column showed the
    first step lacking something (a consultation request), not where the walk was left. It shows
    where the record opens for you; a record you never opened shows the step it has reached."""
    first = service.record(weighed_id).options[0].key
    service.editing.decide(weighed_id, "chosen", first)
    service.editing.decide(weighed_id, "rationale", "The status quo keeps him safe while we talk.")
    service.editing.set_text(weighed_id, "client_wishes", "To go home.")
    untouched = service.editing.create_record("Gift from a family", case_code="C-3")
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await at_home(pilot)
        table = home.query_one(DataTable)
        assert {r[0]: r[3] for r in rows(table)}[service.record(weighed_id).title] == "consult"  # never opened
        await pilot.press("down", "enter")
        walk = await in_walk(pilot)
        assert walk.record_id == weighed_id
        await walk.go_to("decide")
        await pilot.pause()
        await walk.settled()
        await pilot.press("escape")
        await at_home(pilot)
        await wait_until(
            pilot,
            lambda: {r[0]: r[3] for r in rows(table)}.get(service.record(weighed_id).title) == "decide",
            "the record listed at Decide, where it was left",
        )
        assert {r[0]: r[3] for r in rows(table)}["Gift from a family"] == "situation"
    assert service.summary(weighed_id).step == "consult"  # the record's own step (list, JSON) is unchanged
    assert service.summary(untouched).step == "situation"


async def test_what_comes_due_shows_above_the_records_once_the_service_is_open(service: Service) -> None:
    from datetime import timedelta

    late = service.editing.create_record("Late follow-up", case_code="C-7")
    service.editing.decide(late, "follow_up", (service.today() - timedelta(days=2)).isoformat())
    asks = service.editing.create_record("Asks", case_code="C-8")
    service.editing.request_consultation(asks, "Dana Lee", "Share with the daughter?")
    quiet = service.editing.create_record("Far off", case_code="C-9")
    service.editing.decide(quiet, "follow_up", (service.today() + timedelta(days=8)).isoformat())
    app = make_app(service)
    async with app.run_test(size=(100, 24)) as pilot:
        home = await at_home(pilot)
        banner = home.query_one("#due", Static)
        await wait_until(pilot, lambda: banner.display, "the due banner shown")
        text = str(banner.render())
        assert text.splitlines() == [
            "Follow-ups: 1 overdue (C-7 2d late)",
            "Consultation requests: 1 of yours open (oldest 0 days)",
        ]
        # the outcome recorded, the follow-up is done; the request withdrawn, nothing is due
        service.editing.set_text(late, "outcome", "Went home with support.")
        service.editing.withdraw_consultation(asks)
        home.reload()
        await pilot.pause()
        assert not banner.display


async def test_an_empty_database_shows_no_due_banner(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(80, 24)) as pilot:
        home = await at_home(pilot)
        await pilot.pause()
        assert not home.query_one("#due", Static).display
