"""Key press to repaint in the weighing matrix while another process holds SQLite's write lock
(issue 12, defect 8): the p99 with the lock held 3 s against the p99 with no lock, in the same run.

Each press scores the focused cell (a write through the walk's writer) and is timed from the key to
the screen having handled it and repainted (Pilot's press: the key handled, the screen idle). Rounds
with and without the lock alternate, so both see the same machine load. A figure, not a test: run
`.venv/bin/python bench/matrix_under_lock.py`; it appends a section to bench/RESULTS.md.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
QUICK = os.environ.get("ETHICSDESK_BENCH_QUICK") == "1"
HOLD = 3.0  # seconds the other process keeps the write lock
ROUNDS = 2 if QUICK else 6

HOLDER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
db.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
"""


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


async def measure(service, user, rid: str, path: Path) -> tuple[list[float], list[float], int]:  # type: ignore[no-untyped-def]
    from ethicsdesk.tui.app import Start, build_app
    from ethicsdesk.tui.screens.walk import WalkScreen

    free: list[float] = []
    locked: list[float] = []
    refused = 0
    app = build_app(lambda: service, user, Start(record_id=rid))
    titles: list[str] = []
    shown = app.notify

    def notify(message: str, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        titles.append(str(kwargs.get("title", "")))
        shown(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        while not (isinstance(app.screen, WalkScreen) and app.screen.view is not None and app.focused is not None):
            await pilot.pause(0.05)
        walk = app.screen
        await pilot.pause(0.5)
        keys = ["4", "5"]

        async def presses(into: list[float], seconds: float) -> None:
            end = time.perf_counter() + seconds
            i = 0
            while time.perf_counter() < end:
                t = time.perf_counter()
                await pilot.press(keys[i % 2])
                into.append(time.perf_counter() - t)
                i += 1

        for _ in range(ROUNDS):
            await presses(free, HOLD - 0.5)
            await walk.settled()
            holder = subprocess.Popen(
                [sys.executable, "-c", HOLDER, str(path), str(HOLD)], stdout=subprocess.PIPE, text=True
            )
            assert holder.stdout is not None
            assert (await asyncio.to_thread(holder.stdout.readline)).strip() == "held"
            await presses(locked, HOLD - 0.5)  # all within the 3 s the lock is held
            await asyncio.to_thread(holder.wait)
            await walk.settled()
    refused = sum(1 for t in titles if t.startswith("Not saved"))
    return free, locked, refused


def main() -> None:
    from ethicsdesk.service import Service
    from ethicsdesk.settings import User

    path = Path(tempfile.mkdtemp()) / "lock.db"
    user = User("Bench Marker", "case manager")
    service = Service.open(f"sqlite:///{path}", user)
    rid = service.importing.import_files([REPO / "dilemmas" / "discharge-against-advice.toml"])[0]
    service.editing.save_cursor(rid, "weigh", "matrix")
    events_before = service.record(rid).events
    free, locked, refused = asyncio.run(measure(service, user, rid, path))
    events_after = service.record(rid).events
    service.close()
    a, b = p99(locked), p99(free)
    text = (
        f"\n## Key press to repaint in the matrix while another process holds the write lock (issue 12)\n\n"
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} UTC on {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}, SQLite; `bench/matrix_under_lock.py`: {ROUNDS} rounds, each "
        f"{HOLD - 0.5:.1f} s of presses with no lock, then {HOLD - 0.5:.1f} s of presses while another "
        f"process holds `BEGIN IMMEDIATE` for {HOLD:.0f} s. Each press scores the focused cell.\n\n"
        "| what | presses | median | p99 | max |\n| --- | --- | --- | --- | --- |\n"
        f"| no lock held | {len(free)} | {statistics.median(free) * 1000:.1f} ms | {b * 1000:.1f} ms "
        f"| {max(free) * 1000:.1f} ms |\n"
        f"| write lock held by another process | {len(locked)} | {statistics.median(locked) * 1000:.1f} ms "
        f"| {a * 1000:.1f} ms | {max(locked) * 1000:.1f} ms |\n\n"
        f"p99 ratio (lock / no lock): {a / b:.2f}× (goal ≤ 2×: {'met' if a / b <= 2 else 'MISSED'}). "
        f"Events saved: {events_after - events_before} of {len(free) + len(locked)} presses "
        f"(a press that sets the value already stored adds none); saves refused: {refused}.\n"
    )
    print(text)
    if not QUICK:
        with (HERE / "RESULTS.md").open("a", encoding="utf-8") as out:
            out.write(text)


if __name__ == "__main__":
    main()
