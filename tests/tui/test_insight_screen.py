"""The insight screen from home (`i`): the figures of `ethicsdesk insight`, small counts as "<5", with
terminal bar charts and a table of months."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from ethicsdesk.service import Service
from ethicsdesk.tui.screens.insight import InsightScreen, bars
from tests.tui.harness import at_home, make_app, wait_until


def test_a_small_count_is_a_bar_of_four_labelled_under_five() -> None:
    assert bars([("2026-11", "<5"), ("2026-12", 12)]) == (["2026-11 (<5)", "2026-12"], [4, 12])


async def test_i_on_home_opens_the_agency_view_with_counts_only(service: Service) -> None:
    for n in range(6):
        service.editing.create_record(f"Confidential title {n}", case_code=f"K-{n}")
    app = make_app(service)
    async with app.run_test(size=(100, 30)) as pilot:
        await at_home(pilot)
        await pilot.press("i")
        await wait_until(pilot, lambda: isinstance(app.screen, InsightScreen), "the insight screen")
        screen = app.screen
        table = screen.query_one(DataTable)
        (row,) = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        month = service.today().isoformat()[:7]
        assert row[:4] == [month, "6", "<5", "<5"]
        summary = str(screen.query_one("#summary", Static).render())
        assert "your own records" in summary and "Follow-ups overdue: <5" in summary
        assert "Confidential" not in summary and "K-1" not in summary
        await pilot.press("escape")
        await at_home(pilot)
