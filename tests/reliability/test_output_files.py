"""Every option that names a file a command writes, found by walking the Typer app, attacked with
what it must never replace.

`debrief --out` and `cohort --out` replaced any file without --force, the live database included;
`keys show --out DB --force` replaced the database with a key file; `checkpoint --out /dev/null
--force`, as root, replaced the device with a regular file. Now every such option goes through one
helper (service/output_files.py over store/durable_files.py), and this test finds every such option
itself: a new command with a path to write is attacked the day it is added (and fails here until
ARGUMENTS says how to call it).

Each attack must be refused with one sentence and exit 2, leaving the target as it was: the live
database and its -wal/-shm/-journal, a character device made with mknod in a temporary folder (the
major and minor of /dev/null, never the real one; as root only), a symlink to that device, a FIFO, a
socket and a folder, each with --force where the command has it; and an existing file without
--force. Then the same option writes a new file, and with --force replaces a regular file.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import stat
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from ethicsdesk.cli.context import app
from ethicsdesk.service import Service
from ethicsdesk.settings import User
from tests.cli.conftest import run_main
from tests.conftest import DILEMMAS

SAMPLE = "discharge-against-advice"

# Parameters of a path type that name a file the command reads, not one it writes.
READS = {
    ("import", "files"),
    ("samples validate", "files"),
    ("verify", "checkpoint"),
    ("export", "templates"),
}
# How to call each command that writes a file, before its path: {case} is a case record's id,
# {attempt} a training attempt's, {sample} the sample's.
ARGUMENTS = {
    "export": ["{case}", "--format", "md"],
    "debrief": ["{attempt}"],
    "cohort": ["{sample}"],
    "checkpoint": [],
    "keys show": [],
    "keys new": [],
    "db backup": [],
    "samples new": [],
    "insight": ["--format", "html"],
}
# Commands that succeed once only: `keys new` makes the key, and a second one is refused because the key
# exists (its --force replacing a regular file is the same path as `keys show`'s, attacked there).
SUCCEEDS_ONCE = {"keys new"}
# What a command needs done first: `keys show` shows a key and never makes one.
PREPARE = {"keys show": ["keys", "new"]}


def _names_a_path(param: Any) -> bool:
    annotation = param.type_descriptor.annotation
    return annotation is Path or Path in typing.get_args(annotation)


def _commands(command: Any, words: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    children = getattr(command, "commands", None)
    if children:
        for name, child in sorted(children.items()):
            yield from _commands(child, (*words, name))
    else:
        yield " ".join(words), command


def output_parameters() -> list[tuple[str, str, str | None, bool]]:
    """(command, parameter, its option or None for an argument, whether the command has --force)
    for every parameter of the app that names a path and is not a file it reads."""
    found = []
    for name, command in _commands(typer.main.get_command(app)):
        options = {o for p in command.params for o in p.opts}
        for p in command.params:
            if _names_a_path(p) and (name, p.name) not in READS:
                option = p.opts[0] if p.opts[0].startswith("-") else None
                found.append((name, p.name, option, "--force" in options))
    return found


OUTPUTS = output_parameters()
OUTPUT_IDS = [f"{c} {p}" for c, p, *_ in OUTPUTS]


def test_the_walk_finds_every_option_known_to_write_a_file() -> None:
    assert {(c, p) for c, p, _, _ in OUTPUTS} >= {
        ("export", "out"),
        ("debrief", "out"),
        ("cohort", "out"),
        ("keys show", "out"),
        ("checkpoint", "out"),
        ("db backup", "path"),
        ("samples new", "path"),
    }


# --- the attacks -----------------------------------------------------------------------------------
def _device(folder: Path) -> Path:
    _device_at(folder / "null-device")  # /dev/null's numbers, in a temporary folder
    return folder / "null-device"


def _fifo(folder: Path) -> Path:
    os.mkfifo(folder / "pipe")
    return folder / "pipe"


def _socket(folder: Path) -> Path:
    listener = socket.socket(socket.AF_UNIX)
    previous = os.getcwd()
    os.chdir(folder)  # a relative name: a socket's path is limited to about 100 characters
    try:
        listener.bind("sock")
    finally:
        os.chdir(previous)
    listener.close()  # the socket file stays
    return folder / "sock"


def _folder(folder: Path) -> Path:
    (folder / "a-folder").mkdir()
    return folder / "a-folder"


def _link_to_device(folder: Path) -> Path:
    device = _device(folder)
    (folder / "latest").symlink_to(device)
    return folder / "latest"


SPECIAL: dict[str, Callable[[Path], Path]] = {
    "device": _device,
    "symlink to a device": _link_to_device,
    "FIFO": _fifo,
    "socket": _socket,
}


def _fingerprint(path: Path) -> tuple[int, int, int] | None:
    """What must not change: the inode and type of what is there (None: nothing)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    return st.st_ino, stat.S_IFMT(st.st_mode), st.st_rdev


