"""Retention disposal: a record's content removed, a tombstone kept (who, when, why, its last head).

On SQLite a supervisor purges, on PostgreSQL the administrator role (the server also holds the
purger's login in the tombstone: schema 0005). On both the purger signs the tombstone with their key,
since whoever can write the database (the file's holder, the server's owner) could otherwise write
one to cover a deletion; `verify` accepts a tombstone only with a trusted key's signature. A record
under an open consultation request is refused: someone is waiting on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError

from ethicsdesk.errors import BadInput, DatabaseProblem, NotFound
from ethicsdesk.service.job import Job
from ethicsdesk.store import anchors, eventlog
from ethicsdesk.store.current_state import read_projection
from ethicsdesk.store.engine import describe, first_line

if TYPE_CHECKING:
    from ethicsdesk.domain.checkpoint import Head
    from ethicsdesk.service.signing import SigningKey

MAX_REASON = 500


@dataclass(frozen=True)
class Tombstone:
    record_id: str
    title: str
    events: int
    head_hash: str
    purged_at: str
    purged_by: str
    reason: str
    signed: bool


class Purging(Job):
    def why_not_purge(self) -> str | None:
        """Why this user may not purge records, in one sentence (None: they may)."""
        if self.db.is_sqlite:
            if self.user.role != "supervisor":
                return f"Only a supervisor can purge a record; you are recorded as a {self.user.role}."
            return None
        with self._reading() as s:
            if anchors.is_administrator(s):
                return None
        return (
            f"Only the administrator role ({anchors.ADMIN_ROLE}) can purge a record on {describe(self.db.url)}; "
            f"the login {self.user.name} is not a member of it."
        )

    def purge(self, record_id: str, reason: str, key: SigningKey | None = None) -> Tombstone:
        """Remove the record's content and leave its tombstone, in one transaction."""
        reason, signer_key = self._checked_purge(reason, key)
        try:
            with self.db.writing() as s:
                eventlog.lock_record(s, record_id)
                found = read_projection(s, record_id)
                if found is None:
                    raise NotFound(f"There is no record '{record_id}'.")
                state = found[0]
                open_request = next((c for c in state.consultations if c.state == "requested"), None)
                if open_request is not None:
                    raise BadInput(
                        f"{record_id} has an open consultation request to {open_request.supervisor}; "
                        "answer or withdraw it before the record is purged."
                    )
                head = anchors.chain_heads(s, record_id)[record_id]
                hashes = " ".join(r.hash for r in eventlog.read(s, record_id))
                purged_at = self.clock.now()
                row = {
                    "record_id": record_id,
                    "kind": state.kind,
                    "event_count": head.events,
                    "head_hash": head.head_hash,
                    "purged_at": purged_at,
                    "purged_by": self.user.name,
                    "purged_role": self.user.role if self.db.is_sqlite else "administrator",
                    "reason": reason,
                    "public_key": "",
                    "fingerprint": "",
                    "signature": "",
                    "hashes": hashes,
                }
                row.update(self._signed(signer_key, record_id, head, purged_at, self.user.name, reason, hashes))
                anchors.add_tombstone(s, row)
                anchors.remove_record(s, record_id)
        except DBAPIError as exc:
            if "permission denied" in str(exc.orig):
                raise DatabaseProblem(
                    f"The database refused the purge: the login {self.user.name} may not delete records."
                ) from None
            raise DatabaseProblem(f"The purge could not be saved: {first_line(exc)}.") from None
        return Tombstone(
            record_id,
            state.title,
            head.events,
            head.head_hash,
            purged_at,
            self.user.name,
            reason,
            True,
        )

    def _checked_purge(self, reason: str, key: SigningKey | None) -> tuple[str, SigningKey]:
        """The reason, trimmed, and the key, once the purge may go ahead: a reason given, this user allowed to
        purge, and their own signing key at hand."""
        reason = reason.strip()
        if not reason:
            raise BadInput("Say why the record is purged (--reason), for example the retention rule that applies.")
        if len(reason) > MAX_REASON:
            raise BadInput(f"The reason is longer than {MAX_REASON} characters.")
        problem = self.why_not_purge()
        if problem:
            raise BadInput(problem)
        if key is None:
            raise BadInput("A purge is signed with your signing key; none was given.")
        if key.user != self.user.name:
            raise BadInput("That signing key belongs to someone else.")
        return reason, key

    @staticmethod
    def _signed(
        key: SigningKey, record_id: str, head: Head, purged_at: str, purged_by: str, reason: str, hashes: str
    ) -> dict[str, str]:
        from ethicsdesk.service.signing import tombstone_message

        message = tombstone_message(record_id, head.events, head.head_hash, purged_at, purged_by, reason, hashes)
        return {"public_key": key.public_b64, "fingerprint": key.fingerprint, "signature": key.sign(message)}
