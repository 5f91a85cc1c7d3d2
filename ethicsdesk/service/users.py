"""Who may do what on a shared database: a users table that a supervisor manages.

On PostgreSQL people are identified by their database login and their role comes from this table;
on a single user's SQLite file the role comes from the config file. While the table is empty anyone
may add the first user (that is how an agency's first supervisor is set up).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from dataclasses import dataclass

from sqlmodel import Session

from ethicsdesk.errors import BadInput, DatabaseProblem, NotFound
from ethicsdesk.service.job import Job
from ethicsdesk.settings import ROLES, User
from ethicsdesk.store import users
from ethicsdesk.store.engine import describe


@dataclass(frozen=True)
class UserEntry:
    name: str
    role: str
    created_at: str
    created_by: str


@dataclass(frozen=True)
class RoleChange:
    name: str
    old_role: str
    new_role: str
    changed_by: str
    changed_at: str


class Users(Job):
    def _managing(self) -> AbstractContextManager[Session]:
        """A write to `users`; on PostgreSQL only the administrator role may make one."""
        return self._administering(
            f"Only the administrator role manages users on {describe(self.db.url)}; "
            f"the login {self.user.name} is not a member of it.",
            "The change of users could not be saved",
        )

    def role_changes(self) -> list[RoleChange]:
        """Every change to users on PostgreSQL, as the server's trigger recorded it (who, when)."""
        from ethicsdesk.store.anchors import role_changes

        with self._reading() as s:
            return [RoleChange(r.name, r.old_role, r.new_role, r.changed_by, r.changed_at) for r in role_changes(s)]

    def list_users(self) -> list[UserEntry]:
        with self._reading() as s:
            return [UserEntry(r.name, r.role, r.created_at, r.created_by) for r in users.every_user(s)]

    def _may_manage(self, s: Session) -> None:
        """Inside the writing transaction, after `_lock_users`: while there is no user anyone may add
        the first; after that only a supervisor. On PostgreSQL the role is the table's for the login,
        read now (the role found at start-up may be a first-user guess that another login has since
        overtaken); on a SQLite file it is the config's."""
        if not users.count(s):
            return
        role: str | None = self.user.role
        if not self.db.is_sqlite:
            row = users.user(s, users.current_login(s))
            role = row.role if row is not None else None
        if role != "supervisor":
            who = f"recorded as a {role}" if role else "not a user of this database"
            raise BadInput(f"Only a supervisor manages users; you are {who}.")

    def _lock_users(self, s: Session) -> None:
        """Who may manage users and the change itself are decided in one transaction (otherwise two
        logins could both become the first supervisor). SQLite's BEGIN IMMEDIATE already serialises
        writers; PostgreSQL takes a transaction-scoped advisory lock."""
        if not self.db.is_sqlite:
            users.lock_changes(s)

    def add_user(self, name: str, role: str) -> UserEntry:
        name = name.strip()
        if not name:
            raise BadInput("A user needs a name (on PostgreSQL, their database login).")
        if role not in ROLES:
            raise BadInput(f"The role must be one of: {', '.join(ROLES)}.")
        at = self.clock.now()
        with self._managing() as s:
            self._lock_users(s)
            self._may_manage(s)
            if users.user(s, name) is not None:
                raise BadInput(f"{name} is already a user; change a role with 'ethicsdesk users role'.")
            users.add(s, name, role, at, self.user.name)
        return UserEntry(name, role, at, self.user.name)

    def set_role(self, name: str, role: str) -> UserEntry:
        if role not in ROLES:
            raise BadInput(f"The role must be one of: {', '.join(ROLES)}.")
        with self._managing() as s:
            self._lock_users(s)
            self._may_manage(s)
            row = users.user(s, name)
            if row is None:
                raise NotFound(f"{name} is not a user of this database (see 'ethicsdesk users list').")
            users.set_role(row, role, self.clock.now(), self.user.name)
            return UserEntry(row.name, row.role, row.created_at, row.created_by)

    def identify(self, fallback: User) -> User:
        """The acting user: the server login and its role on PostgreSQL, else `fallback` (the config)."""
        if self.db.is_sqlite:
            return fallback
        with self._reading() as s:
            # the login itself, which the server's triggers hold events to (a SET ROLE does not change it)
            login = users.session_login(s)
            count = users.count(s)
            row = users.user(s, login)
        if row is not None:
            return User(login, row.role)
        if count == 0:
            return User(login, fallback.role)  # setting up: the first user adds the others
        raise DatabaseProblem(
            f"The login '{login}' is not a user of {describe(self.db.url)}; "
            f"ask a supervisor to run: ethicsdesk users add {login} --role 'case manager'."
        )
