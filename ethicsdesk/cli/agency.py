"""Commands for a day's work and an agency's view: `due` (follow-ups and open consultation requests
of the current user) and `insight` (counts of the agency's ethics work, by month). Their bodies and
declarations are in cli/daily.py, which the direct start (cli/everyday.py) also runs without Typer."""

from __future__ import annotations

from ethicsdesk.cli import daily
from ethicsdesk.cli.context import declare

declare(daily.DUE)
declare(daily.INSIGHT)
