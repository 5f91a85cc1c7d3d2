"""Which signatures count: the keys an agency trusts, and a person's key rotations.

A signature proves only that someone holding a private key signed. It counts when the public key is
one the agency trusts for the person named as signer; the list of trusted keys is kept outside the
records (a file an agency distributes, or on PostgreSQL a table only an administrator can write), so
whoever can rewrite the records cannot also make their own key count.

A person has one trusted key at a time. A new key is trusted only as the rotation of an earlier one
(`replaces`); two trusted keys for one person without that link, or a signature by a replaced key
made after its replacement was trusted, is a problem. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class TrustedKey:
    name: str
    public_key: str  # base64 of the raw Ed25519 key
    fingerprint: str  # sha256 hex of the raw key
    added_at: str = ""
    added_by: str = ""
    replaces: str = ""  # the fingerprint of the same person's earlier key: a recorded rotation


@dataclass(frozen=True)
class SignatureSeen:
    """One signature found in the records (a record's sign-off or a purge's tombstone)."""

    record_id: str
    signer: str
    fingerprint: str
    at: str
    what: str = "signature"
    public_key: str = ""  # base64, when the log holds it: what `keys trust` would be given


def unknown_key(seen: SignatureSeen, keys: list[TrustedKey] | None) -> bool:
    """Whether the signature's key is simply not among the trusted ones (none set up counts too):
    nothing wrong with it, nothing yet vouching for it."""
    return keys is None or all(k.fingerprint != seen.fingerprint for k in keys)


def not_trusted_yet(seen: SignatureSeen) -> str:
    """What is true of a sign-off whose key no one here has trusted yet, and how to trust it."""
    given = seen.public_key or "KEY-FILE"
    return (
        f"signed by {seen.signer} with key {short(seen.fingerprint)}, which this desk does not trust yet: "
        f'once {seen.signer} confirms that fingerprint, run `ethicsdesk keys trust {given} --name "{seen.signer}"`'
    )


def same_person(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def rotation_problems(keys: Iterable[TrustedKey]) -> list[str]:
    """Each person whose trusted keys do not form one line of recorded rotations."""
    by_person: dict[str, list[TrustedKey]] = {}
    for k in keys:
        by_person.setdefault(k.name.strip().casefold(), []).append(k)
    problems = []
    for entries in by_person.values():
        mine = {k.fingerprint for k in entries}
        roots = [k for k in entries if k.replaces not in mine]
        replaced = [k.replaces for k in entries if k.replaces in mine]
        forks = {fp for fp in replaced if replaced.count(fp) > 1}
        if len(roots) > 1 or forks:
            name = entries[0].name
            listed = ", ".join(short(k.fingerprint) for k in entries)
            problems.append(f"{name} has {len(entries)} trusted keys ({listed}) and no recorded rotation between them")
    return problems


def replaced_at(keys: Iterable[TrustedKey]) -> dict[str, str]:
    """Fingerprint of a replaced key -> when its replacement was trusted."""
    return {k.replaces: k.added_at for k in keys if k.replaces}


def signature_problems(seen: SignatureSeen, keys: list[TrustedKey]) -> list[str]:
    """Why this signature does not count (empty: it does)."""
    key = next((k for k in keys if k.fingerprint == seen.fingerprint), None)
    if key is None:
        return [f"the {seen.what} by {seen.signer} uses key {short(seen.fingerprint)}, which is not a trusted key"]
    if not same_person(key.name, seen.signer):
        return [
            f"the {seen.what} by {seen.signer} uses key {short(seen.fingerprint)}, which is trusted for {key.name}, "
            f"not for {seen.signer}"
        ]
    ended = replaced_at(keys).get(seen.fingerprint)
    if ended and seen.at > ended:
        return [
            f"the {seen.what} by {seen.signer} was made with key {short(seen.fingerprint)} after it was "
            f"replaced on {ended[:10]}"
        ]
    return []


def short(fingerprint: str) -> str:
    """The first 16 hex characters in groups of four, as reports print them."""
    return " ".join(fingerprint[i : i + 4] for i in range(0, 16, 4))


def why_not_trust(keys: list[TrustedKey], new: TrustedKey) -> str | None:
    """Why `new` cannot be added to `keys` as it stands (None: it can), in one sentence."""
    if any(k.fingerprint == new.fingerprint for k in keys):
        owner = next(k.name for k in keys if k.fingerprint == new.fingerprint)
        return f"The key {short(new.fingerprint)} is already trusted for {owner}."
    mine = [k for k in keys if same_person(k.name, new.name)]
    replaced = {k.replaces for k in keys if k.replaces}
    current = [k for k in mine if k.fingerprint not in replaced]
    if not new.replaces:
        if current:
            return (
                f"{new.name} already has a trusted key ({short(current[0].fingerprint)}); a second one is "
                f"trusted only as its rotation: add --replaces {current[0].fingerprint[:16]}."
            )
        return None
    old = next((k for k in mine if k.fingerprint.startswith(new.replaces.lower())), None)
    if old is None:
        return f"{new.name} has no trusted key {new.replaces} for the new key to replace."
    if old.fingerprint in replaced:
        return f"The key {short(old.fingerprint)} was already replaced; rotate {new.name}'s current key instead."
    return None


def resolve_replaces(keys: list[TrustedKey], new: TrustedKey) -> TrustedKey:
    """`new` with `replaces` spelled out in full (it may be given as a prefix of the fingerprint)."""
    if not new.replaces:
        return new
    old = next(k for k in keys if same_person(k.name, new.name) and k.fingerprint.startswith(new.replaces.lower()))
    return TrustedKey(new.name, new.public_key, new.fingerprint, new.added_at, new.added_by, old.fingerprint)
