"""The trusted-keys file: the supervisors' public keys an agency trusts, kept outside the database.

Its path is ETHICSDESK_TRUSTED_KEYS, else `trusted_keys` in config.toml (an agency points every desk
at the one read-only copy it distributes), else `trusted-keys.toml` in the config directory. A file
named either way is used on PostgreSQL too, in place of the server's `trusted_keys` table: an auditor
then checks against keys the database's owner cannot edit. The file is TOML:

    format = "ethicsdesk.trusted-keys/1"
    [[key]]
    name = "Dana Whitlock"
    public_key = "…"          # base64 of the raw Ed25519 key
    fingerprint = "…"         # sha256 hex of the key: checked, so a typo is caught
    added_at = "…"
    replaces = "…"            # optional: the fingerprint of the same person's earlier key

A malformed file is refused whole, naming the file and the entry, never skipped: a skipped entry
would turn a valid signature into an untrusted one, or hide a problem.
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import hashlib
import json
import os
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ethicsdesk.domain.trust import TrustedKey
from ethicsdesk.errors import BadInput
from ethicsdesk.service.bounded_read import read_bounded
from ethicsdesk.settings import config_dir, config_path, read_config
from ethicsdesk.store.durable_files import write_atomically

FORMAT = "ethicsdesk.trusted-keys/1"
KEY_FORMAT = "ethicsdesk.key/1"
MAX_BYTES = 1_000_000


ENV = "ETHICSDESK_TRUSTED_KEYS"


def configured_trust_file() -> Path | None:
    """The agency's trusted-keys file when one is named: ETHICSDESK_TRUSTED_KEYS, else `trusted_keys`
    in config.toml; None when neither names one."""
    from_env = os.environ.get(ENV)
    if from_env is not None:
        if not from_env.strip():
            raise BadInput(f"{ENV} is set but empty: give the path of the trusted-keys file, or unset it.")
        return Path(from_env).expanduser()
    configured = read_config().get("trusted_keys")
    if configured is None:
        return None
    if not isinstance(configured, str) or not configured.strip():
        raise BadInput(f"trusted_keys in {config_path()} must be the path of the trusted-keys file.")
    return Path(configured).expanduser()


def trust_file() -> Path:
    return configured_trust_file() or config_dir() / "trusted-keys.toml"


def public_key_problem(public_b64: str) -> str | None:
    """Why this is not a base64 Ed25519 public key (None: it is one)."""
    try:
        raw = base64.b64decode(public_b64, validate=True)
    except (binascii.Error, ValueError):
        return "the public key is not base64"
    if len(raw) != 32:
        return f"the public key is {len(raw)} bytes long, not the 32 of an Ed25519 key"
    return None


def fingerprint_of(public_b64: str) -> str:
    return hashlib.sha256(base64.b64decode(public_b64)).hexdigest()


def _read_toml(path: Path, what: str) -> dict[str, object]:
    data = read_bounded(
        path,
        MAX_BYTES,
        not_a_file=f"{path} is not a file; {what} is a TOML file.",
        too_large=f"{path} is larger than {what} can be ({MAX_BYTES:,} bytes).",
    )
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise BadInput(f"{path} is not {what}: {exc}.") from None


def _entry(path: Path, where: str, raw: object) -> TrustedKey:
    if not isinstance(raw, dict):
        raise BadInput(f"{where} in {path} is not a table of name, public_key and fingerprint.")
    fields = {}
    for name in ("name", "public_key", "fingerprint", "added_at", "added_by", "replaces"):
        value = raw.get(name, "")
        if not isinstance(value, str):
            raise BadInput(f"{where} in {path}: {name} must be text.")
        fields[name] = value.strip()
    if not fields["name"]:
        raise BadInput(f"{where} in {path} has no name: a key is trusted for a person.")
    problem = public_key_problem(fields["public_key"])
    if problem:
        raise BadInput(f"{where} in {path} ({fields['name']}): {problem}.")
    actual = fingerprint_of(fields["public_key"])
    if fields["fingerprint"] and fields["fingerprint"].lower() != actual:
        raise BadInput(f"{where} in {path} ({fields['name']}): the fingerprint does not match the public key.")
    fields["fingerprint"] = actual
    return TrustedKey(**fields)


def read_trust_file(path: Path) -> list[TrustedKey]:
    """Every key of a trusted-keys file, or of a single exported key (`keys show --out`)."""
    data = _read_toml(path, "a trusted-keys file")
    if data.get("format") == KEY_FORMAT:
        return [_entry(path, "the key", data)]
    if data.get("format") != FORMAT:
        raise BadInput(f"{path} is not a trusted-keys file: its format is not '{FORMAT}' or '{KEY_FORMAT}'.")
    entries = data.get("key", [])
    if not isinstance(entries, list):
        raise BadInput(f"{path}: 'key' must be a list of [[key]] tables.")
    keys = [_entry(path, f"key {n}", raw) for n, raw in enumerate(entries, 1)]
    seen: set[str] = set()
    for k in keys:
        if k.fingerprint in seen:
            raise BadInput(f"{path} lists the key {k.fingerprint[:16]} twice.")
        seen.add(k.fingerprint)
    return keys


def trusted_keys() -> list[TrustedKey] | None:
    """The keys this desk trusts; None when there is no trusted-keys file."""
    path = trust_file()
    if not path.exists():
        return None
    return read_trust_file(path)


def _toml(key: TrustedKey) -> str:
    # JSON strings are valid TOML basic strings, so json.dumps quotes safely without a TOML writer
    lines = ["[[key]]"] + [
        f"{name} = {json.dumps(getattr(key, name))}"
        for name in ("name", "public_key", "fingerprint", "added_at", "added_by", "replaces")
        if getattr(key, name)
    ]
    return "\n".join(lines) + "\n"


def render(keys: list[TrustedKey]) -> str:
    head = f'# The supervisors\' signing keys this desk trusts (ethicsdesk keys trust).\nformat = "{FORMAT}"\n'
    return head + "".join("\n" + _toml(k) for k in keys)


def render_single(key: TrustedKey) -> str:
    """One person's key, for `keys show --out` and `keys trust FILE`."""
    lines = [f'format = "{KEY_FORMAT}"'] + [
        f"{name} = {json.dumps(getattr(key, name))}" for name in ("name", "public_key", "fingerprint")
    ]
    return "\n".join(lines) + "\n"


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the trusted-keys file's lock: two desks adding keys at once both land."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def write_readable(path: Path, text: str) -> None:
    """Write a file others are meant to read (the trusted-keys file, a public key, a checkpoint) whole
    or not at all, replacing what was there."""
    write_atomically(path, text.encode("utf-8"), replace=True, mode=0o644)
