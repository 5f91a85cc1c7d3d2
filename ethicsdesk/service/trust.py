"""Trusted keys and the full audit: a signature counts only if the agency trusts its key.

On SQLite the trusted keys are a file outside the database (trusted_keys.py); on PostgreSQL the
`trusted_keys` table, which only the administrator role may write (grants by `db init`). `audit` is
what `ethicsdesk verify` runs: the chains and tables (`verify`), every signature and tombstone against
the trusted keys, and, given a checkpoint, every record it lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ethicsdesk.domain import trust as rules
from ethicsdesk.domain.trust import SignatureSeen, TrustedKey
from ethicsdesk.errors import BadInput, DatabaseProblem
from ethicsdesk.service.checkpoints import CheckpointLine
from ethicsdesk.service.core import ServiceCore
from ethicsdesk.service.integrity import Integrity, Problem
from ethicsdesk.service.job import Job
from ethicsdesk.store import anchors
from ethicsdesk.store.engine import describe

if TYPE_CHECKING:
    from ethicsdesk.domain.checkpoint import Checkpoint

KEYS = "trusted keys"  # the name key-level problems are reported under
CHECKPOINT = "checkpoint"  # and those of the checkpoint file itself


@dataclass(frozen=True)
class SignerLine:
    signer: str
    fingerprint: str
    records: int
    trusted: bool


@dataclass(frozen=True)
class PurgedLine:
    record_id: str
    purged_by: str
    purged_at: str
    reason: str


@dataclass
class Audit:
    checked: int
    problems: list[Problem] = field(default_factory=list)
    signers: list[SignerLine] = field(default_factory=list)
    purged: list[PurgedLine] = field(default_factory=list)
    trust: str = ""  # where the trusted keys came from; "" when none are set up
    checkpoint: CheckpointLine | None = None

    @property
    def broken(self) -> list[str]:
        return sorted({p.record_id for p in self.problems})


class Trust(Job):
    """Trusted keys and the audit; the audit starts from the integrity checks, which it is given."""

    def __init__(self, core: ServiceCore, integrity: Integrity) -> None:
        super().__init__(core)
        self.integrity = integrity

    # --- the trusted keys ---------------------------------------------------------------------
    def _keys_in_file(self) -> bool:
        """SQLite keeps its trusted keys in a file; PostgreSQL in its table, unless a file is named."""
        from ethicsdesk.service.trusted_keys import configured_trust_file

        return self.db.is_sqlite or configured_trust_file() is not None

    def trust_source(self) -> str:
        if self._keys_in_file():
            from ethicsdesk.service.trusted_keys import trust_file

            return f"the trusted-keys file {trust_file()}"
        return f"the trusted_keys table of {describe(self.db.url)}"

    def trusted_keys(self) -> list[TrustedKey] | None:
        """The keys the agency trusts; None when none are set up."""
        if self._keys_in_file():
            from ethicsdesk.service.trusted_keys import trusted_keys

            return trusted_keys()
        with self._reading() as s:
            keys = anchors.server_trusted_keys(s)
        return keys or None

    def trust_key(self, name: str, public_b64: str, replaces: str = "") -> TrustedKey:
        """Trust `public_b64` as `name`'s key; a person's second key only as a recorded rotation."""
        from ethicsdesk.service.trusted_keys import fingerprint_of, public_key_problem

        name, public_b64 = name.strip(), public_b64.strip()
        replaces = replaces.replace(" ", "").lower()
        if not name:
            raise BadInput("Say whose key this is (--name): a key is trusted for a person.")
        problem = public_key_problem(public_b64)
        if problem:
            raise BadInput(f"That is not a signing key: {problem}.")
        if replaces and len(replaces) < 8:
            raise BadInput("Give at least the first 8 characters of the fingerprint the new key replaces.")
        new = TrustedKey(name, public_b64, fingerprint_of(public_b64), self.clock.now(), self.user.name, replaces)
        if self._keys_in_file():
            return self._trust_in_file(new)
        with self._administering(
            f"Only the administrator role may add a trusted key on {describe(self.db.url)}; "
            f"the login {self.user.name} is not one.",
            "The key could not be added",
            refusal=DatabaseProblem,
        ) as s:
            anchors.lock_trusted_keys(s)
            keys = anchors.server_trusted_keys(s)
            why = rules.why_not_trust(keys, new)
            if why:
                raise BadInput(why)
            new = rules.resolve_replaces(keys, new)
            anchors.add_server_trusted_key(s, new)
        return new

    def _trust_in_file(self, new: TrustedKey) -> TrustedKey:
        from ethicsdesk.service.trusted_keys import locked, read_trust_file, render, trust_file, write_readable

        path = trust_file()
        try:
            with locked(path):
                keys = read_trust_file(path) if path.exists() else []
                why = rules.why_not_trust(keys, new)
                if why:
                    raise BadInput(why)
                new = rules.resolve_replaces(keys, new)
                write_readable(path, render([*keys, new]))
        except OSError as exc:
            raise BadInput(f"The trusted-keys file {path} cannot be written: {exc.strerror}.") from None
        return new

    # --- the audit ------------------------------------------------------------------------------
    def audit(
        self, record_id: str | None = None, checkpoint: Checkpoint | None = None, *, allow_unsigned: bool = False
    ) -> Audit:
        """Everything `ethicsdesk verify` checks, and the records a checkpoint lists when given. A
        checkpoint counts only when a trusted key signed it, unless `allow_unsigned`."""
        checked, problems = self.integrity.verify(record_id)
        result = Audit(checked, list(problems))
        keys = self.trusted_keys()
        result.trust = self.trust_source() if keys is not None else ""
        with self._reading() as s:
            found = anchors.signatures(s, record_id)
            registered = anchors.registered_keys(s) if record_id is None else {}
            tombs = anchors.tombstones(s) if record_id is None else []
            leftover = {t.record_id for t in tombs if anchors.leftovers(s, t.record_id)}
        seen = [
            SignatureSeen(x["record_id"], x["signer"], x["fingerprint"], x["at"], public_key=x["public_key"])
            for x in found
        ]
        roles = {x["record_id"]: x["role"] for x in found}
        for sig in seen:
            if roles.get(sig.record_id) != "supervisor":
                result.problems.append(
                    Problem(
                        sig.record_id, f"was signed by {sig.signer} as a {roles.get(sig.record_id)}, not a supervisor"
                    )
                )
        result.problems += self._trust_problems(seen, keys)
        result.problems += [Problem(KEYS, t) for t in self._key_problems(keys, registered)]
        result.problems += self._tombstone_problems(tombs, keys, leftover, result)
        counts: dict[tuple[str, str], int] = {}
        for sig in seen:
            counts[(sig.signer, sig.fingerprint)] = counts.get((sig.signer, sig.fingerprint), 0) + 1
        result.signers = [
            SignerLine(
                signer,
                fp,
                n,
                keys is not None and not rules.signature_problems(SignatureSeen("", signer, fp, ""), keys),
            )
            for (signer, fp), n in sorted(counts.items())
        ]
        if checkpoint is not None:
            from ethicsdesk.service.checkpoints import compare_with

            result.checkpoint = compare_with(self.core, checkpoint, keys, result.problems)
            if not allow_unsigned:
                result.problems += self._checkpoint_trust_problems(checkpoint, keys)
        return result

    def _trust_problems(self, seen: list[SignatureSeen], keys: list[TrustedKey] | None) -> list[Problem]:
        out = []
        for sig in seen:
            if not rules.unknown_key(sig, keys):
                out += [Problem(sig.record_id, text) for text in rules.signature_problems(sig, keys or [])]
            elif sig.what == "signature":
                out.append(Problem(sig.record_id, rules.not_trusted_yet(sig), untrusted=True))
            else:
                # a tombstone or a checkpoint stands for what is no longer there to check: an
                # unknown key makes it count for nothing, not merely "not trusted yet"
                out.append(
                    Problem(
                        sig.record_id,
                        f"the {sig.what} by {sig.signer} is signed with key {rules.short(sig.fingerprint)}, which "
                        "this desk does not trust: anyone able to write the database could have made it",
                    )
                )
        return out

    def _checkpoint_trust_problems(self, found: Checkpoint, keys: list[TrustedKey] | None) -> list[Problem]:
        sig = found.signature
        if sig is None:
            return [
                Problem(
                    CHECKPOINT,
                    "the checkpoint is unsigned, so anyone could have made or edited it: have it signed by a "
                    "trusted key, or add --allow-unsigned to compare with it all the same",
                )
            ]
        seen = SignatureSeen(CHECKPOINT, sig["signer"], sig["fingerprint"], found.made_at, "checkpoint")
        if rules.unknown_key(seen, keys):
            return [
                Problem(
                    CHECKPOINT,
                    f"the checkpoint is signed by {sig['signer']} with key {rules.short(sig['fingerprint'])}, which "
                    "this desk does not trust, so anyone could have re-signed it: trust that key if "
                    f"{sig['signer']} confirms it, or add --allow-unsigned to compare with it all the same",
                )
            ]
        return [Problem(CHECKPOINT, text) for text in rules.signature_problems(seen, keys or [])]

    def _key_problems(self, keys: list[TrustedKey] | None, registered: dict[str, list[str]]) -> list[str]:
        problems = rules.rotation_problems(keys or [])
        for user, fps in registered.items():
            if len(fps) < 2:
                continue
            mine = {k.fingerprint for k in keys or [] if rules.same_person(k.name, user)}
            if not set(fps) <= mine:
                listed = ", ".join(rules.short(fp) for fp in fps)
                problems.append(
                    f"{user} has {len(fps)} signing keys in this database ({listed}) and no recorded rotation"
                )
        return problems

    def _tombstone_problems(
        self, tombs: list[anchors.TombstoneRow], keys: list[TrustedKey] | None, leftover: set[str], result: Audit
    ) -> list[Problem]:
        from ethicsdesk.service.signing import fingerprint, signature_holds, tombstone_message

        problems = []
        for t in tombs:
            result.purged.append(PurgedLine(t.record_id, t.purged_by, t.purged_at, t.reason))
            if t.record_id in leftover:
                problems.append(Problem(t.record_id, "has a tombstone, but its events or its row are still there"))
            if not t.signature:
                # one rule on both engines: a PostgreSQL owner can switch off any trigger, so the
                # login the server wrote into a tombstone vouches for nothing by itself
                problems.append(
                    Problem(
                        t.record_id,
                        f"was purged (the tombstone names {t.purged_by}) without a signature: anyone able to "
                        "write the database could have made it",
                    )
                )
                continue
            message = tombstone_message(
                t.record_id, t.event_count, t.head_hash, t.purged_at, t.purged_by, t.reason, t.hashes
            )
            if fingerprint(t.public_key) != t.fingerprint or not signature_holds(t.public_key, t.signature, message):
                problems.append(Problem(t.record_id, f"its tombstone's signature by {t.purged_by} does not verify"))
                continue
            seen = SignatureSeen(t.record_id, t.purged_by, t.fingerprint, t.purged_at, "purge")
            problems += self._trust_problems([seen], keys)
        return problems
