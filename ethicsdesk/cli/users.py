"""The users of a shared database and their roles (a supervisor manages them)."""

from __future__ import annotations

from typing import Annotated

import typer

from ethicsdesk.cli.context import DbOption, JsonOption, app, echo_json, open_service, say

users_app = typer.Typer(help="Users of a shared database and their roles.", no_args_is_help=True)
app.add_typer(users_app, name="users")

RoleArgument = Annotated[str, typer.Option("--role", help="case manager, supervisor or trainer.")]


@users_app.command("list")
def users_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Everyone with a role in this database."""
    entries = open_service(db, reading=True).users.list_users()
    if as_json:
        echo_json(
            [{"name": u.name, "role": u.role, "created_at": u.created_at, "created_by": u.created_by} for u in entries]
        )
        return
    if not entries:
        typer.echo("No users yet: the first 'ethicsdesk users add NAME --role supervisor' sets one up.")
    for u in entries:
        say(f"{u.name:<24}  {u.role:<13}  added {u.created_at[:10]} by {u.created_by}")


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="On PostgreSQL, the person's database login.")],
    role: RoleArgument = "case manager",
    db: DbOption = None,
) -> None:
    """Add a user with a role."""
    entry = open_service(db).users.add_user(name, role)
    say(f"Added {entry.name} as a {entry.role}.")


@users_app.command("role")
def users_role(
    name: Annotated[str, typer.Argument(metavar="NAME")],
    role: Annotated[str, typer.Argument(metavar="ROLE", help="case manager, supervisor or trainer.")],
    db: DbOption = None,
) -> None:
    """Change a user's role."""
    entry = open_service(db).users.set_role(name, role)
    say(f"{entry.name} is now a {entry.role}.")


@users_app.command("history")
def users_history(db: DbOption = None, as_json: JsonOption = False) -> None:
    """Every change of a user or a role, with who made it and when (kept by the PostgreSQL server)."""
    service = open_service(db, reading=True)
    if service.db.is_sqlite:
        typer.echo(
            "On a SQLite desk roles come from each person's config; the server keeps this history on PostgreSQL."
        )
        return
    changes = service.users.role_changes()
    if as_json:
        echo_json([c.__dict__ for c in changes])
        return
    for c in changes:
        what = f"{c.old_role or '(none)'} -> {c.new_role or '(removed)'}"
        say(f"{c.changed_at[:19].replace('T', ' ')}  {c.name:<24}  {what:<30}  by {c.changed_by}")
