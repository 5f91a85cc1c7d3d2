"""Four processes editing at once, on one record and on four: no edit lost, no lock error, every
chain verifies — on SQLite (BEGIN IMMEDIATE) and on PostgreSQL (a per-record advisory lock)."""

from __future__ import annotations

import multiprocessing as mp
import os

import pytest

from ethicsdesk.service import Service
from ethicsdesk.settings import User
from tests.conftest import CASE_MANAGER

PROCESSES = 4
EDITS = int(os.environ.get("ETHICSDESK_CONCURRENCY_EDITS", "200"))


def _edit(url: str, record_id: str, worker: int, edits: int, errors: mp.Queue[str]) -> None:
    service = Service.open(url, User(f"worker {worker}", "case manager"))
    try:
        for i in range(edits):
            try:
                # Each value is new, so no edit is skipped as a no-op and each must add one event.
                service.editing.set_text(record_id, "facts", f"worker {worker} edit {i}")
            except Exception as exc:  # a lost edit is what this test looks for
                errors.put(f"{type(exc).__name__}: {exc}")
    finally:
        service.close()


def _run(url: str, record_ids: list[str]) -> list[str]:
    ctx = mp.get_context("spawn")  # a fresh interpreter each, as separate users' processes are
    errors = ctx.Queue()
    procs = [
        ctx.Process(target=_edit, args=(url, record_ids[w % len(record_ids)], w, EDITS, errors))
        for w in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
        assert p.exitcode == 0
    found = []
    while not errors.empty():
        found.append(errors.get())
    return found


@pytest.mark.slow
@pytest.mark.parametrize("records", [1, PROCESSES], ids=["same-record", "own-records"])
def test_parallel_edits_lose_nothing(any_url: str, records: int) -> None:
    service = Service.open(any_url, CASE_MANAGER)
    ids = [service.editing.create_record(f"Shared record {n}") for n in range(records)]
    service.close()

    errors = _run(any_url, ids)

    assert errors == []
    service = Service.open(any_url, CASE_MANAGER)
    try:
        total = sum(service.summary(rid).events for rid in ids)
        assert total == records + PROCESSES * EDITS  # one creation each, then every edit
        checked, problems = service.integrity.verify()
        assert (checked, problems) == (records, [])
    finally:
        service.close()
