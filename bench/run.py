"""ethicsdesk's benchmarks: each figure a ratio against a floor measured in the same run.

These machines are noisy (2 cores, shared), so absolute times mean little; a ratio of medians,
with the floor and the subject interleaved, does. Run with `make bench`; the table goes to stdout
and to bench/RESULTS.md, which the README quotes. Figures, not pass/fail: a missed goal is named.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import (
    ETHICSDESK,
    HERE,
    QUICK,
    REPO,
    Row,
    env_with,
    interleaved,
    make_database,
    median_time,
    ms,
    tmux_first_screen,
    verdict,
)
from enter_parts import bench_enter_walk
from long_records import bench_export_history, bench_import_set, bench_pdf_long_words, bench_replay, bench_verify
from walk_parts import (
    bare_table_app,
    bench_open_walk,
    bench_score_press,
    bench_step_change,
    bench_typing_burst,
)


# --- 1. --help against a bare Typer app with as many commands --------------------------------------
def bench_help() -> list[Row]:
    from ethicsdesk.cli.app import app

    groups = {g.name: len(g.typer_instance.registered_commands) for g in app.registered_groups}
    top = len(app.registered_commands)
    # The floor gets ethicsdesk's own Typer settings (no completion, plain help without rich markup),
    # so the ratio measures what ethicsdesk adds, not a difference of settings.
    lines = ["import typer", "app = typer.Typer(add_completion=False, rich_markup_mode=None)"]
    for n in range(top):
        lines.append(f"@app.command('c{n}')\ndef c{n}(x: str = ''):\n    'A command.'")
    for name, count in groups.items():
        lines.append(f"g_{name} = typer.Typer(rich_markup_mode=None)\napp.add_typer(g_{name}, name='{name}')")
        for n in range(count):
            lines.append(f"@g_{name}.command('c{n}')\ndef {name}_c{n}(x: str = ''):\n    'A command.'")
    lines.append("app()")
    bare = Path(tempfile.mkdtemp()) / "bare_typer.py"
    bare.write_text("\n".join(lines))
    home = Path(tempfile.mkdtemp())

    def ours() -> None:
        subprocess.run([ETHICSDESK, "--help"], env=env_with(home), capture_output=True, check=True)

    def floor() -> None:
        subprocess.run([sys.executable, str(bare), "--help"], capture_output=True, check=True)

    a, b = interleaved(ours, floor, 7 if QUICK else 21)
    r = a / b
    return [
        (
            f"`ethicsdesk --help` ({top} commands, {len(groups)} groups)",
            ms(a),
            f"bare Typer {ms(b)}",
            f"{r:.2f}×",
            verdict(r, 1.3),
        )
    ]


def bench_import() -> list[Row]:
    """Files on disk, read, validated and imported through `ethicsdesk import` as one process."""
    from ethicsdesk.knowledge.dilemma_files import sample_paths

    folder = Path(tempfile.mkdtemp())
    sources = sample_paths()
    for n in range(1000):
        text = sources[n % len(sources)].read_text()
        first_id = text.split('id = "', 1)[1].split('"', 1)[0]
        (folder / f"d{n:04}.toml").write_text(text.replace(f'id = "{first_id}"', f'id = "bench-{n}"', 1))
    files = sorted(str(p) for p in folder.glob("*.toml"))
    home = Path(tempfile.mkdtemp())
    t = time.perf_counter()
    subprocess.run([ETHICSDESK, "import", *files], env=env_with(home), capture_output=True, check=True)
    whole = time.perf_counter() - t
    rate = len(files) / whole
    return [
        (
            "import 1,000 dilemma files (one process, start-up included)",
            f"{rate:,.0f} files/s",
            "—",
            "—",
            f"≥ 1,000 files/s: {'met' if rate >= 1000 else 'MISSED'}",
        )
    ]


# --- 2. list and search at 1k, 10k and 100k records ----------------------------------------------
def bench_list_search() -> list[Row]:
    from ethicsdesk.service import Service
    from ethicsdesk.settings import User

    rows: list[Row] = []
    firsts: dict[str, dict[int, float]] = {"list": {}, "search": {}}
    sizes = (1000, 10_000) if QUICK else (1000, 10_000, 100_000)
    for size in sizes:
        path = Path(tempfile.mkdtemp()) / "bench.db"
        rate = make_database(path, size)
        service = Service.open(f"sqlite:///{path}", User("Bench Marker", "case manager"))
        firsts["list"][size] = median_time(lambda s=service: s.list_records(limit=50), 30)
        firsts["search"][size] = median_time(lambda s=service: s.list_records(search="caregiver", limit=50), 30)
        service.close()
        rows.append((f"bulk import while building {size:,} records", f"{rate:,.0f} records/s", "—", "—", "—"))
    big = sizes[-1]
    for what in ("list", "search"):
        f1, fb = firsts[what][1000], firsts[what][big]
        r = fb / f1
        ok = fb <= 0.010 and r <= 2
        label = "first page of the list (50, newest first)" if what == "list" else "first page of a word search (FTS5)"
        rows.append(
            (
                f"{label} at {big:,}",
                ms(fb),
                f"at 1,000: {ms(f1)}",
                f"{r:.2f}×",
                f"≤ 10 ms and ≤ 2×: {'met' if ok else 'MISSED'}",
            )
        )
    return rows


# --- 3. first screen in a real terminal, and its memory -----------------------------------------


BARE_TEXTUAL = """
from textual.app import App
from textual.widgets import DataTable, Footer, Header
class Bare(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()
    def on_mount(self):
        t = self.query_one(DataTable)
        t.add_columns("Title", "Case", "Status", "Step", "Changed")
        for n in range(20):
            t.add_row(f"row {n}", "C-1", "draft", "situation", "11-23 10:00")
        self.notify("bare-ready")
Bare().run()
"""


def bench_first_screen() -> list[Row]:
    if subprocess.run(["which", "tmux"], capture_output=True).returncode != 0:
        return [("first screen (tmux)", "—", "—", "—", "tmux missing: not measured")]
    home = Path(tempfile.mkdtemp())
    db = home / "ethicsdesk.db"
    make_database(db, 1000 if QUICK else 10_000)
    (home / "config.toml").write_text('[user]\nname = "Bench Marker"\nrole = "case manager"\n')
    bare = Path(tempfile.mkdtemp()) / "bare_textual.py"
    bare.write_text(BARE_TEXTUAL)
    env = env_with(home, db)
    ours_t, ours_m, bare_t, bare_m = [], [], [], []
    for _ in range(3 if QUICK else 7):
        t, m = tmux_first_screen(ETHICSDESK, "record(s)", env)  # home shows "N record(s)" once loaded
        ours_t.append(t)
        ours_m.append(m)
        t, m = tmux_first_screen(f"{sys.executable} {bare}", "row 19", {})
        bare_t.append(t)
        bare_m.append(m)
    a, b = statistics.median(ours_t), statistics.median(bare_t)
    ma, mb = statistics.median(ours_m), statistics.median(bare_m)
    n = "1,000" if QUICK else "10,000"
    return [
        (
            f"home screen with its records listed, {n} records (tmux, 80x24)",
            ms(a),
            f"bare Textual, 20-row table {ms(b)}",
            f"{a / b:.2f}×",
            verdict(a / b, 1.5),
        ),
        (
            "memory (RSS) at that moment",
            f"{ma / 1024:.0f} MiB",
            f"{mb / 1024:.0f} MiB",
            f"{ma / mb:.2f}×",
            verdict(ma / mb, 1.3),
        ),
    ]


# --- 4. a key press in the weighing matrix, through Pilot ----------------------------------------
def bench_keypress() -> list[Row]:
    import asyncio

    from ethicsdesk.service import Service
    from ethicsdesk.settings import User
    from ethicsdesk.tui.app import Start, build_app

    path = Path(tempfile.mkdtemp()) / "k.db"
    user = User("Bench Marker", "case manager")
    service = Service.open(f"sqlite:///{path}", user)
    rid = service.importing.import_files([REPO / "dilemmas" / "discharge-against-advice.toml"])[0]
    service.editing.save_cursor(rid, "weigh", "matrix")
    presses = 20 if QUICK else 60

    async def ours() -> float:
        app = build_app(lambda: service, user, Start(record_id=rid))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.5)
            t = time.perf_counter()
            for i in range(presses):
                await pilot.press("minus" if i % 2 else "plus")  # each press saves an event, then repaints
            return (time.perf_counter() - t) / presses

    async def bare() -> float:
        async with bare_table_app().run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.5)
            t = time.perf_counter()
            for i in range(presses):
                await pilot.press("minus" if i % 2 else "plus")
            return (time.perf_counter() - t) / presses

    a, b = asyncio.run(ours()), asyncio.run(bare())
    service.close()
    return [
        (
            "key press to repaint in the matrix (Pilot; saves an event)",
            ms(a),
            f"bare DataTable {ms(b)}",
            f"{a / b:.2f}×",
            "figure only",
        )
    ]


# --- 5. export: one report as a whole process; 1,000 reports against the bare render ------------
def bench_export() -> list[Row]:
    from ethicsdesk.reporting.exporters import HtmlExporter
    from ethicsdesk.service import Service
    from ethicsdesk.service.exporting import configured_options, report_data
    from ethicsdesk.settings import User

    home = Path(tempfile.mkdtemp())
    db = home / "ethicsdesk.db"
    make_database(db, 1000)
    env = env_with(home, db)
    service = Service.open(f"sqlite:///{db}", User("Bench Marker", "case manager"))
    ids = [r.id for r in service.list_records(limit=1000)]
    out = Path(tempfile.mkdtemp())

    def export_one() -> None:
        subprocess.run(
            # --force: each run replaces the last run's file (without it the second run is refused)
            [ETHICSDESK, "export", ids[0], "--format", "html", "--out", str(out / "one.html"), "--force"],
            env=env,
            capture_output=True,
            check=True,
        )

    def help_() -> None:
        subprocess.run([ETHICSDESK, "--help"], env=env, capture_output=True, check=True)

    a, b = interleaved(export_one, help_, 5 if QUICK else 11)
    rows: list[Row] = [
        ("export one HTML report (whole process)", ms(a), f"`--help` {ms(b)}", f"{a / b:.2f}×", verdict(a / b, 1.5))
    ]

    exporter, options = HtmlExporter(), configured_options(None)
    n = 200 if QUICK else 1000
    views = [report_data(service, rid) for rid in ids[:50]]
    template_render = lambda v: exporter.render(v, options)  # noqa: E731  the same template, data ready

    def ours() -> None:
        for k in range(n):
            rid = ids[k % len(ids)]
            (out / f"{k}.html").write_bytes(exporter.render(report_data(service, rid, with_history=False), options))

    def floor() -> None:
        for k in range(n):
            template_render(views[k % len(views)])

    ta, tb = median_time(ours, 1), median_time(floor, 1)
    rows.append(
        (
            f"{n:,} HTML reports: read, mask, render, write",
            f"{ta:.2f} s",
            f"the template's render alone {tb:.2f} s",
            f"{ta / tb:.2f}×",
            verdict(ta / tb, 2),
        )
    )
    service.close()
    return rows


def bench_analysis() -> list[Row]:
    """The whole analysis of a weighing against its floor, the weighted totals (one pass over the
    matrix), at two sizes far past the option cap (issue 13: comparing every pair of 30,000 options
    took 66 s). The analysis is at most n log n if its ratio to the floor barely grows with n."""
    import random

    from ethicsdesk.domain.analysis import Weighing, analyse, weighted_totals
    from ethicsdesk.knowledge import load_catalogue, load_framework

    fw, catalogue = load_framework("ccmc"), load_catalogue()
    rows: list[Row] = []
    ratios = []
    for n in (1_000, 3_000) if QUICK else (1_000, 30_000):
        rnd = random.Random(n)
        options = tuple((f"o{i}", f"Option {i}") for i in range(n))
        scores = {(k, p): rnd.randint(-2, 2) for k, _ in options for p in fw.ids}
        w = Weighing(fw.ids, options, scores, {p: rnd.randint(0, 3) for p in fw.ids}, fw.names)
        ours, floor = interleaved(
            lambda w=w: analyse(w, fw.priority, ["duty-to-warn"], {}, catalogue),  # type: ignore[misc]
            lambda w=w: weighted_totals(w),  # type: ignore[misc]
            3,
        )
        ratios.append(ours / floor)
        goal = "" if len(ratios) == 1 else verdict(ratios[-1] / ratios[0], 2.0) + " of the small ratio"
        rows.append((f"analysis of {n:,} options", ms(ours), ms(floor), f"{ours / floor:.1f}×", goal))
    return rows


# --- 6. the everyday commands as whole processes, against --help in the same run ------------------
def bench_everyday() -> list[Row]:
    """show, list, list --search and export (html, md, json) on 1,000 records, each interleaved with
    `ethicsdesk --help`; list --search also at 100,000 records. Issue 18: each within 2.5x."""
    sizes = (1000, 10_000) if QUICK else (1000, 100_000)
    runs = 7 if QUICK else 21
    rows: list[Row] = []
    for size in sizes:
        home = Path(tempfile.mkdtemp())
        db = home / "ethicsdesk.db"
        make_database(db, size)
        env = env_with(home, db)
        listed = subprocess.run([ETHICSDESK, "list", "--json"], env=env, capture_output=True, text=True, check=True)
        rid = json.loads(listed.stdout)[0]["id"]
        out = Path(tempfile.mkdtemp())
        commands = {"`list --search caregiver`": ["list", "--search", "caregiver"]}
        if size == 1000:
            commands = {
                "`show ID`": ["show", rid],
                "`list`": ["list"],
                **commands,
                **{
                    # --force: each run replaces the last run's file (without it the second run is refused)
                    f"`export ID --format {f}`": ["export", rid, "--format", f, "--out", str(out / f"r.{f}"), "--force"]
                    for f in ("html", "md", "json")
                },
            }
        for label, argv in commands.items():
            subprocess.run([ETHICSDESK, *argv], env=env, capture_output=True, check=True)  # warm the caches

            def ours(argv: list[str] = argv, env: dict[str, str] = env) -> None:
                subprocess.run([ETHICSDESK, *argv], env=env, capture_output=True, check=True)

            def floor(env: dict[str, str] = env) -> None:
                subprocess.run([ETHICSDESK, "--help"], env=env, capture_output=True, check=True)

            a, b = interleaved(ours, floor, runs)
            rows.append(
                (
                    f"{label} at {size:,} records (whole process)",
                    ms(a),
                    f"`--help` {ms(b)}",
                    f"{a / b:.2f}×",
                    verdict(a / b, 2.5),
                )
            )
    return rows


def bench_insight() -> list[Row]:
    """The agency's view (bench/insight_part.py, kept apart so that this file does not grow)."""
    from insight_part import bench_insight as part  # bench/ is the script's folder, first on sys.path

    return part()


PARTS: dict[str, Callable[[], list[Row]]] = {
    "help": bench_help,
    "import": bench_import,
    "list": bench_list_search,
    "first-screen": bench_first_screen,
    "keypress": bench_keypress,
    "score-press": bench_score_press,
    "open-walk": bench_open_walk,
    "step-change": bench_step_change,
    "enter-walk": bench_enter_walk,
    "typing-burst": bench_typing_burst,
    "export": bench_export,
    "everyday": bench_everyday,
    "analysis": bench_analysis,
    "insight": bench_insight,
    "verify": bench_verify,
    "export-history": bench_export_history,
    "pdf-long-words": bench_pdf_long_words,
    "import-set": bench_import_set,
    "replay": bench_replay,
}


def update_results(rows: list[Row], head: str) -> str:
    """RESULTS.md with these rows replacing those of the same name (new ones added at the end) and
    every other row kept, under the earlier run's line and this run's: a run of some parts updates
    only their rows."""
    path = HERE / "RESULTS.md"
    text = path.read_text() if path.exists() else ""
    # Sections of their own ("## …", written by other benchmarks such as matrix_under_lock.py) are kept
    # as they are, after the table.
    text, _, sections = text.partition("\n## ")
    lines = text.splitlines()
    heads = [line for line in lines if line and not line.startswith("|")]
    table = [line for line in lines if line.startswith("| ") and not line.startswith(("| what ", "| ---"))]
    fresh = {r[0]: f"| {' | '.join(r)} |" for r in rows}
    kept = [fresh.pop(line[2:].split(" | ", 1)[0], line) for line in table]
    kept += fresh.values()
    header = ["| what | ethicsdesk | floor (same run) | ratio | goal |", "| --- | --- | --- | --- | --- |"]
    rest = f"\n## {sections}" if sections else ""
    return "\n\n".join([*heads, head]) + "\n\n" + "\n".join(header + kept) + "\n" + rest


def main() -> None:
    """`run.py` runs every part; `run.py everyday export` runs those and updates only their rows."""
    names = sys.argv[1:] or list(PARTS)
    unknown = [n for n in names if n not in PARTS]
    if unknown:
        raise SystemExit(f"unknown part(s) {', '.join(unknown)}; the parts are: {', '.join(PARTS)}")
    rows: list[Row] = []
    for name in names:
        part = PARTS[name]
        print(f"… {part.__name__}", file=sys.stderr, flush=True)
        rows += part()
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    head = (
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores ({cpu}), Python "
        f"{platform.python_version()}, SQLite; medians of interleaved runs{' (quick sizes)' if QUICK else ''}."
    )
    if sys.argv[1:]:
        head = f"Rows of {', '.join(names)}: " + head[0].lower() + head[1:]
    table = ["| what | ethicsdesk | floor (same run) | ratio | goal |", "| --- | --- | --- | --- | --- |"]
    table += [f"| {' | '.join(r)} |" for r in rows]
    print(head + "\n\n" + "\n".join(table) + "\n")
    if not QUICK:
        text = update_results(rows, head) if sys.argv[1:] else head + "\n\n" + "\n".join(table) + "\n"
        (HERE / "RESULTS.md").write_text(text)


if __name__ == "__main__":
    main()
