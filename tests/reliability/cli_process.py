"""`ethicsdesk ARGS…` as a real process, bounded by a timeout, for the attacks on the command line: a hang is
a failure of its own (subprocess.TimeoutExpired), not a stuck suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ETHICSDESK = Path(sys.executable).parent / "ethicsdesk"


def ethicsdesk(*args: str | Path, db: str, timeout: float = 30, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "ETHICSDESK_DB": db, "ETHICSDESK_DEBUG": "", **env}
    return subprocess.run(
        [str(ETHICSDESK), *map(str, args)], capture_output=True, text=True, env=environment, timeout=timeout
    )


def one_sentence(stderr: str) -> str:
    """The single line an error prints, without its 'ethicsdesk: ' prefix; fails on a traceback."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr[:2000]
    assert "Traceback" not in stderr and "unexpected error" not in stderr, stderr[:2000]
    assert lines[0].startswith("ethicsdesk: "), lines[0][:300]
    return lines[0].removeprefix("ethicsdesk: ")
