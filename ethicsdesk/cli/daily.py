"""The bodies and declarations of `due` and `insight`, free of Typer so that the direct start
(cli/everyday.py) can run them in their plain forms without loading Typer and pydantic (about 300 ms
of a process, bench/): a daily cron job and a lead's morning look pay for the figures, not for the
command line. cli/agency.py builds their Typer commands from the same declarations."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ethicsdesk.cli.command_spec import DB, JSON, CommandSpec, Option, flag

if TYPE_CHECKING:
    from ethicsdesk.domain.due import DueWork, FollowUp, OpenRequest

INSIGHT_FORMATS = ("text", "json", "html")


def _echo(text: str) -> None:
    """Print text that may hold record text (titles, case codes), control characters neutralised."""
    import sys

    from ethicsdesk.terminal_text import shown

    sys.stdout.write(shown(text) + "\n")
    sys.stdout.flush()


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


def due(db: str | None = None, as_json: bool = False) -> None:
    """Follow-ups overdue or due within 7 days, and your open consultation requests."""
    from ethicsdesk.service.light_records import open_records

    with open_records(db) as service:
        work = service.due_work()
    if as_json:
        _echo(json.dumps(work.to_json(), indent=2, ensure_ascii=False))
        return
    _echo("\n".join(due_text(work)))


def _since(value: str | None) -> date | None:
    from ethicsdesk.errors import BadInput

    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise BadInput(f"--since takes a date as YYYY-MM-DD, such as 2026-01-01, not '{value}'.") from None


def insight(
    since: str | None = None, fmt: str = "text", out: Path | None = None, force: bool = False, db: str | None = None
) -> None:
    """The agency's ethics work in counts, by month (a supervisor: everyone's; others: their own)."""
    from ethicsdesk.errors import BadInput
    from ethicsdesk.service.light_records import open_records

    if fmt not in INSIGHT_FORMATS:
        raise BadInput(f"--format is one of: {', '.join(INSIGHT_FORMATS)}; not '{fmt}'.")
    day = _since(since)
    with open_records(db) as service:
        if out is not None:
            service.check_file(out, force=force)
        text = insight_output(service.insight(since=day).to_json(), fmt)
        if out is not None:
            _echo(f"Wrote {service.write_file(out, text.encode(), force=force)} ({fmt}).")
            return
    _echo(text.rstrip("\n"))


def insight_output(figures: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(figures, indent=2, ensure_ascii=False) + "\n"
    from ethicsdesk.reporting.insight_report import insight_html, insight_text

    return insight_html(figures) if fmt == "html" else "\n".join(insight_text(figures)) + "\n"


DUE = CommandSpec(
    "due",
    due,
    "Follow-ups overdue or due within 7 days, and your open consultation requests (asked by you and of you).",
    options=(DB, JSON),
)
INSIGHT = CommandSpec(
    "insight",
    insight,
    "The agency's ethics work in counts, by month: never an identifier or a word a user wrote, and "
    "counts under 5 read <5. A supervisor sees everyone's records; anyone else their own.",
    options=(
        Option("--since", "since", "Only what happened from this date (YYYY-MM-DD).", metavar="DATE"),
        Option("--format", "fmt", "text, json or html.", default="text"),
        Option("--out", "out", "Write a file instead of printing.", kind=Path),
        flag("--force", "force", "Replace an existing file (never the database, a device or a folder)."),
        DB,
    ),
)
