"""What anchors the records beyond the database: `checkpoint`, `purge`, and the full report that
`verify` prints (signers and their fingerprints, purged records, the comparison with a checkpoint)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ethicsdesk.cli.context import DbOption, app, open_service
from ethicsdesk.cli.keys import ForceOption, OutOption, signing_key

if TYPE_CHECKING:
    from ethicsdesk.service import Service


@app.command("checkpoint")
def checkpoint(out: OutOption = None, force: ForceOption = False, db: DbOption = None) -> None:
    """Every record's event count and head hash, with one digest over them: keep it off this host."""
    from ethicsdesk.domain.checkpoint import to_json
    from ethicsdesk.domain.trust import short
    from ethicsdesk.errors import BadInput

    service = open_service(db, reading=True)
    if out is not None:
        service.check_file(out, force=force)  # before the passphrase is asked
    try:
        key = signing_key(service.user.name, create=False)
    except BadInput as exc:
        typer.echo(f"warning: {exc.message} The checkpoint is not signed.", err=True)
        key = None
    made = service.checkpoints.make_checkpoint(key)
    text = to_json(made)
    signed = (
        f", signed with key {short(key.fingerprint)}" if key is not None else ", unsigned (you have no signing key)"
    )
    summary = (
        f"Checkpoint of {len(made.records)} record(s) and {len(made.purged)} purged, digest {made.digest[:16]}{signed}."
    )
    if out is None:
        typer.echo(text, nl=False)
        typer.echo(summary, err=True)
        return
    service.write_file(out, text.encode("utf-8"), force=force, mode=0o644)  # for others to keep and read
    typer.echo(f"Wrote {out}: {summary[0].lower()}{summary[1:]} Keep a copy outside this database's host.")


@app.command("purge")
def purge(
    record_id: Annotated[str, typer.Argument(metavar="ID")],
    reason: Annotated[str, typer.Option("--reason", help="Why, for example the retention rule that applies.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask to confirm.")] = False,
    db: DbOption = None,
) -> None:
    """Dispose of a record on a retention schedule: its content is removed, a tombstone is kept."""
    from ethicsdesk.domain.trust import short
    from ethicsdesk.errors import BadInput

    service = open_service(db)
    rid = service.resolve(record_id)
    problem = service.purging.why_not_purge()
    if problem:
        raise BadInput(problem)
    if not reason.strip():
        raise BadInput("Say why the record is purged (--reason), for example the retention rule that applies.")
    summary = service.summary(rid)
    if not yes:
        if not (sys.stdin.isatty() and sys.stderr.isatty()):
            raise BadInput("A purge cannot be undone: add --yes to confirm it when not at a terminal.")
        question = (
            f"Purge {rid} ({summary.title or 'untitled'}, {summary.events} events)? Its content is removed for good"
        )
        if not typer.confirm(question, default=False, err=True):
            typer.echo("Nothing was purged.", err=True)
            raise typer.Exit(1)
    # the purger's signature is what vouches for the tombstone on either engine: whoever can write the
    # database could otherwise write one to cover a deletion
    key = signing_key(service.user.name, create=True)
    done = service.purging.purge(rid, reason, key)
    signed = f", signed with key {short(key.fingerprint)}"
    kept = f"its tombstone keeps head {done.head_hash[:16]}{signed}"
    typer.echo(f"Purged {done.record_id}: {done.events} events removed; {kept}.")


UNTRUSTED_ONLY = 3  # every chain and signature holds; some sign-off's key is not trusted here yet


def print_audit(
    service: Service, record_id: str | None, checkpoint_file: Path | None, *, allow_unsigned: bool = False
) -> None:
    """Run the full audit and print it (what `ethicsdesk verify` does): exit 1 if anything is wrong,
    3 if the only thing wrong is sign-offs by keys this desk does not trust yet."""
    from ethicsdesk.domain.trust import short
    from ethicsdesk.service.trust import CHECKPOINT, KEYS

    found = service.checkpoints.read_checkpoint(checkpoint_file) if checkpoint_file is not None else None
    audit = service.trust.audit(record_id, found, allow_unsigned=allow_unsigned)
    for s in audit.signers:
        state = "trusted" if s.trusted else "not trusted here yet"
        typer.echo(f"Signed by {s.signer} with key {short(s.fingerprint)} ({state}): {s.records} record(s).")
    if audit.signers:
        typer.echo(f"Keys checked against {audit.trust}." if audit.trust else "No trusted keys are set up.")
    for gone in audit.purged:
        typer.echo(f"Purged: {gone.record_id} by {gone.purged_by} on {gone.purged_at[:10]} ({gone.reason}).")
    c = audit.checkpoint
    if c is not None:
        who = f"signed by {c.signed_by} with key {short(c.fingerprint)}" if c.signed_by else "unsigned"
        trust = "" if not c.signed_by else (" (trusted)" if c.trusted else " (NOT TRUSTED)")
        typer.echo(
            f"Checkpoint of {c.made_at[:19].replace('T', ' ')} by {c.made_by}, {who}{trust}: "
            f"{c.unchanged} record(s) as they were, {c.grown} grown since, {c.new} new."
        )
    if not audit.problems:
        typer.echo(f"Verified {audit.checked} record(s): every chain holds and every record matches its events.")
        return
    for p in audit.problems:
        typer.echo(f"{p.record_id}: {p.text}", err=True)
    if all(p.untrusted for p in audit.problems):
        waiting = sorted({p.record_id for p in audit.problems})
        typer.echo(
            f"Every chain and signature holds; {len(waiting)} record(s) are signed with a key this desk does not "
            f"trust yet: {', '.join(waiting)}.",
            err=True,
        )
        raise typer.Exit(UNTRUSTED_ONLY)
    broken = sorted({p.record_id for p in audit.problems if not p.untrusted} - {KEYS, CHECKPOINT})
    if broken:
        typer.echo(f"{len(broken)} of {audit.checked} record(s) failed verification: {', '.join(broken)}.", err=True)
    if KEYS in audit.broken:
        typer.echo("The signing keys do not hold: see above.", err=True)
    if CHECKPOINT in audit.broken:
        typer.echo("The checkpoint does not count as evidence: see above.", err=True)
    raise typer.Exit(1)
