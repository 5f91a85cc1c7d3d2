"""A record read while another person saves it: the tables and the log are read in one snapshot, so
the check of one against the other never takes a save made meanwhile for tampering.

On PostgreSQL a read transaction at the server's default level sees each statement's own snapshot:
the record's tables read before the save and its log read after it differed, and an export, a `show`
or a supervisor's review was refused with "changed outside ethicsdesk" while someone at another desk
simply typed. The save is made from another connection between the two reads, where a second person's
save can fall."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from ethicsdesk.service import Service
from ethicsdesk.settings import User
from ethicsdesk.store import eventlog

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"
DANA = User("Dana Whitlock", "supervisor")


def _save_between_reads(monkeypatch: pytest.MonkeyPatch, save: Callable[[], object]) -> list[int]:
    """Make `save` once, just before the log's head is read (the tables have been read by then);
    the list it returns holds one item once it has been made."""
    real = eventlog.head_and_count
    made: list[int] = []

    def head_and_count(rows: Any, record_id: str) -> Any:
        if not made:
            save()
            made.append(1)
        return real(rows, record_id)

    monkeypatch.setattr(eventlog, "head_and_count", head_and_count)
    return made


@pytest.mark.parametrize("times", [1, 2])
def test_a_read_while_another_person_saves_shows_the_record_before_the_save(
    service: Service, other_service: Callable[[User], Service], monkeypatch: pytest.MonkeyPatch, times: int
) -> None:
    rid = service.importing.import_files([DILEMMAS / "gift-from-family.toml"])[0]
    dana = other_service(DANA)
    for n in range(times):  # the second read, after a second save, as well as the first
        before = service.record(rid)
        typed = f"Saved at another desk, time {n + 1}."
        made = _save_between_reads(monkeypatch, partial(dana.editing.set_text, rid, "facts", typed))
        assert service.record(rid).text == before.text  # not refused, and as it was when read
        assert made == [1]
        monkeypatch.undo()
        assert service.record(rid).text["facts"] == typed  # the next read has the save
