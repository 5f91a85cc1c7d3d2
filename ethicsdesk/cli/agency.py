"""Commands for a day's work and an agency's view: `due` (follow-ups and open consultation requests
of the current user) and `insight` (counts of the agency's ethics work, by month)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from ethicsdesk.cli.context import DbOption, JsonOption, app, echo_json, say

if TYPE_CHECKING:
    from ethicsdesk.domain.due import DueWork, FollowUp, OpenRequest


def _days(n: int) -> str:
    return f"{n} day{'' if n == 1 else 's'}"


def _follow_up_line(f: FollowUp) -> str:
    when = "today" if f.days == 0 else f"in {_days(f.days)}" if f.days > 0 else f"{_days(-f.days)} overdue"
    return f"  {f.record_id}  {f.case_code or '-'}  {f.title or '(untitled)'}: follow-up {f.follow_up}, {when}"


def _request_line(r: OpenRequest, *, asked_by_me: bool) -> str:
    who = f"asked of {r.whom}" if asked_by_me else f"asked by {r.requested_by}"
    age = "today" if r.age_days <= 0 else f"{_days(r.age_days)} ago"
    urgent = " (urgent)" if r.urgent else ""
    return f"  {r.record_id}  {r.case_code or '-'}  {r.title or '(untitled)'}: {who}, {age}{urgent}"


def due_text(work: DueWork) -> list[str]:
    """What comes due, as lines for a terminal or a daily mail from cron."""
    if work.empty:
        return [f"Nothing comes due as of {work.today}: no follow-up overdue or due within 7 days, no open request."]
    lines: list[str] = []
    sections = [
        ("Follow-ups overdue", [_follow_up_line(f) for f in work.overdue]),
        ("Follow-ups due within 7 days", [_follow_up_line(f) for f in work.due]),
        ("Your open consultation requests", [_request_line(r, asked_by_me=True) for r in work.asked_by_me]),
        ("Requests awaiting your answer", [_request_line(r, asked_by_me=False) for r in work.asked_of_me]),
    ]
    for heading, items in sections:
        if items:
            lines += [*([""] if lines else []), f"{heading} ({len(items)})", *items]
    return lines


@app.command()
def due(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Follow-ups overdue or due within 7 days, and your open consultation requests (asked by you and of you)."""
    from ethicsdesk.service.light_records import open_records

    with open_records(db) as service:
        work = service.due_work()
    if as_json:
        echo_json(work.to_json())
        return
    for line in due_text(work):
        say(line)


INSIGHT_FORMATS = ("text", "json", "html")


def _since(value: str | None) -> date | None:
    from ethicsdesk.errors import BadInput

    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise BadInput(f"--since takes a date as YYYY-MM-DD, such as 2026-01-01, not '{value}'.") from None


@app.command()
def insight(
    since: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--since", metavar="DATE", help="Only what happened from this date (YYYY-MM-DD)."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text, json or html.")] = "text",
    out: Annotated[Optional[Path], typer.Option("--out", help="Write a file instead of printing.")] = None,  # noqa: UP045
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing file (never the database, a device or a folder).")
    ] = False,
    db: DbOption = None,
) -> None:
    """The agency's ethics work in counts, by month: never an identifier or a word a user wrote, and
    counts under 5 read <5. A supervisor sees everyone's records; anyone else their own."""
    from ethicsdesk.errors import BadInput
    from ethicsdesk.service.light_records import open_records

    if fmt not in INSIGHT_FORMATS:
        raise BadInput(f"--format is one of: {', '.join(INSIGHT_FORMATS)}; not '{fmt}'.")
    day = _since(since)
    with open_records(db) as service:
        if out is not None:
            service.check_file(out, force=force)
        figures = service.insight(since=day).to_json()
        text = _insight_output(figures, fmt)
        if out is not None:
            say(f"Wrote {service.write_file(out, text.encode(), force=force)} ({fmt}).")
            return
    if fmt == "json":
        echo_json(figures)
    else:
        say(text.rstrip("\n"))


def _insight_output(figures: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(figures, indent=2, ensure_ascii=False) + "\n"
    from ethicsdesk.reporting.insight_report import insight_html, insight_text

    return insight_html(figures) if fmt == "html" else "\n".join(insight_text(figures)) + "\n"
