"""`ethicsdesk db upgrade` and `db backup`: an upgrade says where the schema is, and backs an older
database up first; a backup is a private, consistent copy that never overwrites a file."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from ethicsdesk.store.schema import HEAD, REVISIONS
from tests.cli.conftest import Run, invoke, one_sentence


def test_db_upgrade_of_a_new_and_of_an_up_to_date_database(db_path: Path) -> None:
    first = invoke("db", "upgrade")
    assert first.exit_code == 0
    assert first.stdout == f"sqlite:///{db_path} is now at schema {HEAD}.\n"
    again = invoke("db", "upgrade")
    assert again.exit_code == 0
    assert again.stdout == f"sqlite:///{db_path} is already at schema {HEAD}.\n"
    assert not list(db_path.parent.glob("*.bak.db"))


def test_db_upgrade_backs_up_an_older_database_first(two: list[str], db_path: Path, run: Run) -> None:
    if len(REVISIONS) < 2:
        pytest.skip("only one schema revision exists, so no database can be older")
    from alembic import command
    from alembic.config import Config

    from ethicsdesk.store.engine import open_database
    from ethicsdesk.store.schema import MIGRATIONS_DIR

    older = REVISIONS[-2]
    db = open_database(f"sqlite:///{db_path}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, older)
    db.dispose()
    code, out, err = run("db", "upgrade")
    assert (code, err) == (0, "")
    backups = list(db_path.parent.glob(f"cli.{older}.*.bak.db"))
    assert len(backups) == 1
    assert out.splitlines() == [
        f"Backed up schema {older} to {backups[0]}.",
        f"sqlite:///{db_path} is now at schema {HEAD}.",
    ]
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    raw = sqlite3.connect(backups[0])
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (older,)  # taken before
    assert {r[0] for r in raw.execute("SELECT id FROM records")} == set(two)
    raw.close()
    assert run("verify") == (0, "Verified 2 record(s): every chain holds and every record matches its events.\n", "")


def test_db_backup_is_a_private_consistent_copy_and_never_overwrites(two: list[str], tmp_path: Path, run: Run) -> None:
    target = tmp_path / "copy.db"
    code, out, _ = run("db", "backup", target)
    assert code == 0
    assert out == f"Backed up to {target} (readable only by you).\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    code, out, _ = run("verify", "--db", f"sqlite:///{target}")
    assert (code, out) == (0, "Verified 2 record(s): every chain holds and every record matches its events.\n")
    before = target.read_bytes()
    code, out, err = run("db", "backup", target)
    assert code == 2
    assert one_sentence(err) == f"ethicsdesk: {target} already exists; choose a new file for the backup."
    assert target.read_bytes() == before
