"""Counting the SQL statements a piece of work sends: a count does not vary with load, a time does."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Engine


@contextmanager
def counted_statements(engine: Engine) -> Iterator[list[str]]:
    """The statements `engine` sends inside the block, in order: their SQL text on one line (each run of
    spaces and line breaks made one space), so that a test can compare it with a string. An
    executemany is one statement."""
    sent: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        sent.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)
