"""The agency's view (`ethicsdesk insight`) as HTML, through the reports' Jinja2 environment, and as
plain text for a terminal. It is given the figures as the JSON has them (small counts already "<5"),
so nothing here can show a count the JSON does not.

The charts are inline SVG drawn from the geometry computed here: no script, no style attribute (the
Content-Security-Policy allows only the report's own stylesheet), presentation attributes only.
"""

from __future__ import annotations

from typing import Any

from ethicsdesk.domain.quality import LEVEL_NAMES
from ethicsdesk.reporting.render import render_template

BAR_WIDTH = 320  # the longest bar, in SVG user units
ROW_HEIGHT = 24
LABEL_WIDTH = 250
LABEL_CHARACTERS = 30  # a longer label (an obligation's name) is cut with an ellipsis to fit
# a "<5" bar is drawn as long as four would be, in a paler fill: it shows at most that, never the count
SUPPRESSED_AS = 4

# the overall level of a rated rationale, keyed as the JSON keys it; 3 and 4 are acceptable
LEVEL_WORDS = {str(level): name for level, name in LEVEL_NAMES.items()}
ANSWER_NAMES = {"concur": "Concur", "concur-with-changes": "Concur with changes", "do-not-concur": "Do not concur"}


def _number(value: int | str) -> int:
    return SUPPRESSED_AS if isinstance(value, str) else value


def bar_chart(title: str, items: list[tuple[str, int | str]]) -> dict[str, Any]:
    """A horizontal bar chart's geometry: each bar's label, length, shown value and whether it is a
    suppressed count."""
    most = max([_number(v) for _, v in items] + [5])
    bars = [
        {
            "label": label if len(label) <= LABEL_CHARACTERS else label[: LABEL_CHARACTERS - 1] + "…",
            "y": n * ROW_HEIGHT,
            "width": round(_number(value) / most * BAR_WIDTH, 1) if value else 0,
            "shown": str(value),
            "suppressed": isinstance(value, str),
        }
        for n, (label, value) in enumerate(items)
    ]
    return {
        "title": title,
        "bars": bars,
        "height": max(1, len(bars)) * ROW_HEIGHT,
        "label_width": LABEL_WIDTH,
        "bar_width": BAR_WIDTH,
        "width": LABEL_WIDTH + BAR_WIDTH + 60,
    }


def charts(figures: dict[str, Any]) -> list[dict[str, Any]]:
    months, obligations = figures["months"], figures["obligations"]
    return [
        bar_chart("Records opened, by month", [(m["month"], m["records_opened"]) for m in months]),
        bar_chart("Consultations requested, by month", [(m["month"], m["consultations_requested"]) for m in months]),
        bar_chart("Consultations answered, by month", [(m["month"], m["consultations_answered"]) for m in months]),
        bar_chart("Open requests, by age", list(figures["open_requests_by_age"].items())),
        bar_chart("Duties, floors and code rules named most", [(o["name"], o["records"]) for o in obligations]),
        bar_chart("Answers", [(ANSWER_NAMES[k], v) for k, v in figures["answers"].items()]),
        bar_chart("Rationales rated, by overall level", _levels(figures)),
    ]


def _levels(figures: dict[str, Any]) -> list[tuple[str, int | str]]:
    return [(f"Level {n} ({LEVEL_WORDS[n]})", v) for n, v in figures["rating_levels"].items()]


def insight_html(figures: dict[str, Any]) -> str:
    """One self-contained HTML page of the figures (Insight.to_json)."""
    return render_template("html", "insight.html.j2", {"insight": figures, "charts": charts(figures), "paper": None})


def _hours(value: float | None) -> str:
    return "-" if value is None else f"{value:g} h"


def insight_text(figures: dict[str, Any]) -> list[str]:
    """The figures as lines for a terminal."""
    whose = "every case manager's records" if figures["scope"] == "everyone" else "your own records"
    since = f" since {figures['since']}" if figures["since"] else ""
    lines = [f"Ethics work{since}, as of {figures['as_of']}: {whose}. Counts under 5 read <5.", ""]
    lines.append(f"{'Month':<9}{'Opened':>8}{'Asked':>8}{'Answered':>10}{'Median':>10}{'90th pct':>10}")
    for m in figures["months"]:
        lines.append(
            f"{m['month']:<9}{m['records_opened']!s:>8}{m['consultations_requested']!s:>8}"
            f"{m['consultations_answered']!s:>10}{_hours(m['answer_hours_median']):>10}{_hours(m['answer_hours_p90']):>10}"
        )
    if not figures["months"]:
        lines.append("(no records in this period)")
    ages = ", ".join(f"{band} {n}" for band, n in figures["open_requests_by_age"].items())
    lines += ["", f"Open requests by age: {ages}", f"Follow-ups overdue: {figures['follow_ups_overdue']}"]
    answers = ", ".join(f"{ANSWER_NAMES[k].lower()} {v}" for k, v in figures["answers"].items())
    lines.append(f"Answers: {answers}")
    levels = ", ".join(f"level {n} {v}" for n, v in figures["rating_levels"].items())
    lines.append(f"Rationales rated: {levels} (3 and 4 are acceptable)")
    if figures["obligations"]:
        lines += ["", "Named most:"]
        lines += [f"  {o['records']!s:>4}  {o['name']} ({o['kind']})" for o in figures["obligations"]]
    return lines
