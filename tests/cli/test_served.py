"""The served TUI's log: every line, a traceback's included, has the launch's
secret blotted out; the real server's output is checked in tests/reliability/test_serve_guard.py."""

from __future__ import annotations

import logging
import sys

import pytest

pytest.importorskip("textual_serve", reason="the 'serve' extra (textual-serve) is not installed")

from ethicsdesk.cli.served import SecretBlotted  # after the extra is known to be there

SECRET = "k3Y-of-this-launch_0123456789"


def test_a_log_line_and_its_traceback_lose_the_secret() -> None:
    try:
        raise ValueError(f"no upgrade for /ws/{SECRET}")
    except ValueError:
        record = logging.LogRecord(
            "aiohttp.access", logging.INFO, __file__, 1, '"GET /ws/%s HTTP/1.1" 400', (SECRET,), sys.exc_info()
        )
    line = SecretBlotted(SECRET).format(record)
    assert SECRET not in line
    assert line.count("<secret>") == 2 and "Traceback" in line
