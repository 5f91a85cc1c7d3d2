"""Signing keys: one's own (`keys show`), and the supervisors' keys this desk trusts (`keys trust`,
`keys list`). Also how a command gets the user's key to sign a checkpoint or a purge."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal, overload

import typer

from ethicsdesk.cli.context import DbOption, app, open_service

if TYPE_CHECKING:
    from ethicsdesk.service import Service
    from ethicsdesk.service.signing import SigningKey

keys_app = typer.Typer(help="Your signing key, and the supervisors' keys this desk trusts.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")

OutOption = Annotated[Path | None, typer.Option("--out", help="Write it to this file.")]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace an existing file (never the database, a device or a folder).")
]


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


@keys_app.command("show")
def keys_show(out: OutOption = None, force: ForceOption = False, db: DbOption = None) -> None:
    """Your public signing key and its fingerprint: never makes a key, never asks your passphrase."""
    from ethicsdesk.errors import BadInput
    from ethicsdesk.service import signing

    service = open_service(db, reading=True)
    name = service.user.name
    if out is not None:
        service.check_file(out, force=force)
    public = signing.stored_public_key(name)
    if public is None:
        raise BadInput(
            f"Your signing key at {signing.key_path(name)} was made before its public half was kept beside it, "
            "and is protected by a passphrase: run 'ethicsdesk keys publish' at a terminal once to store it."
        )
    _print_public(service, name, public, out, force)


def _print_public(service: Service, name: str, public: str, out: Path | None, force: bool) -> None:
    from ethicsdesk.domain.trust import TrustedKey
    from ethicsdesk.service.signing import fingerprint
    from ethicsdesk.service.trusted_keys import render_single

    if out is not None:
        text = render_single(TrustedKey(name, public, fingerprint(public)))
        service.write_file(out, text.encode("utf-8"), force=force, mode=0o644)  # a public key, for others
    typer.echo(f"Name:        {name}")
    typer.echo(f"Public key:  {public}")
    typer.echo(f"Fingerprint: {fingerprint(public)}")
    typer.echo(f'To trust it: ethicsdesk keys trust {public} --name "{name}"')
    if out is not None:
        typer.echo(f"Wrote the key to {out}: give it to whoever keeps the agency's trusted keys.")


@keys_app.command("new")
def keys_new(out: OutOption = None, force: ForceOption = False, db: DbOption = None) -> None:
    """Make your signing key now (it is otherwise made the first time you sign) and show it."""
    from ethicsdesk.errors import BadInput
    from ethicsdesk.service import signing

    service = open_service(db, reading=True)
    name = service.user.name
    if signing.has_key(name):
        raise BadInput(f"You already have a signing key at {signing.key_path(name)}: 'ethicsdesk keys show' shows it.")
    if out is not None:
        service.check_file(out, force=force)  # before a key is made or its passphrase asked
    key = signing_key(name, create=True)
    _print_public(service, name, key.public_b64, out, force)


@keys_app.command("publish")
def keys_publish(db: DbOption = None) -> None:
    """Store the public half of a key made by an older version beside it (asks its passphrase once)."""
    from ethicsdesk.service import signing

    service = open_service(db, reading=True)
    name = service.user.name
    service.close()
    key = signing_key(name, create=False)
    if key is None:
        from ethicsdesk.errors import BadInput

        raise BadInput(f"{name} has no signing key yet; one is made the first time you sign (or: ethicsdesk keys new).")
    typer.echo(f"The public half of your key is at {signing.public_path(name)}: 'ethicsdesk keys show' shows it.")


@keys_app.command("trust")
def keys_trust(
    source: Annotated[
        str,
        typer.Argument(metavar="FILE|KEY", help="A key file (keys show --out), a trusted-keys file, or a public key."),
    ],
    name: Annotated[str | None, typer.Option("--name", help="Whose key it is (for a KEY).")] = None,
    replaces: Annotated[
        str | None,
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
    trusted = service.trust.trusted_keys() or []
    for who, public_key, replaced in entries:
        same = next((k for k in trusted if k.public_key == public_key.strip()), None)
        if same is not None and same.name.casefold() == who.strip().casefold() and len(entries) > 1:
            typer.echo(f"{who}: key {short(same.fingerprint)} is already trusted.")
            continue
        key = service.trust.trust_key(who, public_key, replaced)
        rotation = f", replacing {short(key.replaces)}" if key.replaces else ""
        typer.echo(f"Trusted key {short(key.fingerprint)} for {key.name}{rotation} ({service.trust.trust_source()}).")


@keys_app.command("list")
def keys_list(db: DbOption = None) -> None:
    """The supervisors' keys this desk trusts, with their rotations."""
    from ethicsdesk.domain.trust import short

    service = open_service(db, reading=True)
    keys = service.trust.trusted_keys()
    if keys is None:
        typer.echo(f"No trusted keys yet ({service.trust.trust_source()}): 'ethicsdesk keys trust' adds one.")
        return
    for k in keys:
        rotation = f"  replaces {short(k.replaces)}" if k.replaces else ""
        typer.echo(f"{short(k.fingerprint)}  {k.name:<24}  added {k.added_at[:10]}{rotation}")
