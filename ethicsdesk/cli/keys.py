"""Signing keys: one's own (`keys show`), and the supervisors' keys this desk trusts (`keys trust`,
`keys list`). Also how a command gets the user's key to sign a checkpoint or a purge."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, Optional, overload

import typer

from ethicsdesk.cli.context import DbOption, app, open_service

if TYPE_CHECKING:
    from ethicsdesk.service.signing import SigningKey

keys_app = typer.Typer(help="Your signing key, and the supervisors' keys this desk trusts.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")

OutOption = Annotated[Optional[Path], typer.Option("--out", help="Write it to this file.")]  # noqa: UP045
ForceOption = Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")]


def _at_terminal() -> bool:
    return sys.stdin.isatty() and sys.stderr.isatty()


@overload
def signing_key(user: str, *, create: Literal[True]) -> SigningKey: ...
@overload
def signing_key(user: str, *, create: bool) -> SigningKey | None: ...
def signing_key(user: str, *, create: bool) -> SigningKey | None:
    """The user's key, its passphrase asked at a terminal; made when `create` and there is none.
    None when there is no key and `create` is false."""
    from ethicsdesk.errors import BadInput
    from ethicsdesk.service import signing

    if not signing.has_key(user):
        if not create:
            return None
        passphrase = None
        if _at_terminal():
            passphrase = typer.prompt(
                "A passphrase for your new signing key (empty for none)", default="", hide_input=True,
                confirmation_prompt=True, show_default=False, err=True,
            ) or None  # fmt: skip
        key = signing.create_key(user, passphrase)
        typer.echo(f"Made your signing key at {signing.key_path(user)}.", err=True)
        return key
    if not signing.key_needs_passphrase(user):
        return signing.load_key(user, None)
    if not _at_terminal():
        raise BadInput("Your signing key is protected by a passphrase; run this at a terminal to enter it.")
    return signing.load_key(user, typer.prompt("Passphrase of your signing key", hide_input=True, err=True))


def refuse_to_replace(path: Path, force: bool, database_path: Path | None) -> None:
    """Writing commands never replace a file unless --force, and never the database or its -wal/-shm."""
    from ethicsdesk.errors import BadInput

    if database_path is not None:
        db = database_path.resolve()
        if path.resolve() in {db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")}:
            raise BadInput(f"{path} is the database itself; write to another file.")
    if path.exists() and not force:
        raise BadInput(f"{path} already exists; choose another file or add --force.")
    if not path.parent.is_dir():
        raise BadInput(f"The folder {path.parent} does not exist.")


@keys_app.command("show")
def keys_show(out: OutOption = None, force: ForceOption = False, db: DbOption = None) -> None:
    """Your public signing key and its fingerprint (made now if you have none)."""
    from ethicsdesk.domain.trust import TrustedKey
    from ethicsdesk.service.trusted_keys import render_single, write_readable

    service = open_service(db, reading=True)
    name = service.user.name
    service.close()
    key = signing_key(name, create=True)
    if out is not None:
        refuse_to_replace(out, force, None)
        write_readable(out, render_single(TrustedKey(name, key.public_b64, key.fingerprint)))
    typer.echo(f"Name:        {name}")
    typer.echo(f"Public key:  {key.public_b64}")
    typer.echo(f"Fingerprint: {key.fingerprint}")
    typer.echo(f'To trust it: ethicsdesk keys trust {key.public_b64} --name "{name}"')
    if out is not None:
        typer.echo(f"Wrote the key to {out}: give it to whoever keeps the agency's trusted keys.")


@keys_app.command("trust")
def keys_trust(
    source: Annotated[
        str,
        typer.Argument(metavar="FILE|KEY", help="A key file (keys show --out), a trusted-keys file, or a public key."),
    ],
    name: Annotated[Optional[str], typer.Option("--name", help="Whose key it is (for a KEY).")] = None,  # noqa: UP045
    replaces: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option(
            "--replaces", metavar="FINGERPRINT", help="Record a rotation: the person's key this one replaces."
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Trust a supervisor's key: a signature counts only if its key is trusted."""
    from ethicsdesk.domain.trust import short
    from ethicsdesk.errors import BadInput
    from ethicsdesk.service.trusted_keys import public_key_problem, read_trust_file

    path = Path(source).expanduser()
    if path.exists() or public_key_problem(source.strip()) is not None:  # a base64 key may hold a '/'
        entries = [(k.name, k.public_key, replaces or k.replaces) for k in read_trust_file(path)]
        if name is not None and len(entries) == 1:
            entries = [(name, entries[0][1], entries[0][2])]
    else:
        if not name:
            raise BadInput("Say whose key this is with --name (or give a key file from 'ethicsdesk keys show --out').")
        entries = [(name, source, replaces or "")]
    service = open_service(db)
    trusted = service.trusted_keys() or []
    for who, public_key, replaced in entries:
        same = next((k for k in trusted if k.public_key == public_key.strip()), None)
        if same is not None and same.name.casefold() == who.strip().casefold() and len(entries) > 1:
            typer.echo(f"{who}: key {short(same.fingerprint)} is already trusted.")
            continue
        key = service.trust_key(who, public_key, replaced)
        rotation = f", replacing {short(key.replaces)}" if key.replaces else ""
        typer.echo(f"Trusted key {short(key.fingerprint)} for {key.name}{rotation} ({service.trust_source()}).")


@keys_app.command("list")
def keys_list(db: DbOption = None) -> None:
    """The supervisors' keys this desk trusts, with their rotations."""
    from ethicsdesk.domain.trust import short

    service = open_service(db, reading=True)
    keys = service.trusted_keys()
    if keys is None:
        typer.echo(f"No trusted keys yet ({service.trust_source()}): 'ethicsdesk keys trust' adds one.")
        return
    for k in keys:
        rotation = f"  replaces {short(k.replaces)}" if k.replaces else ""
        typer.echo(f"{short(k.fingerprint)}  {k.name:<24}  added {k.added_at[:10]}{rotation}")
