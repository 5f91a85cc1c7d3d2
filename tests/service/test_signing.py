"""Signing keys: one Ed25519 pair per user under the config directory (ETHICSDESK_HOME in tests),
the private file 0600 and encrypted when a passphrase is set; a signature covers the record id and
its head hash, and holds for nothing else."""

from __future__ import annotations

import base64
import hashlib
import stat
from pathlib import Path

import pytest

from ethicsdesk.errors import BadInput
from ethicsdesk.service import signing

DANA = "Dana Okafor"
HEAD = "a" * 64


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_key_file_is_private_and_under_the_config_dir(isolated_home: Path) -> None:
    assert not signing.has_key(DANA)
    key = signing.create_key(DANA, None)
    path = signing.key_path(DANA)
    assert path.is_relative_to(isolated_home)
    assert path.exists()
    assert mode(path) == 0o600
    assert mode(path.parent) & 0o077 == 0, "the keys folder is readable by others"
    assert signing.has_key(DANA)
    assert not signing.key_needs_passphrase(DANA)
    assert b"ENCRYPTED" not in path.read_bytes()
    assert key.user == DANA
    assert len(base64.b64decode(key.public_b64)) == 32


def test_each_user_has_their_own_key() -> None:
    dana = signing.create_key(DANA, None)
    lee = signing.create_key("Lee Marsh", None)
    assert signing.key_path(DANA) != signing.key_path("Lee Marsh")
    assert dana.public_b64 != lee.public_b64
    assert signing.load_key(DANA, None).public_b64 == dana.public_b64


def test_a_passphrase_protects_the_key() -> None:
    key = signing.create_key(DANA, "correct horse")
    data = signing.key_path(DANA).read_bytes()
    assert b"ENCRYPTED" in data
    assert signing.key_needs_passphrase(DANA)
    loaded = signing.load_key(DANA, "correct horse")
    assert loaded.public_b64 == key.public_b64
    assert loaded.fingerprint == key.fingerprint
    # the loaded key signs as the created one does
    message = signing.signed_message("abcd234567", HEAD)
    assert signing.signature_holds(key.public_b64, loaded.sign(message), message)


def test_a_wrong_passphrase_is_one_sentence_and_changes_nothing() -> None:
    signing.create_key(DANA, "correct horse")
    before = signing.key_path(DANA).read_bytes()
    with pytest.raises(BadInput) as exc:
        signing.load_key(DANA, "battery staple")
    assert exc.value.message == "The passphrase is wrong; nothing was signed."
    assert signing.key_path(DANA).read_bytes() == before


@pytest.mark.parametrize("given", [None, ""])
def test_a_protected_key_without_a_passphrase_is_refused(given: str | None) -> None:
    signing.create_key(DANA, "correct horse")
    with pytest.raises(BadInput, match="protected: enter its passphrase"):
        signing.load_key(DANA, given)


def test_a_passphrase_for_an_unprotected_key_is_refused() -> None:
    signing.create_key(DANA, None)
    with pytest.raises(BadInput, match="no passphrase"):
        signing.load_key(DANA, "anything")


def test_an_empty_passphrase_makes_an_unprotected_key() -> None:
    signing.create_key(DANA, "")
    assert not signing.key_needs_passphrase(DANA)
    signing.load_key(DANA, None)


def test_a_missing_key_is_one_sentence() -> None:
    with pytest.raises(BadInput) as exc:
        signing.load_key(DANA, None)
    assert exc.value.message.startswith(f"{DANA} has no signing key yet")
    assert exc.value.message.endswith(".")
    assert not signing.has_key(DANA)
    assert not signing.key_needs_passphrase(DANA)
    assert not signing.key_path(DANA).exists()


def test_a_key_file_of_another_kind_is_one_sentence() -> None:
    """A PEM file holding, say, an EC key in the key's place: refused, not a traceback from signing."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    other = ec.generate_private_key(ec.SECP256R1())
    path = signing.key_path(DANA)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        other.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    with pytest.raises(BadInput) as exc:
        signing.load_key(DANA, None)
    assert exc.value.message == f"{path} does not hold an Ed25519 signing key; nothing was signed."


def test_create_refuses_to_replace_a_key() -> None:
    first = signing.create_key(DANA, "correct horse")
    before = signing.key_path(DANA).read_bytes()
    with pytest.raises(BadInput, match="already has a signing key"):
        signing.create_key(DANA, None)
    assert signing.key_path(DANA).read_bytes() == before
    assert signing.load_key(DANA, "correct horse").public_b64 == first.public_b64


def test_fingerprint_is_the_sha256_of_the_raw_public_key() -> None:
    key = signing.create_key(DANA, None)
    assert key.fingerprint == hashlib.sha256(base64.b64decode(key.public_b64)).hexdigest()
    short = signing.short_fingerprint(key.fingerprint)
    assert short == " ".join(key.fingerprint[i : i + 4] for i in (0, 4, 8, 12))
    assert len(short) == 19


def test_a_signature_holds_for_its_message_only() -> None:
    key = signing.create_key(DANA, None)
    message = signing.signed_message("abcd234567", HEAD)
    sig = key.sign(message)
    assert signing.signature_holds(key.public_b64, sig, message)
    # another head, another record, another key, a damaged signature: all fail
    assert not signing.signature_holds(key.public_b64, sig, signing.signed_message("abcd234567", "b" * 64))
    assert not signing.signature_holds(key.public_b64, sig, signing.signed_message("zzzz234567", HEAD))
    other = signing.create_key("Lee Marsh", None)
    assert not signing.signature_holds(other.public_b64, sig, message)
    raw = bytearray(base64.b64decode(sig))
    raw[0] ^= 1
    assert not signing.signature_holds(key.public_b64, base64.b64encode(bytes(raw)).decode(), message)


@pytest.mark.parametrize(
    ("public", "sig"),
    [
        ("not base64!", None),
        (base64.b64encode(b"short").decode(), None),
        (None, "not base64!"),
        (None, base64.b64encode(b"short").decode()),
        (None, ""),
    ],
)
def test_a_garbled_key_or_signature_does_not_hold_and_does_not_raise(public: str | None, sig: str | None) -> None:
    key = signing.create_key(DANA, None)
    message = signing.signed_message("abcd234567", HEAD)
    good = key.sign(message)
    assert not signing.signature_holds(public or key.public_b64, good if sig is None else sig, message)


def test_the_signed_message_binds_the_record_id_and_the_head() -> None:
    a = signing.signed_message("abcd234567", HEAD)
    assert a != signing.signed_message("abcd234568", HEAD)
    assert a != signing.signed_message("abcd234567", "b" * 64)
    assert b"abcd234567" in a
    assert HEAD.encode() in a
    # the separator keeps an id and a head from running into each other
    assert signing.signed_message("ab", "c" + HEAD) != signing.signed_message("abc", HEAD)
