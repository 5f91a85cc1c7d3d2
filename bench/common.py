"""What every benchmark of bench/ shares: the paths, the timing helpers, the environment of a
child process and a database of many records."""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
BIN = Path(sys.executable).parent
ETHICSDESK = str(BIN / "ethicsdesk")
QUICK = os.environ.get("ETHICSDESK_BENCH_QUICK") == "1"  # smaller sizes, for trying the script

Row = tuple[str, str, str, str, str]  # what, ours, floor, ratio, goal/verdict


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def interleaved(
    a: Callable[[], object], b: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter
) -> tuple[float, float]:
    """Medians of `a` and `b` run alternately, so both see the same machine load; `clock` may be
    `time.process_time` where both run in this process and CPU time is what is compared."""
    ta, tb = [], []
    for _ in range(runs):
        for fn, out in ((a, ta), (b, tb)):
            t = clock()
            fn()
            out.append(clock() - t)
    return statistics.median(ta), statistics.median(tb)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def verdict(ratio: float, goal: float) -> str:
    return f"≤ {goal}×: {'met' if ratio <= goal else 'MISSED'}"


def env_with(home: Path, db: Path | None = None) -> dict[str, str]:
    # PYTHONDONTWRITEBYTECODE is not a switch: any value, "0" too, stops Python writing bytecode.
    # Removed, the runs measure starts that read the bytecode `make` compiled, as a user's do.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["ETHICSDESK_HOME"] = str(home)
    if db is not None:
        env["ETHICSDESK_DB"] = f"sqlite:///{db}"
    return env


# --- databases of many records, written through the service's bulk import ------------------------
def make_database(path: Path, count: int) -> float:
    """`count` records imported in batches; returns files per second of the import."""
    from ethicsdesk.knowledge.dilemma_files import read_dilemma, sample_paths
    from ethicsdesk.service import Service
    from ethicsdesk.settings import User

    samples = [read_dilemma(p) for p in sample_paths()]
    service = Service.open(f"sqlite:///{path}", User("Bench Marker", "case manager"))
    t = time.perf_counter()
    done = 0
    while done < count:
        batch = [samples[(done + i) % len(samples)] for i in range(min(5000, count - done))]
        service.importing.import_dilemmas(batch)
        done += len(batch)
    elapsed = time.perf_counter() - t
    service.close()
    return count / elapsed


class TmuxPane:
    """A command run at 80x24 in a tmux server of its own, sent keys and watched through its screen."""

    def __init__(self, command: str, env: dict[str, str]) -> None:
        self.name = f"bench{os.getpid()}{time.perf_counter_ns() % 100000}"
        # A tmux server per command: killing a server's last session stops it, and a new session
        # started on that socket meanwhile fails ("server exited unexpectedly").
        self.tmux = ("tmux", "-L", f"ethicsdesk-{self.name}")
        # tmux (3.3) leaves a killed server's socket behind
        self.socket = Path(os.environ.get("TMUX_TMPDIR", "/tmp"), f"tmux-{os.getuid()}", f"ethicsdesk-{self.name}")
        env_prefix = " ".join(f"{k}={v}" for k, v in env.items() if k.startswith("ETHICSDESK"))
        subprocess.run(
            [*self.tmux, "new-session", "-d", "-s", self.name, "-x", "80", "-y", "24", f"{env_prefix} {command}"],
            check=True,
        )
        self.command = command

    def __enter__(self) -> TmuxPane:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def screen(self) -> str:
        return subprocess.run(
            [*self.tmux, "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        ).stdout

    def send(self, key: str) -> None:
        subprocess.run([*self.tmux, "send-keys", "-t", self.name, key], check=True)

    def wait_for(self, marker: str, gone: str | None = None, timeout: float = 30) -> None:
        """Until `marker` is on the screen (and `gone` is not), looking every 5 ms."""
        end = time.perf_counter() + timeout
        while True:
            screen = self.screen()
            if marker in screen and (gone is None or gone not in screen):
                return
            if time.perf_counter() > end:
                raise RuntimeError(f"{self.command!r} never showed {marker!r}; its screen:\n{screen}")
            time.sleep(0.005)

    def pids(self) -> list[int]:
        panes = subprocess.run([*self.tmux, "list-panes", "-t", self.name, "-F", "#{pane_pid}"], capture_output=True)
        return [int(pid) for pid in panes.stdout.split()]

    def close(self) -> None:
        # a walk outlives its terminal's hang-up while it saves and quits: end it, it holds nothing
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        subprocess.run([*self.tmux, "kill-server"], capture_output=True)
        self.socket.unlink(missing_ok=True)


def tmux_first_screen(command: str, marker: str, env: dict[str, str]) -> tuple[float, int]:
    """Seconds until `marker` is on the tmux screen, and the process's RSS (KiB) at that moment."""
    t = time.perf_counter()
    with TmuxPane(command, env) as pane:
        pane.wait_for(marker)
        elapsed = time.perf_counter() - t
        rss = 0
        for pid in pane.pids():
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
        return elapsed, rss
