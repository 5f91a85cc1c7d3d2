"""`db encrypt` and `db decrypt`: SQLCipher encryption at rest for the SQLite file.

The work is the service's (service/encryption.py, over store/encrypt_in_place.py); this module finds
the passphrase and reports.
"""

from __future__ import annotations

import os

import typer

from ethicsdesk.cli.context import DbOption, db_app


def _new_passphrase(path: str) -> str:
    """The passphrase to encrypt with: ETHICSDESK_PASSPHRASE, else asked twice on a terminal."""
    import sys

    from ethicsdesk.errors import BadInput
    from ethicsdesk.service.encryption import PASSPHRASE_ENV

    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise BadInput(f"Give the new passphrase: run this in a terminal, or set {PASSPHRASE_ENV}.")
    try:
        return str(typer.prompt(f"New passphrase for {path}", hide_input=True, confirmation_prompt=True, err=True))
    except (EOFError, typer.Abort):
        raise BadInput("No passphrase was given; nothing was changed.") from None


@db_app.command("encrypt")
def db_encrypt(db: DbOption = None) -> None:
    """Encrypt the SQLite file in place with a passphrase (needs the 'encryption' extra).

    Close ethicsdesk everywhere first. The file is replaced only once an encrypted copy has passed
    `verify`; keep the passphrase safe: without it the records cannot be read by anyone.
    """
    from ethicsdesk.service.encryption import encrypt_in_place, file_to_convert
    from ethicsdesk.settings import acting_user, database_url

    url = database_url(db)
    path = file_to_convert(url, "encrypt")  # refuse before asking for anything
    done = encrypt_in_place(url, _new_passphrase(str(path)), acting_user())
    typer.echo(f"Encrypted {done.path} ({done.records} record(s) verified).")
    if done.plaintext_leftovers:
        names = ", ".join(str(p) for p in done.plaintext_leftovers)
        typer.echo(f"Earlier backups next to it are not encrypted; delete them or keep them safe: {names}.", err=True)


@db_app.command("decrypt")
def db_decrypt(db: DbOption = None) -> None:
    """Turn an encrypted SQLite file back into a plain one, in place (close ethicsdesk elsewhere first)."""
    from ethicsdesk.service.encryption import decrypt_in_place
    from ethicsdesk.settings import acting_user, database_url

    done = decrypt_in_place(database_url(db), acting_user())
    typer.echo(f"Decrypted {done.path} ({done.records} record(s) verified); it is now readable without a passphrase.")
