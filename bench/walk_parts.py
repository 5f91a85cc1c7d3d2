"""A part of bench/run.py: the walk as a person meets it — a score press in the matrix, opening a
record, a step change and a burst of typing (run as `python bench/run.py PART`); Enter from home is
bench/enter_parts.py's."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import ETHICSDESK, QUICK, REPO, Row, env_with, make_database, ms, tmux_first_screen, verdict


# --- a score press in the walk's matrix: CPU, frames, layouts and SQL per press ------------------------
def _counting(screen: Any, counts: dict[str, int], drawn: list[float]) -> None:
    """Count `screen`'s frames and layouts, and note when each frame is on the screen."""
    frame, layout = screen._compositor_refresh, screen._refresh_layout

    def counted_frame() -> None:
        counts["frames"] += 1
        frame()
        drawn.append(time.perf_counter())

    def counted_layout(*args: Any, **kwargs: Any) -> None:
        counts["layouts"] += 1
        layout(*args, **kwargs)

    screen._compositor_refresh, screen._refresh_layout = counted_frame, counted_layout


def _until_drawn(pressed: list[float], frames: list[float]) -> float:
    """The median time from a key to the first frame after it: the walk draws the cell and the totals
    in that frame (one frame a press, counted), the bare table its cell."""
    return statistics.median(min(f for f in frames if f > t) - t for t in pressed)


def bare_table_app() -> Any:
    """The floor of a key in the matrix: a bare DataTable of the same shape whose + and - change a
    cell (the score press's floor here, the keypress row's in run.py)."""
    from textual.app import App
    from textual.widgets import DataTable

    class Bare(App[None]):
        BINDINGS = [("plus", "bump(1)"), ("minus", "bump(-1)")]

        def compose(self):  # type: ignore[no-untyped-def]
            yield DataTable()

        def on_mount(self) -> None:
            t = self.query_one(DataTable)
            t.add_columns("p", "wt", "1", "2", "3", "4")
            for n in range(7):
                t.add_row(f"principle {n}", "1", "0", "0", "0", "0")
            self.value = 0

        def action_bump(self, d: int) -> None:
            self.value += d
            self.query_one(DataTable).update_cell_at((0, 2), str(self.value))

    return Bare()


async def _bare_table_presses(presses: int, pressed: list[float], drawn: list[float]) -> float:
    """The floor: CPU per press of a bare DataTable changing a cell, the keys' times in `pressed` and
    its frames' in `drawn`."""
    async with bare_table_app().run_test(size=(80, 40)) as pilot:
        await pilot.pause(0.5)
        _counting(pilot.app.screen, {"frames": 0, "layouts": 0}, drawn)
        t = time.process_time()
        for i in range(presses):
            pressed.append(time.perf_counter())
            await pilot.press("minus" if i % 2 else "plus")
            await pilot.pause()
        return (time.process_time() - t) / presses


