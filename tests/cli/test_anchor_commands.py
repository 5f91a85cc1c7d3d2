"""`keys show|trust|list`, `checkpoint`, `verify --checkpoint` and `purge` on the command line (issue
15): what they print, their exit codes, bad input in one sentence, and each writing command with
another process writing to the same database (or the same trusted-keys file) at the same time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ethicsdesk.service import Service
from ethicsdesk.settings import User, save_user
from tests.cli.conftest import Run
from tests.conftest import DILEMMAS

DANA = User("Dana Whitlock", "supervisor")
ETHICSDESK = Path(sys.executable).with_name("ethicsdesk")
GIFT, DISCHARGE = DILEMMAS / "gift-from-family.toml", DILEMMAS / "discharge-against-advice.toml"

# Another process writing to the same database until told to stop: it creates records and edits them.
WRITER = """
import sys, pathlib
from ethicsdesk.service import Service
from ethicsdesk.settings import User
service = Service.open(sys.argv[1], User("Robin Ashdown", "case manager"))
stop, n = pathlib.Path(sys.argv[2]), 0
while not stop.exists() or n < 5:
    rid = service.editing.create_record(f"Written alongside {n}")
    service.editing.add_option(rid, "Wait")
    n += 1
    print(rid, flush=True)
service.close()
"""


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from ethicsdesk.service.databases import init_database

    path = tmp_path / "desk.db"
    monkeypatch.setenv("ETHICSDESK_DB", f"sqlite:///{path}")
    save_user(DANA)
    init_database(f"sqlite:///{path}")  # the desk exists: reads (keys show, verify) never make one
    return path


@pytest.fixture
def ids(run: Run, db: Path) -> list[str]:
    code, out, err = run("import", GIFT, DISCHARGE)
    assert code == 0, err
    return [line.split()[0] for line in out.splitlines()]


class Writer:
    def __init__(self, db: Path, folder: Path) -> None:
        self.stop = folder / "stop-writer"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, f"sqlite:///{db}", str(self.stop)], stdout=subprocess.PIPE, text=True
        )
        assert self.proc.stdout is not None
        self.first = self.proc.stdout.readline().split()  # it has written once: it is running

    def finish(self) -> list[str]:
        self.stop.touch()
        out, _ = self.proc.communicate(timeout=120)
        assert self.proc.returncode == 0
        return self.first + out.split()


@pytest.fixture
def writer(db: Path, ids: list[str], tmp_path: Path) -> Iterator[Writer]:
    w = Writer(db, tmp_path)
    yield w
    if w.proc.poll() is None:
        w.finish()


# --- keys ----------------------------------------------------------------------------------------
def test_keys_new_makes_and_prints_the_key_and_trust_accepts_what_it_prints(
    run: Run, db: Path, tmp_path: Path
) -> None:
    code, out, err = run("keys", "new", "--out", tmp_path / "dana.key")
    assert code == 0, err
    lines = dict(line.split(":", 1) for line in out.splitlines() if ":" in line)
    assert lines["Name"].strip() == DANA.name
    public, fingerprint = lines["Public key"].strip(), lines["Fingerprint"].strip()
    assert len(fingerprint) == 64
    assert "Made your signing key" in err
    assert run("keys", "show")[1] == out.replace(
        f"Wrote the key to {tmp_path / 'dana.key'}: give it to whoever keeps the agency's trusted keys.\n", ""
    )
    code, out, err = run("keys", "trust", tmp_path / "dana.key")
    assert (code, err) == (0, "")
    assert out.startswith(f"Trusted key {fingerprint[:4]} {fingerprint[4:8]}") and DANA.name in out
    code, out, _ = run("keys", "list")
    assert code == 0 and DANA.name in out
    code, _, err = run("keys", "trust", public, "--name", DANA.name)
    assert code == 2 and "already trusted" in err


def test_keys_show_never_makes_a_key_nor_asks_for_the_passphrase(run: Run, db: Path) -> None:
    from ethicsdesk.service import signing

    code, out, err = run("keys", "show")
    assert (code, out) == (1, "") and "no signing key yet" in err and "keys new" in err
    assert not signing.has_key(DANA.name)  # nothing was made
    key = signing.create_key(DANA.name, "correct horse")  # protected: showing it must not need this
    code, out, err = run("keys", "show")
    assert (code, err) == (0, "") and f"Public key:  {key.public_b64}" in out
    signing.public_path(DANA.name).unlink()  # as a key made by an older version
    code, out, err = run("keys", "show")
    assert (code, out) == (2, "") and "ethicsdesk keys publish" in err and err.count("\n") == 1
    signing.load_key(DANA.name, "correct horse")  # the next signature stores it again
    assert run("keys", "show")[0] == 0


def test_keys_show_stores_the_public_half_of_an_older_unprotected_key(run: Run, db: Path) -> None:
    from ethicsdesk.service import signing

    key = signing.create_key(DANA.name, None)
    signing.public_path(DANA.name).unlink()
    code, out, _ = run("keys", "show")
    assert code == 0 and key.public_b64 in out
    assert signing.public_path(DANA.name).read_text().strip() == key.public_b64


def test_a_second_key_for_one_person_needs_a_recorded_rotation(run: Run, db: Path, tmp_path: Path) -> None:
    first = "A" * 43 + "="
    second = "B" * 43 + "="
    assert run("keys", "trust", first, "--name", "Lee Marsh")[0] == 0
    code, _, err = run("keys", "trust", second, "--name", "Lee Marsh")
    assert code == 2 and "--replaces" in err and err.count("\n") == 1
    code, out, err = run("keys", "list")
    old = out.split()[0:4]
    code, out, err = run("keys", "trust", second, "--name", "Lee Marsh", "--replaces", "".join(old))
    assert code == 0, err
    assert "replacing" in out


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ('format = "ethicsdesk.trusted-keys/1"\n[[key]]\nname = "Lee"\npublic_key = "not base64!"\n', "key 1"),
        ('format = "ethicsdesk.trusted-keys/1"\n[[key]]\npublic_key = "' + "A" * 43 + '="\n', "has no name"),
        (
            'format = "ethicsdesk.trusted-keys/1"\n[[key]]\nname = "Lee"\npublic_key = "' + "A" * 43 + '="\n'
            'fingerprint = "00"\n',
            "fingerprint does not match",
        ),
        ("this is = = not toml", "is not a trusted-keys file"),
        ('format = "something else"\n', "is not a trusted-keys file"),
    ],
)
def test_a_malformed_key_file_is_named_not_skipped(
    run: Run, db: Path, tmp_path: Path, content: str, named: str
) -> None:
    bad = tmp_path / "agency-keys.toml"
    bad.write_text(content)
    code, _, err = run("keys", "trust", bad)
    assert code == 2 and str(bad) in err and named in err and err.count("\n") == 1, err
    # the same file configured as the desk's trust list is refused by verify, not read as "no keys"
    (Path(os.environ["ETHICSDESK_HOME"]) / "config.toml").write_text(
        f'trusted_keys = "{bad}"\n[user]\nname = "{DANA.name}"\nrole = "supervisor"\n'
    )
    code, _, err = run("verify")
    assert code == 2 and str(bad) in err


def test_keys_trust_from_two_processes_at_once_keeps_both(db: Path, ids: list[str], tmp_path: Path) -> None:
    keys = [chr(ord("C") + i) * 43 + "=" for i in range(6)]
    env = {**os.environ, "ETHICSDESK_DB": f"sqlite:///{db}"}
    procs = [
        subprocess.Popen([ETHICSDESK, "keys", "trust", k, "--name", f"Supervisor {i}"], env=env, stderr=subprocess.PIPE)
        for i, k in enumerate(keys)
    ]
    assert [p.wait(timeout=60) for p in procs] == [0] * len(keys), [p.stderr.read() for p in procs if p.stderr]
    from ethicsdesk.service.trusted_keys import read_trust_file, trust_file

    assert sorted(k.public_key for k in read_trust_file(trust_file())) == sorted(keys)


# --- checkpoint and verify --checkpoint --------------------------------------------------------------
def test_checkpoint_then_verify_names_what_changed(run: Run, db: Path, ids: list[str], tmp_path: Path) -> None:
    service = Service.open(f"sqlite:///{db}", DANA)
    service.editing.add_option(ids[0], "Ask the team")
    service.close()
    out_file = tmp_path / "cp.json"
    code, out, err = run("checkpoint", "--out", out_file)
    assert code == 0, err
    assert "checkpoint of 2 record(s)" in out and "unsigned" in out
    doc = json.loads(out_file.read_text())
    assert sorted(r[0] for r in doc["records"]) == sorted(ids) and doc["signature"] is None
    assert run("checkpoint", "--out", out_file)[0] == 2  # never replaced without --force
    assert run("checkpoint", "--out", out_file, "--force")[0] == 0
    code, out, err = run("verify", "--checkpoint", out_file)  # unsigned: it proves nothing by itself
    assert code == 1 and "2 record(s) as they were, 0 grown since, 0 new" in out
    assert "checkpoint: the checkpoint is unsigned" in err and "--allow-unsigned" in err
    code, out, err = run("verify", "--checkpoint", out_file, "--allow-unsigned")
    assert (code, err) == (0, "") and "2 record(s) as they were, 0 grown since, 0 new" in out
    import sqlite3

    raw = sqlite3.connect(db, isolation_level=None)
    raw.execute("DROP TRIGGER events_no_delete")
    raw.execute("DELETE FROM events WHERE record_id = ? AND seq > 1", (ids[0],))
    raw.close()
    code, _, err = run("verify", "--checkpoint", out_file, "--allow-unsigned")
    assert code == 1 and f"{ids[0]}: was cut short since the checkpoint" in err


def test_checkpoint_to_standard_output_is_signed_with_the_writers_key(run: Run, db: Path, ids: list[str]) -> None:
    run("keys", "new")
    code, out, err = run("checkpoint")
    assert code == 0
    doc = json.loads(out)
    assert doc["signature"]["signer"] == DANA.name and "signed with key" in err


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ("not json at all", "it is not JSON"),
        ('{"format": "ethicsdesk.checkpoint/1"}', "it has no database"),
        ("[1, 2]", "its format is not"),
    ],
)
def test_a_file_that_is_not_a_checkpoint_exits_2(
    run: Run, db: Path, ids: list[str], tmp_path: Path, content: str, why: str
) -> None:
    bad = tmp_path / "cp.json"
    bad.write_text(content)
    code, out, err = run("verify", "--checkpoint", bad)
    assert (code, out) == (2, "") and why in err and err.count("\n") == 1


def test_an_edited_or_foreign_checkpoint_exits_2(run: Run, db: Path, ids: list[str], tmp_path: Path) -> None:
    good = tmp_path / "cp.json"
    run("checkpoint", "--out", good)
    doc = json.loads(good.read_text())
    doc["records"] = doc["records"][:1]  # a record dropped from the checkpoint to hide its deletion
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(doc))
    code, _, err = run("verify", "--checkpoint", edited)
    assert code == 2 and "its digest does not match" in err
    other = tmp_path / "other.db"
    run("db", "init", "--db", f"sqlite:///{other}")  # made first: a read never makes a database
    code, _, err = run("verify", "--checkpoint", good, "--db", f"sqlite:///{other}")
    assert code == 2 and "a checkpoint of another database" in err and err.count("\n") == 1


def test_a_checkpoint_taken_while_another_process_writes_verifies(
    run: Run, db: Path, writer: Writer, tmp_path: Path
) -> None:
    cps = []
    for n in range(3):
        cps.append(tmp_path / f"cp{n}.json")
        assert run("checkpoint", "--out", cps[-1])[0] == 0
    written = writer.finish()
    for path in cps:
        code, _, err = run("verify", "--checkpoint", path, "--allow-unsigned")
        assert code == 0, err
    assert len(written) >= 5


# --- purge ------------------------------------------------------------------------------------------
def test_purge_leaves_a_tombstone_that_verify_names(run: Run, db: Path, ids: list[str], tmp_path: Path) -> None:
    run("keys", "new")
    run("keys", "trust", run("keys", "show")[1].splitlines()[1].split()[-1], "--name", DANA.name)
    run("checkpoint", "--out", tmp_path / "cp.json")
    code, _, err = run("purge", ids[0], "--reason", "Retention: seven years")
    assert code == 2 and "--yes" in err  # not at a terminal: no silent purge
    code, out, err = run("purge", ids[0], "--reason", "Retention: seven years", "--yes")
    assert code == 0, err
    assert out.startswith(f"Purged {ids[0]}: 1 events removed")
    assert run("show", ids[0])[0] == 1
    code, out, err = run("verify", "--checkpoint", tmp_path / "cp.json")
    assert code == 0, err
    assert f"Purged: {ids[0]} by {DANA.name}" in out and "Retention: seven years" in out
    assert run("purge", ids[0], "--reason", "again", "--yes")[0] == 1  # not found


def test_purge_is_refused_to_a_case_manager_and_under_an_open_consultation(run: Run, db: Path, ids: list[str]) -> None:
    service = Service.open(f"sqlite:///{db}", User("Robin Ashdown", "case manager"))
    service.editing.request_consultation(ids[1], DANA.name, "May I?")
    service.close()
    code, _, err = run("purge", ids[1], "--reason", "Retention", "--yes")
    assert code == 2 and "open consultation request" in err
    save_user(User("Robin Ashdown", "case manager"))
    code, _, err = run("purge", ids[0], "--reason", "Retention", "--yes")
    assert code == 2 and "Only a supervisor can purge" in err
    code, _, err = run("purge", ids[0], "--reason", "  ", "--yes")
    assert code == 2


def test_purge_while_another_process_writes(run: Run, db: Path, ids: list[str], writer: Writer) -> None:
    code, _, err = run("purge", ids[0], "--reason", "Retention", "--yes")
    assert code == 0, err
    written = writer.finish()
    service = Service.open(f"sqlite:///{db}", DANA)
    try:
        checked, problems = service.integrity.verify()
        assert problems == [] and checked == 1 + len(written)
    finally:
        service.close()


def test_verify_prints_each_signers_fingerprint_and_fails_until_the_key_is_trusted(
    run: Run, db: Path, ids: list[str]
) -> None:
    from ethicsdesk.service import signing

    service = Service.open(f"sqlite:///{db}", DANA)
    try:
        state = service.record(ids[0])
        service.editing.decide(ids[0], "chosen", state.options[0].key)
        service.editing.decide(ids[0], "rationale", "It is a small gift, declined with thanks.")
        key = signing.create_key(DANA.name, None)
        service.review.sign(ids[0], key)
    finally:
        service.close()
    short = " ".join(key.fingerprint[i : i + 4] for i in range(0, 16, 4))
    code, out, err = run("verify")
    assert code == 3  # not 1: nothing failed; a key is only not trusted here yet
    assert f"Signed by {DANA.name} with key {short} (not trusted here yet): 1 record(s)." in out
    assert err.splitlines()[0] == (
        f"{ids[0]}: signed by {DANA.name} with key {short}, which this desk does not trust yet: once {DANA.name} "
        f'confirms that fingerprint, run `ethicsdesk keys trust {key.public_b64} --name "{DANA.name}"`'
    )
    assert "failed verification" not in err
    assert run("keys", "trust", key.public_b64, "--name", DANA.name)[0] == 0
    code, out, err = run("verify")
    assert (code, err) == (0, "")
    assert f"Signed by {DANA.name} with key {short} (trusted): 1 record(s)." in out


def test_every_home_can_point_at_the_agencys_read_only_trusted_keys_file(
    run: Run, db: Path, ids: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ethicsdesk.service import signing

    service = Service.open(f"sqlite:///{db}", DANA)
    try:
        service.editing.decide(ids[0], "chosen", service.record(ids[0]).options[0].key)
        service.editing.decide(ids[0], "rationale", "It is a small gift, declined with thanks.")
        key = signing.create_key(DANA.name, None)
        service.review.sign(ids[0], key)
    finally:
        service.close()
    agency = tmp_path / "agency" / "trusted-keys.toml"
    monkeypatch.setenv("ETHICSDESK_TRUSTED_KEYS", str(agency))
    assert run("keys", "trust", key.public_b64, "--name", DANA.name)[0] == 0  # the agency's keeper adds it
    agency.chmod(0o444)
    monkeypatch.setenv("ETHICSDESK_HOME", str(tmp_path / "case-manager"))  # another desk, its own home
    save_user(User("Robin Ashdown", "case manager"))
    code, out, err = run("verify")
    assert (code, err) == (0, "") and f"Keys checked against the trusted-keys file {agency}." in out
    monkeypatch.delenv("ETHICSDESK_TRUSTED_KEYS")
    assert run("verify")[0] == 3  # the home's own (empty) trust: the key is not trusted here yet
    monkeypatch.setenv("ETHICSDESK_TRUSTED_KEYS", "")
    code, _, err = run("verify")
    assert code == 2 and "ETHICSDESK_TRUSTED_KEYS is set but empty" in err and err.count("\n") == 1


def test_a_checkpoint_whose_signature_does_not_verify_is_refused_even_with_allow_unsigned(
    run: Run, db: Path, ids: list[str], tmp_path: Path
) -> None:
    run("keys", "new")
    good = tmp_path / "cp.json"
    assert run("checkpoint", "--out", good)[0] == 0
    doc = json.loads(good.read_text())
    doc["signature"]["signature"] = doc["signature"]["signature"][::-1]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    for extra in ([], ["--allow-unsigned"]):
        code, out, err = run("verify", "--checkpoint", bad, *extra)
        assert (code, out) == (2, "") and f"its signature by {DANA.name} does not verify" in err


def test_an_untrusted_key_beside_a_broken_record_exits_1_not_3(run: Run, db: Path, ids: list[str]) -> None:
    import sqlite3

    from ethicsdesk.service import signing

    service = Service.open(f"sqlite:///{db}", DANA)
    try:
        service.editing.decide(ids[0], "chosen", service.record(ids[0]).options[0].key)
        service.editing.decide(ids[0], "rationale", "It is a small gift, declined with thanks.")
        service.review.sign(ids[0], signing.create_key(DANA.name, None))
    finally:
        service.close()
    assert run("verify")[0] == 3
    raw = sqlite3.connect(db, isolation_level=None)
    raw.execute("DROP TRIGGER events_no_update")
    raw.execute("UPDATE events SET at = '2020-01-01T00:00:00.000000Z' WHERE record_id = ? AND seq = 1", (ids[1],))
    raw.close()
    code, _, err = run("verify")
    assert code == 1 and f"1 of 2 record(s) failed verification: {ids[1]}." in err
