"""A part of bench/run.py: `insight` as the records grow (run it as `python bench/run.py insight`)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from common import ETHICSDESK, QUICK, Row, env_with, interleaved, make_database, median_time, ms, verdict


def bench_insight() -> list[Row]:
    """`insight` as a supervisor sees it (every record): in process at 1,000 records and at the big
    size (the SQL aggregates alone, through the light service the command opens on a SQLite file),
    and as a whole process at 1,000 against `--help`."""
    from ethicsdesk.service.light_records import LightService
    from ethicsdesk.settings import User

    sizes = (1000, 10_000) if QUICK else (1000, 100_000)
    times: dict[int, float] = {}
    rows: list[Row] = []
    for size in sizes:
        home = Path(tempfile.mkdtemp())
        db = home / "ethicsdesk.db"
        make_database(db, size)
        service = LightService.open(f"sqlite:///{db}", User("Bench Lead", "supervisor"))
        assert service is not None, "a new SQLite file at the current schema opens light"
        times[size] = median_time(service.insight, 7)
        service.close()
        if size == 1000:
            env = env_with(home, db)
            argv = [ETHICSDESK, "insight", "--format", "json", "--db", str(db)]

            def ours(argv: list[str] = argv, env: dict[str, str] = env) -> None:
                subprocess.run(argv, env=env, capture_output=True, check=True)

            def floor(env: dict[str, str] = env) -> None:
                subprocess.run([ETHICSDESK, "--help"], env=env, capture_output=True, check=True)

            a, b = interleaved(ours, floor, 7 if QUICK else 21)
            label = "`insight --format json` at 1,000 records (whole process)"
            rows.append((label, ms(a), f"`--help` {ms(b)}", f"{a / b:.2f}×", verdict(a / b, 1.5)))
    big = sizes[-1]
    ratio = times[big] / times[1000]
    goal = f"≤ 1 s: {'met' if times[big] <= 1.0 else 'MISSED'}"
    rows.append(
        (
            f"insight's aggregates at {big:,} records",
            ms(times[big]),
            f"at 1,000: {ms(times[1000])}",
            f"{ratio:.1f}×",
            goal,
        )
    )
    return rows