def bench_score_press() -> list[Row]:
    """Each press waits until its save has landed and the screen is idle again, so the CPU counted
    (the process's, both threads) is all a press costs; the floor is a bare DataTable changing a cell."""
    import asyncio

    from sqlalchemy import event

    from ethicsdesk.service import Service
    from ethicsdesk.settings import User
    from ethicsdesk.tui.app import Start, build_app

    path = Path(tempfile.mkdtemp()) / "p.db"
    user = User("Bench Marker", "case manager")
    service = Service.open(f"sqlite:///{path}", user)
    rid = service.importing.import_files([REPO / "dilemmas" / "discharge-against-advice.toml"])[0]
    service.editing.save_cursor(rid, "weigh", "matrix")
    presses = 20 if QUICK else 60
    sent: list[str] = []
    event.listen(service.db.engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
    counts = {"frames": 0, "layouts": 0}
    pressed: dict[str, list[float]] = {"ours": [], "bare": []}  # when each key was sent
    drawn: dict[str, list[float]] = {"ours": [], "bare": []}  # when each frame was on the screen

    async def ours() -> float:
        app = build_app(lambda: service, user, Start(record_id=rid))
        async with app.run_test(size=(80, 40)) as pilot:
            await pilot.pause(0.5)
            walk = app.screen
            await walk.settled()  # type: ignore[attr-defined]
            await pilot.pause(0.2)
            _counting(walk, counts, drawn["ours"])
            sent.clear()
            t = time.process_time()
            for i in range(presses):
                pressed["ours"].append(time.perf_counter())
                await pilot.press("minus" if i % 2 else "plus")
                await walk.settled()  # type: ignore[attr-defined]
                await pilot.pause()
            return (time.process_time() - t) / presses

    b = asyncio.run(_bare_table_presses(presses, pressed["bare"], drawn["bare"]))
    a = asyncio.run(ours())
    service.close()
    per = {k: v / presses for k, v in counts.items()}
    shown, shown_bare = (_until_drawn(pressed[k], drawn[k]) for k in ("ours", "bare"))
    writes = [x for x in sent if x.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    return [
        (
            "a score press in the matrix: CPU per press (Pilot, 80x40, save landed)",
            ms(a),
            f"bare DataTable {ms(b)}",
            f"{a / b:.2f}×",
            verdict(a / b, 2),
        ),
        (
            "a score press until the totals are repainted (Pilot, 80x40): median",
            ms(shown),
            f"bare DataTable's cell {ms(shown_bare)}",
            f"{shown / shown_bare:.2f}×",
            verdict(shown / shown_bare, 2),
        ),
        (
            "a score press: frames and layouts per press",
            f"{per['frames']:.1f} frames, {per['layouts']:.1f} layouts",
            "—",
            "—",
            f"1 frame, 0 layouts: {'met' if per['frames'] <= 1 and per['layouts'] == 0 else 'MISSED'}",
        ),
        (
            "a score press: SQL statements per press (writes)",
            f"{len(sent) / presses:.1f} ({len(writes) / presses:.1f})",
            "—",
            "—",
            "one upsert of the cell",
        ),
    ]


# --- the walk: opening a record, and moving between its steps ----------------------------------------
BARE_FORM = """
from textual.app import App
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, Input, Label, ListItem, ListView, Static, TextArea
class Bare(App):
    def compose(self):
        yield Header()
        with Horizontal():
            yield ListView(*[ListItem(Static(f"{n} step")) for n in range(1, 8)])
            with Vertical():
                yield Static("", id="head")
                with VerticalScroll():
                    for n in range(6):
                        yield Label(f"Field {n}")
                        yield TextArea() if n % 2 else Input()
        yield Footer()
    def on_mount(self):
        self.query_one("#head", Static).update("Step 1 of 7 - bare")
Bare().run()
"""


def bench_open_walk() -> list[Row]:
    """`ethicsdesk open ID` in tmux until its step is drawn, against a bare Textual app drawing a
    form of the same size (the step list, a heading and six fields), each a fresh process."""
    if subprocess.run(["which", "tmux"], capture_output=True).returncode != 0:
        return [("`open ID` (tmux)", "—", "—", "—", "tmux missing: not measured")]
    home = Path(tempfile.mkdtemp())
    db = home / "ethicsdesk.db"
    make_database(db, 100)
    (home / "config.toml").write_text('[user]\nname = "Bench Marker"\nrole = "case manager"\n')
    env = env_with(home, db)
    listed = subprocess.run([ETHICSDESK, "list", "--json"], env=env, capture_output=True, text=True, check=True)
    rid = json.loads(listed.stdout)[0]["id"]
    bare = Path(tempfile.mkdtemp()) / "bare_form.py"
    bare.write_text(BARE_FORM)
    ours_t, bare_t = [], []
    for _ in range(3 if QUICK else 7):
        ours_t.append(tmux_first_screen(f"{ETHICSDESK} open {rid}", "of 7 ·", env)[0])
        bare_t.append(tmux_first_screen(f"{sys.executable} {bare}", "Step 1 of 7", {})[0])
    a, b = statistics.median(ours_t), statistics.median(bare_t)
    return [
        (
            "`open ID` until its step is drawn (tmux, 80x24)",
            ms(a),
            f"bare Textual form {ms(b)}",
            f"{a / b:.2f}×",
            verdict(a / b, 1.5),
        )
    ]


def bench_typing_burst() -> list[Row]:
    """150 characters sent to the walk's facts box in one burst (tmux, 80x24), both cores kept busy
    by two other processes: seconds from the burst until its last word is on the screen, and until
    the database holds the whole burst. An absolute goal (1 s): no floor."""
    import sqlite3

    if subprocess.run(["which", "tmux"], capture_output=True).returncode != 0:
        return [("a typing burst (tmux)", "—", "—", "—", "tmux missing: not measured")]
    from ethicsdesk.service import Service
    from ethicsdesk.settings import User

    home = Path(tempfile.mkdtemp())
    db = home / "ethicsdesk.db"
    (home / "config.toml").write_text('[user]\nname = "Bench Marker"\nrole = "case manager"\n')
    service = Service.open(f"sqlite:///{db}", User("Bench Marker", "case manager"))
    rid = service.importing.import_files([REPO / "dilemmas" / "discharge-against-advice.toml"])[0]
    service.editing.save_cursor(rid, "situation", "f-text-facts")
    service.close()
    burst = " ".join(f"tq{n:03d}" for n in range(25)) + " tqend"  # 150 characters
    name = f"burst{os.getpid()}"
    tmux = ("tmux", "-L", f"ethicsdesk-{name}")
    env = env_with(home, db)
    prefix = " ".join(f"{k}={v}" for k, v in env.items() if k.startswith("ETHICSDESK"))
    subprocess.run(
        [*tmux, "new-session", "-d", "-s", name, "-x", "80", "-y", "24", f"{prefix} {ETHICSDESK} open {rid}"]
    )
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        end = time.perf_counter() + 60
        while "of 7 ·" not in subprocess.run([*tmux, "capture-pane", "-p"], capture_output=True, text=True).stdout:
            if time.perf_counter() > end:
                raise RuntimeError("the walk never showed")
            time.sleep(0.05)
        time.sleep(1)
        t = time.perf_counter()
        subprocess.run([*tmux, "send-keys", "-t", name, "-l", burst], check=True)
        shown = saved = 0.0
        while not (shown and saved) and time.perf_counter() - t < 30:
            now = time.perf_counter() - t
            if (
                not shown
                and "tqend" in subprocess.run([*tmux, "capture-pane", "-p"], capture_output=True, text=True).stdout
            ):
                shown = now
            if not saved:
                with contextlib.closing(sqlite3.connect(db, timeout=5)) as conn:
                    row = conn.execute(
                        "SELECT value FROM record_texts WHERE record_id = ? AND name = 'facts'", [rid]
                    ).fetchone()
                if row and burst in row[0]:
                    saved = now
            time.sleep(0.02)
    finally:
        for hog in hogs:
            hog.kill()
        pane = subprocess.run([*tmux, "list-panes", "-t", name, "-F", "#{pane_pid}"], capture_output=True, text=True)
        for pid in pane.stdout.split():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(pid), signal.SIGKILL)
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    ok = "met" if 0 < shown <= 1 and 0 < saved <= 1 else "MISSED"
    return [
        (
            "150 characters typed in one burst, both cores busy (tmux, 80x24): on screen / saved",
            f"{shown:.2f} s / {saved:.2f} s" if shown and saved else "not all within 30 s",
            "—",
            "—",
            f"both ≤ 1 s after the burst (one run): {ok}",
        )
    ]


def bench_step_change() -> list[Row]:
    """ctrl+b and ctrl+n through a whole record's steps (Pilot, 80x24), each press until the screen
    is idle, against a bare ContentSwitcher of seven panes of fields switched by a key: p90s."""
    import asyncio

    from textual.app import App
    from textual.containers import VerticalScroll
    from textual.widgets import ContentSwitcher, Input, Label

    from ethicsdesk.service import Service
    from ethicsdesk.settings import User
    from ethicsdesk.tui.app import Start, build_app

    path = Path(tempfile.mkdtemp()) / "s.db"
    user = User("Bench Marker", "case manager")
    service = Service.open(f"sqlite:///{path}", user)
    rid = service.importing.import_files([REPO / "dilemmas" / "discharge-against-advice.toml"])[0]
    service.editing.save_cursor(rid, "outcome", "")
    rounds = 2 if QUICK else 5

    def p90(times: list[float]) -> float:
        return statistics.quantiles(times, n=10)[-1]

    async def ours() -> list[float]:
        times = []
        app = build_app(lambda: service, user, Start(record_id=rid))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.5)
            for _ in range(rounds):
                for key in ["ctrl+b"] * 6 + ["ctrl+n"] * 6:
                    t = time.perf_counter()
                    await pilot.press(key)
                    await app.screen.settled()  # type: ignore[attr-defined]
                    times.append(time.perf_counter() - t)
        return times

    class Bare(App[None]):
        BINDINGS = [("ctrl+b", "move(-1)"), ("ctrl+n", "move(1)")]

        def compose(self):  # type: ignore[no-untyped-def]
            with ContentSwitcher(initial="p6"):
                for n in range(7):
                    with VerticalScroll(id=f"p{n}"):
                        for f in range(12):
                            yield Label(f"Field {f}")
                            yield Input()

        def action_move(self, d: int) -> None:
            switcher = self.query_one(ContentSwitcher)
            now = int((switcher.current or "p0")[1:])
            switcher.current = f"p{max(0, min(6, now + d))}"

    async def bare() -> list[float]:
        times = []
        async with Bare().run_test(size=(80, 24)) as pilot:
            await pilot.pause(0.5)
            for _ in range(rounds):
                for key in ["ctrl+b"] * 6 + ["ctrl+n"] * 6:
                    t = time.perf_counter()
                    await pilot.press(key)
                    times.append(time.perf_counter() - t)
        return times

    b, a = asyncio.run(bare()), asyncio.run(ours())
    service.close()
    return [
        (
            "a step change, ctrl+b / ctrl+n (Pilot, 80x24): p90",
            ms(p90(a)),
            f"bare ContentSwitcher {ms(p90(b))}",
            f"{p90(a) / p90(b):.2f}×",
            verdict(p90(a) / p90(b), 2),
        )
    ]
