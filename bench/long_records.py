"""Benchmarks of what grows with a database or a record: verify of many records, export, replay
and PDF against a long history or long text, and an import of many small files."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ETHICSDESK, QUICK, REPO, Row, env_with, interleaved, make_database, ms, verdict


# --- a record with a long history, built through the domain and store (fast, valid chain) ---------
def make_long_history(path: Path, events: int) -> str:
    """A sample imported, then field edits until the record has `events` events: the chain and the
    tables as `_change` would write them, in one transaction (10,000 edits one at a time take minutes)."""
    from ethicsdesk.domain.fold import apply
    from ethicsdesk.domain.record import Event
    from ethicsdesk.domain.walk import step_reached
    from ethicsdesk.service import Service
    from ethicsdesk.settings import User
    from ethicsdesk.store import eventlog
    from ethicsdesk.store.projection import write_projection

    service = Service.open(f"sqlite:///{path}", User("Bench Marker", "case manager"))
    rid = service.importing.import_files([REPO / "dilemmas" / "discharge-against-advice.toml"])[0]
    state = service.record(rid)
    head = service.head(rid)
    rows = []
    for n in range(state.events + 1, events + 1):
        value = f"The facts as told the {n}th time."
        event = Event(rid, n, "field.set", "Bench Marker", service.clock.now(), {"name": "facts", "value": value})
        state = apply(state, event)
        row = eventlog.event_row(event, "case manager", head)
        head = str(row["hash"])
        rows.append(row)
    with service.db.writing() as s:
        eventlog.insert_many(s, rows)
        write_projection(s, state, head, step_reached(state, service.framework_of(state).ids))
    service.close()
    return rid


# --- verify of many records -----------------------------------------------------------------------
def bench_verify() -> list[Row]:
    """`verify` of every record against the floor of its inherent work: recomputing every chain's
    hashes from one read of the events table."""
    from ethicsdesk.domain.chain import chain_breaks
    from ethicsdesk.service import Service
    from ethicsdesk.settings import User
    from ethicsdesk.store import eventlog

    size = 1000 if QUICK else 10_000
    path = Path(tempfile.mkdtemp()) / "verify.db"
    make_database(path, size)
    service = Service.open(f"sqlite:///{path}", User("Bench Marker", "case manager"))

    def ours() -> None:
        checked, problems = service.integrity.verify()
        assert checked == size and not problems

    def floor() -> None:
        with service.db.reading() as s:
            found = [eventlog.EventEntry(*r) for r in s.connection().exec_driver_sql("SELECT * FROM events")]
        by_record: dict[str, list[eventlog.EventEntry]] = {}
        for e in found:
            by_record.setdefault(e.record_id, []).append(e)
        for entries in by_record.values():
            chain_breaks(eventlog.to_link(e) for e in entries)

    a, b = interleaved(ours, floor, 3)
    service.close()
    n = f"{size:,}"
    return [
        (
            f"`verify` of {n} records (in process)",
            f"{a:.2f} s",
            f"reading and rehashing every chain {b:.2f} s",
            f"{a / b:.2f}×",
            f"≤ 10 s: {'met' if a <= 10 else 'MISSED'}",
        )
    ]


# --- export cost against the history a format does not show ---------------------------------------
def bench_export_history() -> list[Row]:
    """`export ID` (whole process) of a record of 10,000 events against one of 100, per format."""
    big = 1000 if QUICK else 10_000
    rows: list[Row] = []
    envs, ids = {}, {}
    for events in (100, big):
        home = Path(tempfile.mkdtemp())
        db = home / "ethicsdesk.db"
        ids[events] = make_long_history(db, events)
        envs[events] = env_with(home, db)
    out = Path(tempfile.mkdtemp())
    for fmt in ("html", "md"):
        runs = []
        for events in (100, big):
            argv = ["export", ids[events], "--format", fmt, "--out", str(out / f"{events}.{fmt}"), "--force"]
            runs.append(lambda argv=argv, env=envs[events]: subprocess.run(
                [ETHICSDESK, *argv], env=env, capture_output=True, check=True))
        runs[1]()  # warm the caches (and prove a second run is not refused)
        small, large = interleaved(runs[0], runs[1], 5 if QUICK else 11)
        rows.append(
            (
                f"`export ID --format {fmt}` of a record of {big:,} events (whole process)",
                ms(large),
                f"of 100 events {ms(small)}",
                f"{large / small:.2f}×",
                verdict(large / small, 1.2),
            )
        )
    return rows


# --- PDF of long unbroken text ----------------------------------------------------------------------
def bench_pdf_long_words() -> list[Row]:
    from ethicsdesk.reporting.exporters import PdfExporter
    from ethicsdesk.service import Service
    from ethicsdesk.service.exporting import configured_options, report_data
    from ethicsdesk.settings import User

    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return [("PDF of long unbroken text", "—", "—", "—", "weasyprint missing: not measured")]
    path = Path(tempfile.mkdtemp()) / "pdf.db"
    service = Service.open(f"sqlite:///{path}", User("Bench Marker", "case manager"))
    normal = service.importing.import_files([REPO / "dilemmas" / "discharge-against-advice.toml"])[0]
    long_ = service.importing.import_files([REPO / "dilemmas" / "discharge-against-advice.toml"])[0]
    for name in ("facts", "question", "outcome", "lessons"):
        service.editing.set_text(long_, name, "x" * 20_000)
    options = configured_options(None)
    views = {rid: report_data(service, rid, with_history=False) for rid in (normal, long_)}
    a, b = interleaved(
        lambda: PdfExporter().render(views[long_], options), lambda: PdfExporter().render(views[normal], options), 3
    )
    service.close()
    return [
        (
            "PDF of a record with four 20,000-character unbroken fields",
            ms(a),
            f"the same sample's PDF {ms(b)}",
            f"{a / b:.2f}×",
            verdict(a / b, 2),
        )
    ]


# --- import of a 5,000-file set against tomllib parsing the same files -----------------------------
SMALL_DILEMMA = """format = "ethicsdesk.dilemma/1"
id = "bench-{n}"
title = "A bench dilemma, number {n}"
summary = "A case manager weighs whether to share what a client said with her family, who ask."
facts = "The client, an adult with capacity, told the case manager about a fall at home and asked \
that it stay between them. The daughter phones twice a week and asks how her mother is coping; she \
worries aloud about falls and wants to arrange help. The consent form on file names no family member."
question = "Should the case manager tell the daughter about the fall?"