@contextlib.contextmanager
def _bounded(seconds: int) -> Iterator[None]:
    """A write that opened a FIFO would block for ever: fail instead."""

    def expired(*_: object) -> None:
        raise TimeoutError(f"the command blocked for {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    db = tmp_path / "live.db"
    monkeypatch.setenv("ETHICSDESK_DB", f"sqlite:///{db}")
    service = Service.open(f"sqlite:///{db}", User("Ada Trainee", "case manager"))
    try:
        case = service.importing.import_files([DILEMMAS / "gift-from-family.toml"])[0]
        attempt = service.training.start_training(SAMPLE)
        service.editing.decide(attempt, "chosen", "support-return-home")
    finally:
        service.close()
    return {"db": db, "case": case, "attempt": attempt, "sample": SAMPLE}


@pytest.mark.parametrize(("command", "parameter", "option", "has_force"), OUTPUTS, ids=OUTPUT_IDS)
def test_every_output_refuses_what_it_must_never_replace(
    command: str,
    parameter: str,
    option: str | None,
    has_force: bool,
    database: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if command not in ARGUMENTS:
        pytest.fail(f"'{command}' writes a file ({parameter}): say in ARGUMENTS how to call it, so it is attacked too")
    monkeypatch.chdir(tmp_path)
    before = [word.format(**database) for word in ARGUMENTS[command]]
    force = ["--force"] if has_force else []
    if command in PREPARE:
        assert run_main(monkeypatch, capsys, *PREPARE[command])[0] == 0

    def run(target: Path, *extra: str) -> tuple[int, str, str]:
        named = [option, str(target)] if option else [str(target)]
        with _bounded(30):
            return run_main(monkeypatch, capsys, *command.split(), *before, *named, *extra)

    def refused(target: Path, what: str, *extra: str) -> None:
        kept = _fingerprint(target)
        code, out, err = run(target, *extra)
        lines = err.strip().splitlines()
        assert code == 2, f"{command} {option or ''} over {what}: exit {code}\n{out}{err}"
        assert len(lines) == 1 and lines[0].startswith("ethicsdesk: "), f"{what}: {err}"
        assert "Traceback" not in err and "unexpected error" not in err, err
        assert lines[0].endswith(".") and not lines[0].endswith(".."), lines[0]
        assert _fingerprint(target) == kept, f"{what} was changed by {command}"

    db = database["db"]
    for suffix in ("", "-wal", "-shm", "-journal"):
        refused(db.with_name(db.name + suffix), f"the database{suffix}", *force)
    assert run_main(monkeypatch, capsys, "verify")[0] == 0  # the database still opens and holds

    for what, make in SPECIAL.items():
        folder = tmp_path / what.replace(" ", "-")
        folder.mkdir()
        target = make(folder)
        refused(target, what, *force)
        if what == "device":
            assert stat.S_ISCHR(os.lstat(target).st_mode)

    # A folder is never replaced; an --out that takes a folder writes its default name inside it
    # (attacked in the next test), any other refuses it.
    folder = _folder(tmp_path)
    kept = _fingerprint(folder)
    code, _, err = run(folder, *force)
    assert _fingerprint(folder) == kept
    assert code == 2 or [p.is_file() for p in folder.iterdir()] == [True], err

    existing = tmp_path / "existing.txt"
    existing.write_text("someone's notes")
    refused(existing, "an existing file")
    assert existing.read_text() == "someone's notes"

    fresh = tmp_path / "fresh.out"
    assert run(fresh)[0] == 0 and fresh.is_file()  # the option still writes a new file
    if has_force and command not in SUCCEEDS_ONCE:
        assert run(existing, "--force")[0] == 0 and existing.read_text() != "someone's notes"


@pytest.mark.parametrize(("command", "parameter", "option", "has_force"), OUTPUTS, ids=OUTPUT_IDS)
def test_a_folder_given_as_the_target_is_refused_where_its_file_would_be_special(
    command: str,
    parameter: str,
    option: str,
    has_force: bool,
    database: dict[str, Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--out FOLDER` puts the default name in the folder: a FIFO, a device or a folder at that name
    is refused too, and the database's own folder does not let the database be reached."""
    if command not in ARGUMENTS:
        pytest.fail(f"'{command}' writes a file ({parameter}): say in ARGUMENTS how to call it, so it is attacked too")
    monkeypatch.chdir(tmp_path)
    words = [*command.split(), *(word.format(**database) for word in ARGUMENTS[command])]
    named = [option] if option else []
    force = ["--force"] if has_force else []
    probe = tmp_path / "probe"
    probe.mkdir()
    if run_main(monkeypatch, capsys, *words, *named, probe)[0] != 0:
        assert list(probe.iterdir()) == []
        return  # this one takes no folder: the previous test refused one
    (name,) = [p.name for p in probe.iterdir()]
    for what, make in (("FIFO", os.mkfifo), ("folder", os.mkdir), ("device", _device_at)):
        folder = tmp_path / what
        folder.mkdir()
        make(folder / name)
        kept = _fingerprint(folder / name)
        with _bounded(30):
            code, _, err = run_main(monkeypatch, capsys, *words, *named, folder, *force)
        assert code == 2 and "not a regular file" in err, err
        assert _fingerprint(folder / name) == kept


def _device_at(path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("a device node can be made only as root")
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
