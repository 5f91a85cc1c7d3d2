"""The autosave's pauses: a field typed key by key is saved after the quiet pause, a burst of keys
handled back to back as soon as it ends; either way one save per pause, never one per key."""

from __future__ import annotations

from typing import Any, cast

from textual.widget import Widget

from ethicsdesk.tui import autosave
from ethicsdesk.tui.autosave import Autosave


class FakeTimer:
    def __init__(self, delay: float, callback: Any) -> None:
        self.delay, self.callback, self.stopped = delay, callback, False

    def stop(self) -> None:
        self.stopped = True


class Owner:
    """Stands in for the walk screen: records each timer the autosave sets."""

    def __init__(self) -> None:
        self.timers: list[FakeTimer] = []

    def set_timer(self, delay: float, callback: Any) -> FakeTimer:
        self.timers.append(FakeTimer(delay, callback))
        return self.timers[-1]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make() -> tuple[Autosave, Owner, Clock, list[tuple[str, str]]]:
    owner, clock, saved = Owner(), Clock(), []

    def save(key: str, value: str) -> bool:
        saved.append((key, value))
        return True

    return Autosave(cast(Widget, owner), save, clock), owner, clock, saved


def test_keys_typed_one_by_one_are_saved_after_the_quiet_pause() -> None:
    saver, owner, clock, saved = make()
    for n, text in enumerate(["M", "Mo", "Mor", "More"]):
        clock.now += 0.12  # a quick typist's keys
        saver.schedule("facts", text)
        assert owner.timers[-1].delay == autosave.DELAY, n
    assert all(t.stopped for t in owner.timers[:-1]) and not owner.timers[-1].stopped
    owner.timers[-1].callback()
    assert saved == [("facts", "More")]


def test_a_burst_is_saved_as_soon_as_it_ends_in_one_save() -> None:
    saver, owner, clock, saved = make()
    clock.now += 5
    saver.schedule("facts", "t")  # the burst's first key: nothing before it says it is a burst
    for n in range(2, 151):
        clock.now += 0.006  # queued keys, handled back to back
        saver.schedule("facts", "t" * n)
    assert owner.timers[0].delay == autosave.DELAY
    assert {t.delay for t in owner.timers[1:]} == {autosave.BURST_END} and autosave.BURST_END < autosave.DELAY
    assert sum(not t.stopped for t in owner.timers) == 1  # only the last timer is left to fire
    owner.timers[-1].callback()
    assert saved == [("facts", "t" * 150)]
    assert not saver.pending


def test_typing_after_a_burst_waits_for_the_quiet_pause_again() -> None:
    saver, owner, clock, _ = make()
    saver.schedule("facts", "a")
    clock.now += 0.005
    saver.schedule("facts", "ab")
    clock.now += 0.3
    saver.schedule("facts", "abc")
    assert [t.delay for t in owner.timers] == [autosave.DELAY, autosave.BURST_END, autosave.DELAY]
