"""A part of bench/run.py: Enter on a record in the home list until the walk's step is shown, through
Textual's Pilot and in a real terminal, each against a bare Textual app doing the same in the same run
(bench/bare_walk_step.py: a home list whose Enter pushes a screen of the Situation step's form)."""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bare_walk_step import BareApp, BareHome
from common import ETHICSDESK, HERE, QUICK, REPO, Row, TmuxPane, env_with, ms, verdict

SAMPLE = REPO / "dilemmas" / "discharge-against-advice.toml"
RECORDS = 5  # copies of SAMPLE on home: whichever is on top, Enter opens the same record
# On the screen: the step's heading, ethicsdesk's (tui/steps/host.py) and the floor's, never on a home
# screen; and home's count of its records, on both homes and on no step.
STEP_MARKER = "of 7 ·"
HOME_MARKER = "record(s)"
FLOOR = "bare Textual screen of the same form"


def bench_enter_walk() -> list[Row]:
    """Enter on a record in the home list until its step is shown: the goal is 300 ms, and the floor
    says how much of it Textual takes to push a screen of that form at all."""
    home = Path(tempfile.mkdtemp())
    db = home / "ethicsdesk.db"
    _records(db)
    return [_pilot_row(db), _tmux_row(home, db)]


def _records(db: Path) -> None:
    from ethicsdesk.service import Service
    from ethicsdesk.settings import User

    service = Service.open(f"sqlite:///{db}", User("Bench Marker", "case manager"))
    service.importing.import_files([SAMPLE] * RECORDS)
    service.close()


def _goal(ours: float, floor: float) -> str:
    return f"≤ 300 ms: {'met' if ours <= 0.3 else 'MISSED'}; {verdict(ours / floor, 1.5)}"


# --- through Pilot: each press until the app is idle again (Textual's wait_for_idle) --------------------
async def _enter_runs(
    app: Any,
    at_home: Callable[[Any], bool],
    shown: Callable[[Any, Any], bool],
    turn: asyncio.Lock,
    both_up: asyncio.Barrier,
    runs: int,
) -> list[float]:
    """Enter on home until `shown`, `runs` times, back home with escape after each. Both apps run in
    this loop, each in a task of its own: both are started (`both_up`) before either measures, and they
    take turns (`turn`, whose waiters are served in order), the other waiting at home meanwhile."""
    times = []
    async with app.run_test(size=(80, 24)) as pilot:
        while not at_home(app):
            await pilot.pause(0.01)
        await both_up.wait()
        for _ in range(runs):
            async with turn:
                home = app.screen
                await pilot.pause(0.3)
                t = time.perf_counter()
                await pilot.press("enter")
                while not shown(app, home):
                    await pilot.pause(0.005)
                times.append(time.perf_counter() - t)
                await pilot.press("escape")
                while not at_home(app):  # home again before the other app's turn
                    await pilot.pause(0.01)
    return times


def _pilot_row(db: Path) -> Row:
    from ethicsdesk.service import Service
    from ethicsdesk.settings import User
    from ethicsdesk.tui.app import Start, build_app

    user = User("Bench Marker", "case manager")
    service = Service.open(f"sqlite:///{db}", user)
    runs = 3 if QUICK else 9

    def ours_at_home(app: Any) -> bool:  # Enter opens a record once the service is open
        return bool(getattr(app, "service_ready", False)) and type(app.screen).__name__ == "HomeScreen"

    def ours_shown(app: Any, home: Any) -> bool:
        return app.screen is not home and getattr(app.screen, "view", None) is not None and app.focused is not None

    async def both() -> list[list[float]]:
        turn, both_up = asyncio.Lock(), asyncio.Barrier(2)
        ours = build_app(lambda: service, user, Start())
        bare = BareApp(SAMPLE, RECORDS)
        return await asyncio.gather(
            _enter_runs(ours, ours_at_home, ours_shown, turn, both_up, runs),
            _enter_runs(
                bare,
                lambda app: isinstance(app.screen, BareHome),
                lambda app, home: app.screen is not home and app.focused is not None,
                turn,
                both_up,
                runs,
            ),
        )

    ours_t, bare_t = asyncio.run(both())
    service.close()
    a, b = statistics.median(ours_t), statistics.median(bare_t)
    what = "Enter on a record in the home list until its step shows (Pilot, 80x24)"
    return (what, ms(a), f"{FLOOR} {ms(b)}", f"{a / b:.2f}×", _goal(a, b))


# --- in a real terminal: what a person sees ------------------------------------------------------------
def _tmux_row(home: Path, db: Path) -> Row:
    """Both apps in tmux at once, taking turns: Enter, then the screen looked at every 5 ms until the
    step's heading is on it; escape, and home drawn again before the other's turn."""
    what = "Enter on a record in the home list until its step is drawn (tmux, 80x24)"
    if subprocess.run(["which", "tmux"], capture_output=True).returncode != 0:
        return (what, "—", "—", "—", "tmux missing: not measured")
    (home / "config.toml").write_text('[user]\nname = "Bench Marker"\nrole = "case manager"\n')
    floor = f"{sys.executable} {HERE / 'bare_walk_step.py'} {SAMPLE}"
    times: dict[str, list[float]] = {"ours": [], "bare": []}
    with TmuxPane(ETHICSDESK, env_with(home, db)) as ours, TmuxPane(floor, {}) as bare:
        panes = {"ours": ours, "bare": bare}
        for pane in panes.values():
            pane.wait_for(HOME_MARKER)
        # ethicsdesk opens its service after home's first paint, and an Enter before it is refused
        time.sleep(1.5)
        for _ in range(5 if QUICK else 15):
            for name, pane in panes.items():
                time.sleep(0.3)
                t = time.perf_counter()
                pane.send("Enter")
                pane.wait_for(STEP_MARKER, timeout=10)
                times[name].append(time.perf_counter() - t)
                pane.send("Escape")
                pane.wait_for(HOME_MARKER, gone=STEP_MARKER)
    a, b = statistics.median(times["ours"]), statistics.median(times["bare"])
    return (what, ms(a), f"{FLOOR} {ms(b)}", f"{a / b:.2f}×", _goal(a, b))
