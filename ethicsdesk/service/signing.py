"""Supervisors' Ed25519 signing keys: one pair per user, private half in the user's config directory.

The private key file is created 0600 and encrypted with a passphrase when the user sets one; its
public half is written beside it (`.pub`, 0644), so `keys show` never needs the passphrase. The
public half also goes into the database with each signature, so anyone holding the database can
verify a signature without the signer's machine.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ethicsdesk.errors import BadInput
from ethicsdesk.settings import config_dir
from ethicsdesk.store.durable_files import write_atomically

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def _slug(user: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", user.lower()).strip("-") or "user"


def key_path(user: str) -> Path:
    # the slug keeps the name readable; the hash keeps "Dana Okafor" and "dana okafor" apart
    exact = hashlib.sha256(user.encode()).hexdigest()[:8]
    return config_dir() / "keys" / f"{_slug(user)}-{exact}.ed25519.pem"


def public_path(user: str) -> Path:
    """The public half, beside the private key."""
    return key_path(user).with_suffix(".pub")


def _store_public(user: str, public_b64: str) -> None:
    write_atomically(public_path(user), (public_b64 + "\n").encode(), replace=True, mode=0o644)


def stored_public_key(user: str) -> str | None:
    """The user's public key without their passphrase: the `.pub` beside the key, or, for a key made
    before that file was kept and not protected by a passphrase, derived now (and stored). None when
    the key is protected and has no `.pub` yet (`keys publish` stores it); NotFound when there is no key."""
    if not has_key(user):
        from ethicsdesk.errors import NotFound

        raise NotFound(f"{user} has no signing key yet; one is made the first time you sign (or: ethicsdesk keys new).")
    path = public_path(user)
    if path.is_file():
        text = path.read_text(encoding="ascii", errors="replace").strip()
        if len(text) == 44 and _is_public_key(text):
            return text
        raise BadInput(f"{path} does not hold a public key; delete it and run 'ethicsdesk keys publish'.")
    if key_needs_passphrase(user):
        return None
    return load_key(user, None).public_b64  # load_key stores the .pub


def _is_public_key(public_b64: str) -> bool:
    try:
        return len(base64.b64decode(public_b64, validate=True)) == 32
    except ValueError:
        return False


def fingerprint(public_b64: str) -> str:
    """sha256 of the raw public key, hex; reports print the first 16 characters in groups."""
    return hashlib.sha256(base64.b64decode(public_b64)).hexdigest()


def short_fingerprint(fp: str) -> str:
    from ethicsdesk.domain.trust import short

    return short(fp)


@dataclass(frozen=True)
class SigningKey:
    user: str
    public_b64: str
    _private: Ed25519PrivateKey  # named for the type checker only, so this module imports cryptography lazily

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_b64)

    def sign(self, message: bytes) -> str:
        return base64.b64encode(self._private.sign(message)).decode()


def has_key(user: str) -> bool:
    return key_path(user).exists()


def key_needs_passphrase(user: str) -> bool:
    path = key_path(user)
    return path.exists() and b"ENCRYPTED" in path.read_bytes()[:64]


def signing_asks(user: str) -> tuple[bool, bool]:
    """What signing as `user` takes, for a face to ask before it signs: (creating, needs_passphrase):
    whether a key is made now (the first signature; the face offers to protect it with a passphrase),
    and whether the existing key is protected by one."""
    creating = not has_key(user)
    return creating, (creating or key_needs_passphrase(user))


def create_key(user: str, passphrase: str | None) -> SigningKey:
    """A new key pair for `user`; refuses to replace an existing one (old signatures name it)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = key_path(user)
    if path.exists():
        raise BadInput(f"{user} already has a signing key at {path}.")
    private = Ed25519PrivateKey.generate()
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
    )
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Written whole under a private temporary name, then linked into place (which, like O_EXCL, never
    # replaces a key): a crash or a full disk part-way leaves no key file. Written in place, it left an
    # empty one, which refused a new key ("already has a signing key") and failed to load as a wrong
    # passphrase.
    try:
        write_atomically(path, pem, replace=False)
    except FileExistsError:
        raise BadInput(f"{user} already has a signing key at {path}.") from None
    key = _wrap(user, private)
    _store_public(user, key.public_b64)
    return key


def load_key(user: str, passphrase: str | None) -> SigningKey:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = key_path(user)
    if not path.exists():
        raise BadInput(f"{user} has no signing key yet; one is made the first time you sign.")
    data = path.read_bytes()
    try:
        private = serialization.load_pem_private_key(data, password=passphrase.encode() if passphrase else None)
    except TypeError:
        # cryptography says TypeError both for "a passphrase is needed" and "none was expected"
        if b"ENCRYPTED" in data[:64]:
            raise BadInput("Your signing key is protected: enter its passphrase to sign.") from None
        raise BadInput("Your signing key has no passphrase; leave the passphrase empty.") from None
    except ValueError:
        raise BadInput("The passphrase is wrong; nothing was signed.") from None
    if not isinstance(private, Ed25519PrivateKey):  # a PEM file of another kind of key put in its place
        raise BadInput(f"{path} does not hold an Ed25519 signing key; nothing was signed.")
    key = _wrap(user, private)
    if not public_path(user).exists():  # a key made before the public half was kept beside it
        _store_public(user, key.public_b64)
    return key


def _wrap(user: str, private: Ed25519PrivateKey) -> SigningKey:
    from cryptography.hazmat.primitives import serialization

    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return SigningKey(user, base64.b64encode(raw).decode(), private)


def signature_holds(public_b64: str, signature_b64: str, message: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_b64))
        key.verify(base64.b64decode(signature_b64), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def signed_message(record_id: str, head_hash: str) -> bytes:
    """What a signature covers: the record and its head hash, so it cannot be moved to another record."""
    return f"ethicsdesk-signature/1\n{record_id}\n{head_hash}".encode()


def checkpoint_message(digest: str) -> bytes:
    """What a checkpoint's signature covers: its digest, which covers every record's head."""
    return f"ethicsdesk-checkpoint/1\n{digest}".encode()


def tombstone_message(
    record_id: str, events: int, head_hash: str, purged_at: str, purged_by: str, reason: str, hashes: str = ""
) -> bytes:
    """What a purge's signature covers: the record, the head it had, who, when and why; and, since
    schema 0007, every event hash it had (by their digest), which a checkpoint is matched against."""
    body = f"{record_id}\n{events}\n{head_hash}\n{purged_at}\n{purged_by}\n{reason}"
    if not hashes:
        return f"ethicsdesk-purge/1\n{body}".encode()
    return f"ethicsdesk-purge/2\n{body}\n{hashlib.sha256(hashes.encode()).hexdigest()}".encode()