[[stakeholders]]
name = "Client"
interest = "Privacy, and staying at home on her own terms."

[[stakeholders]]
name = "Daughter"
interest = "Her mother's safety, and being kept informed."

[[options]]
key = "keep"
label = "Keep the fall confidential"
description = "Respect the request; work with the client on a safety plan she agrees to."

[[options]]
key = "ask"
label = "Ask the client's consent to tell"
description = "Explain why the daughter could help and ask what, if anything, may be shared."

[[options]]
key = "tell"
label = "Tell the daughter"
description = "Share the fall without consent, on the ground of risk to the client."
"""


def bench_import_set() -> list[Row]:
    """Reading, checking and importing 5,000 small dilemma files in one process (CPU), against
    `tomllib` parsing the same files alone."""
    import tomllib

    from ethicsdesk.knowledge.dilemma_batch import read_dilemmas
    from ethicsdesk.service import Service
    from ethicsdesk.settings import User

    count = 1000 if QUICK else 5000
    folder = Path(tempfile.mkdtemp())
    for n in range(count):
        (folder / f"d{n:05}.toml").write_text(SMALL_DILEMMA.format(n=n))
    files = sorted(folder.glob("*.toml"))
    size = statistics.mean(p.stat().st_size for p in files)

    def floor() -> None:
        for p in files:
            tomllib.loads(p.read_text())

    def ours() -> None:
        service = Service.open(f"sqlite:///{Path(tempfile.mkdtemp()) / 'i.db'}", User("Bench Marker", "case manager"))
        service.importing.import_dilemmas(read_dilemmas(files))
        service.close()

    # CPU time of this process (SQLite runs in it): the goal compares work done, and the wait for the
    # disk at the durable commit, which no parse has, would only add the disk's noise
    a, b = interleaved(ours, floor, 5, clock=time.process_time)
    return [
        (
            f"import {count:,} files of {size:,.0f} bytes (in process, CPU)",
            f"{count / a:,.0f} files/s",
            f"tomllib alone {count / b:,.0f} files/s",
            f"{a / b:.2f}×",
            f"≥ 1,000 files/s and ≤ 1.5×: {'met' if count / a >= 1000 and a / b <= 1.5 else 'MISSED'}",
        )
    ]


# --- replay of a long record ----------------------------------------------------------------------
REPLAY_DRAWN = """
import asyncio, sys, time
from ethicsdesk.service import Service
from ethicsdesk.settings import User
from ethicsdesk.tui.app import Start, build_app
from ethicsdesk.tui.screens.replay import ReplayScreen
user = User("Bench Marker", "case manager")
service = Service.open(f"sqlite:///{sys.argv[1]}", user)
async def main():
    app = build_app(lambda: service, user, Start(replay=sys.argv[2]))
    t = time.perf_counter()
    async with app.run_test(size=(80, 24)) as pilot:
        drawn = lambda: isinstance(app.screen, ReplayScreen) and "AS IT STOOD" in str(
            app.screen.query_one("#state-text").render())
        while not drawn():
            await pilot.pause(0.01)
        await pilot.pause()
        took = time.perf_counter() - t
        rss = next(line for line in open("/proc/self/status") if line.startswith("VmRSS")).split()[1]
        print(took, rss)
asyncio.run(main())
"""


def bench_replay() -> list[Row]:
    """`replay ID` (Pilot, its own process) of a record of 10,000 events until the record as it stood
    is drawn, and the process's memory then, against a record of 100 events."""
    big = 1000 if QUICK else 10_000
    script = Path(tempfile.mkdtemp()) / "replay_drawn.py"
    script.write_text(REPLAY_DRAWN)
    targets = {}
    for events in (100, big):
        db = Path(tempfile.mkdtemp()) / "replay.db"
        targets[events] = (db, make_long_history(db, events))
    times: dict[int, list[float]] = {100: [], big: []}
    memory: dict[int, list[int]] = {100: [], big: []}
    for _ in range(3):
        for events, (db, rid) in targets.items():
            out = subprocess.run(
                [sys.executable, str(script), str(db), rid], capture_output=True, text=True, check=True
            ).stdout.split()
            times[events].append(float(out[0]))
            memory[events].append(int(out[1]))
    a, b = statistics.median(times[big]), statistics.median(times[100])
    ma, mb = statistics.median(memory[big]), statistics.median(memory[100])
    return [
        (
            f"`replay ID` of {big:,} events drawn (Pilot, 80x24)",
            f"{a:.2f} s",
            f"of 100 events {b:.2f} s",
            f"{a / b:.2f}×",
            f"≤ 2 s: {'met' if a <= 2 else 'MISSED'}",
        ),
        (
            "memory (RSS) of that replay",
            f"{ma / 1024:.0f} MiB",
            f"of 100 events {mb / 1024:.0f} MiB",
            f"{ma / mb:.2f}×",
            verdict(ma / mb, 1.5),
        ),
    ]
