"""The installed `ethicsdesk` console script as a real subprocess: an import and a verify end to end on a
private file, and errors in one sentence with the contract's exit codes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from tests.cli.conftest import GIFT

ETHICSDESK = Path(sys.executable).parent / "ethicsdesk"


def _exe(*args: str | Path, db: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ETHICSDESK_DB": f"sqlite:///{db}"}
    return subprocess.run([ETHICSDESK, *map(str, args)], capture_output=True, text=True, env=env, timeout=60)


def test_the_console_script_end_to_end(tmp_path: Path) -> None:
    db = tmp_path / "real.db"
    imported = _exe("import", "--json", GIFT, db=db)
    assert imported.returncode == 0, imported.stderr
    rid = json.loads(imported.stdout)["id"]
    verified = _exe("verify", rid[:6], db=db)
    assert (verified.returncode, verified.stderr) == (0, "")
    assert verified.stdout == "Verified 1 record(s): every chain holds and every record matches its events.\n"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_the_console_script_reports_errors_in_one_sentence(tmp_path: Path) -> None:
    db = tmp_path / "real.db"
    bad = tmp_path / "single.toml"
    bad.write_text(GIFT.read_text().split("[[options]]")[0] + '[[options]]\nkey = "only"\nlabel = "Only"\n')
    refused = _exe("import", bad, db=db)
    assert refused.returncode == 2
    assert refused.stdout == ""
    assert refused.stderr.startswith(f"ethicsdesk: {bad}, line ")
    assert refused.stderr.endswith("options: a dilemma needs at least two options.\n")
    assert not db.exists()
    no_file = _exe("show", "nope", db=db)  # a read makes no database: it says there is none
    assert (no_file.returncode, no_file.stderr) == (
        2,
        f"ethicsdesk: The database file {db} does not exist; nothing was created (check the path).\n",
    )
    assert not db.exists()
    assert _exe("import", GIFT, db=db).returncode == 0
    missing = _exe("show", "nope", db=db)
    assert (missing.returncode, missing.stderr) == (
        1,
        "ethicsdesk: There is no record 'nope' (see 'ethicsdesk list').\n",
    )
