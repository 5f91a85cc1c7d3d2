"""A part of bench/run.py: `insight` as the records grow (run it as `python bench/run.py insight`)."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from common import ETHICSDESK, QUICK, Row, env_with, interleaved, make_database, median_time, ms, verdict


def bench_insight() -> list[Row]:
    """`insight` as a supervisor sees it (every record), at 1,000 records and at the big size, in
    the same run: as a whole process (what a user waits for) against `--help` at 1,000 and against
    itself at 1,000 at the big size, and the SQL aggregates alone, in process, through the light
    service the command opens on a SQLite file (their CPU time too, which the machine's load moves
    less than the wall clock)."""
    sizes = (1000, 10_000) if QUICK else (1000, 100_000)
    homes = {size: Path(tempfile.mkdtemp()) for size in sizes}
    for size, home in homes.items():
        make_database(home / "ethicsdesk.db", size)
        # the command runs as a supervisor, who sees every record (a case manager sees their own,
        # and the bench's records are all Bench Marker's)
        (home / "config.toml").write_text('[user]\nname = "Bench Lead"\nrole = "supervisor"\n')
    times = {size: _aggregates(home / "ethicsdesk.db") for size, home in homes.items()}
    process = {size: _whole_process(home) for size, home in homes.items()}
    runs = 7 if QUICK else 21
    small, floor = interleaved(process[1000], _help(homes[1000]), runs)
    big = sizes[-1]
    at_big, at_1000 = interleaved(process[big], process[1000], runs)
    load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    big_ratio = at_big / at_1000
    met = at_big <= 1.0 and big_ratio <= 1.5
    (wall_big, cpu_big), (wall_1000, cpu_1000) = times[big], times[1000]
    return [
        ("`insight --format json` at 1,000 records (whole process)", ms(small), f"`--help` {ms(floor)}",
         f"{small / floor:.2f}×", verdict(small / floor, 1.5)),
        (f"`insight --format json` at {big:,} records (whole process)", f"{ms(at_big)} ({load})",
         f"at 1,000: {ms(at_1000)}", f"{big_ratio:.2f}×", f"≤ 1 s and ≤ 1.5×: {'met' if met else 'MISSED'}"),
        # the CPU time beside the wall time, not in the row's name: a run replaces the row of that name
        (f"insight's aggregates at {big:,} records (in process)", f"{ms(wall_big)} (CPU {ms(cpu_big)})",
         f"at 1,000: {ms(wall_1000)} (CPU {ms(cpu_1000)})", f"{wall_big / wall_1000:.1f}×",
         f"≤ 1 s: {'met' if wall_big <= 1.0 else 'MISSED'}"),
    ]  # fmt: skip


def _aggregates(db: Path) -> tuple[float, float]:
    """The median wall and CPU time of the service's `insight` on `db`."""
    import statistics
    import time

    from ethicsdesk.service.light_records import LightService
    from ethicsdesk.settings import User

    service = LightService.open(f"sqlite:///{db}", User("Bench Lead", "supervisor"))
    assert service is not None, "a new SQLite file at the current schema opens light"
    try:
        wall = median_time(service.insight, 7)
        cpu = []
        for _ in range(7):
            start = time.process_time()
            service.insight()
            cpu.append(time.process_time() - start)
        return wall, statistics.median(cpu)
    finally:
        service.close()


def _whole_process(home: Path) -> Callable[[], None]:
    env = env_with(home, home / "ethicsdesk.db")
    argv = [ETHICSDESK, "insight", "--format", "json", "--db", str(home / "ethicsdesk.db")]

    def run() -> None:
        subprocess.run(argv, env=env, capture_output=True, check=True)

    return run


def _help(home: Path) -> Callable[[], None]:
    env = env_with(home)

    def run() -> None:
        subprocess.run([ETHICSDESK, "--help"], env=env, capture_output=True, check=True)

    return run
