"""Text wrapped with hanging indents: an option's label, a list item, a total keep their indent when
they wrap (Textual wraps later lines back to the left edge)."""

from __future__ import annotations

from typing import Any

import pytest

from ethicsdesk.service import Service
from ethicsdesk.tui.app import Start
from ethicsdesk.tui.widgets.wrapped_text import WrappedText, hanging_lines
from tests.tui.harness import in_walk, make_app

LONG = "Keep it confidential and see him again tomorrow, as the status quo would have it, and no more"


@pytest.mark.parametrize(
    ("line", "under"),
    [
        (f"opt 1: {LONG}", len("opt 1: ")),
        (f"  - {LONG}", len("  - ")),
        (f"  +13  {LONG}", len("  +13  ")),
        (f"- [Decide] {LONG}", len("- ")),
        (f"    {LONG}", len("    ")),
        (f"Still missing here (3): {LONG}", 2),  # no marker: the `hang` given
    ],
)
def test_later_lines_hang_under_the_text_after_the_marker(line: str, under: int) -> None:
    lines = hanging_lines(line, 40, hang=2)
    assert len(lines) > 1 and all(len(x) <= 40 for x in lines)
    for later in lines[1:]:
        assert later[:under] == " " * under and later[under] != " ", lines
    assert " ".join(" ".join(lines).split()) == " ".join(line.split())  # no word lost


def test_short_lines_and_blank_lines_are_kept_as_they_are() -> None:
    assert hanging_lines("a\n\n  b", 40) == ["a", "", "  b"]


async def test_the_weigh_legend_and_the_analysis_keep_their_indents_at_80x24(
    service: Service, weighed_id: str
) -> None:
    key = service.record(weighed_id).options[1].key
    service.editing.change_option(weighed_id, key, label=LONG)
    service.editing.save_cursor(weighed_id, "weigh", "matrix")
    app = make_app(service, Start(record_id=weighed_id))
    async with app.run_test(size=(80, 24)) as pilot:
        walk = await in_walk(pilot)
        legend = walk.query_one("#legend", WrappedText)
        await pilot.pause()
        shown = str(legend.render()).splitlines()
        first = next(i for i, line in enumerate(shown) if line.startswith("opt 2: "))
        assert len(shown) > first + 1 and shown[first + 1].startswith(" " * len("opt 2: "))
        assert all(len(line) <= legend.content_size.width for line in shown)

        await pilot.press("a")
        await pilot.pause()
        body = app.screen.query_one(WrappedText)
        lines = str(body.render()).splitlines()
        total = next(i for i, line in enumerate(lines) if LONG[:20] in line and line.lstrip()[:1] in "+-0")
        figure = lines[total].index(LONG[:4])
        assert lines[total + 1].startswith(" " * figure) and lines[total + 1][figure] != " ", lines[total : total + 2]


async def test_a_text_of_as_many_lines_repaints_only_the_lines_that_differ() -> None:
    """The totals and the findings after a score press: the changed line is drawn anew, the others are
    kept as drawn; a text of more lines is shown whole."""
    from textual.app import App, ComposeResult

    from ethicsdesk.tui.widgets.steady_text import SteadyStatic, show_text

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield SteadyStatic("", markup=False)

    app = One()
    async with app.run_test(size=(40, 10)) as pilot:
        widget = app.query_one(SteadyStatic)
        show_text(widget, "total 1\ntotal 2\ntotal 3")
        await pilot.pause()
        drawn: list[int] = []
        render_line = widget.render_line

        def counted(y: int) -> Any:
            drawn.append(y)
            return render_line(y)

        widget.render_line = counted  # type: ignore[method-assign]
        show_text(widget, "total 1\ntotal 2 [changed]\ntotal 3")
        await pilot.pause()
        assert drawn == [1]
        assert [line.text.rstrip() for line in widget.render_lines(widget.size.region)] == [
            "total 1",
            "total 2 [changed]",
            "total 3",
        ]
        show_text(widget, "total 1\ntotal 2\ntotal 3\ntotal 4")
        await pilot.pause()
        assert [line.text.rstrip() for line in widget.render_lines(widget.size.region)][:4] == [
            f"total {n}" for n in range(1, 5)
        ]
        assert str(widget.render()) == "total 1\ntotal 2\ntotal 3\ntotal 4"
