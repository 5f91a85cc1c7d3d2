"""Where ethicsdesk keeps its files and who the user is.

`ETHICSDESK_HOME` puts the database and the config in one directory (tests point it at a temporary
one, so they never touch real data); otherwise the platform's user data and config directories are
used. The database URL comes from `--db`, then `ETHICSDESK_DB`, then the embedded SQLite file; a
plain path in either is taken as a SQLite file.
"""

from __future__ import annotations

import functools
import getpass
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ethicsdesk.errors import BadInput

ROLES = ("case manager", "supervisor", "trainer")


def data_dir() -> Path:
    home = os.environ.get("ETHICSDESK_HOME")
    if home:
        return Path(home)
    import platformdirs

    return Path(platformdirs.user_data_dir("ethicsdesk", appauthor=False))


def config_dir() -> Path:
    home = os.environ.get("ETHICSDESK_HOME")
    if home:
        return Path(home)
    import platformdirs

    return Path(platformdirs.user_config_dir("ethicsdesk", appauthor=False))


def config_path() -> Path:
    return config_dir() / "config.toml"


def default_db_url() -> str:
    """The embedded file in the user's data folder, which is made (private) if it is not there yet;
    the store makes no folder for any other path (a typo there is refused, issue 13)."""
    folder = data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise BadInput(f"The data folder {folder} cannot be made: {exc.strerror or exc}.") from None
    return f"sqlite:///{folder / 'ethicsdesk.db'}"


def database_url(explicit: str | None = None) -> str:
    given = explicit or os.environ.get("ETHICSDESK_DB")
    return as_database_url(given) if given else default_db_url()


def is_default_database(explicit: str | None = None) -> bool:
    """Whether the database is the embedded default file (neither --db nor ETHICSDESK_DB names one):
    the only one a read may create, on first use."""
    return not (explicit or os.environ.get("ETHICSDESK_DB"))


def as_database_url(value: str) -> str:
    """A URL as it is, or a plain path (`/srv/desk.db`, `~/desk.db`, `desk.db`) as its SQLite file's
    URL: people write a file's path where a URL is asked for."""
    if "://" in value or value.startswith("sqlite:"):
        return value
    return f"sqlite:///{Path(value).expanduser().absolute()}"


@dataclass(frozen=True)
class User:
    name: str
    role: str


def read_config() -> dict[str, object]:
    path = config_path()
    if not path.exists():
        return {}
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise BadInput(f"The config file {path} cannot be read: {exc}.") from None


@functools.cache
def _user_table_model() -> Any:
    """The pydantic model of the config's [user] table (built on first use: importing pydantic costs
    about 250 ms, which the TUI's first paint should not wait for). Other keys in the table, and
    other tables in the file, are left alone."""
    from pydantic import BaseModel, ConfigDict, field_validator

    class UserTable(BaseModel):
        model_config = ConfigDict(extra="allow")
        name: str
        role: Literal["case manager", "supervisor", "trainer"]  # ROLES

        @field_validator("name")
        @classmethod
        def _named(cls, value: str) -> str:
            if not value.strip():
                raise ValueError("a name is needed so that every change can be attributed")
            return value.strip()

    return UserTable


def _checked_user(table: object, where: Path) -> User:
    """The [user] table as a User, or one sentence naming what is wrong (exit 2): a typo in `role`
    is refused with the allowed values, never replaced by the login name (issue 13)."""
    named = isinstance(table, dict) and isinstance(table.get("name"), str) and table["name"].strip()
    if named and isinstance(table, dict) and table.get("role") in ROLES:
        return User(table["name"].strip(), str(table["role"]))  # plainly valid: the model agrees, no pydantic
    from pydantic import ValidationError

    try:
        valid = _user_table_model().model_validate(table)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "user"
        if field == "role":
            got = table.get("role") if isinstance(table, dict) else None
            raise BadInput(f"The role {got!r} in {where} is not one of: {', '.join(ROLES)}.") from None
        raise BadInput(f"[user] {field} in {where} is not valid: {error['msg']}.") from None
    return User(valid.name, valid.role)


def current_user() -> User | None:
    """The user named in the config file, or None before the first run has asked."""
    user = read_config().get("user")
    return None if user is None else _checked_user(user, config_path())


def acting_user() -> User:
    """Who events are recorded as: the configured user, or the login name as a case manager."""
    return current_user() or User(getpass.getuser(), "case manager")


DEFAULT_IDLE_LOCK_MINUTES = 10.0


def idle_lock_minutes() -> float:
    """Minutes without a key or a mouse event before the TUI hides the record behind its lock
    screen (config.toml `idle_lock_minutes`; 0 turns the lock off). Issue 8."""
    value = read_config().get("idle_lock_minutes", DEFAULT_IDLE_LOCK_MINUTES)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 24 * 60:
        raise BadInput(
            f"idle_lock_minutes in {config_path()} must be a number of minutes from 0 (no lock) to 1440, not {value!r}."
        )
    return float(value)


def export_folder() -> Path:
    """The folder the app offers for reports and debriefs: `export_folder` in config.toml, else
    Documents/ethicsdesk when the user has a Documents folder, else the home folder; never the
    folder the app was started in (a git checkout, say), where a report is easily committed."""
    value = read_config().get("export_folder")
    if value is not None:
        if not isinstance(value, str) or not value.strip():
            raise BadInput(f"export_folder in {config_path()} must be a folder's path, not {value!r}.")
        return Path(value.strip()).expanduser().absolute()
    import platformdirs

    documents = Path(platformdirs.user_documents_dir())
    home = Path.home()
    return documents / "ethicsdesk" if documents.is_dir() and documents != home else home


def save_user(user: User) -> None:
    """Write [user] into the config file, keeping every other setting, table and comment in it
    (tomlkit edits the document rather than rewriting it); written whole or not at all."""
    import tomlkit

    from ethicsdesk.store.durable_files import write_atomically

    path = config_path()
    checked = _checked_user({"name": user.name, "role": user.role}, path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    read_config()  # an unreadable file is refused here rather than overwritten
    try:
        document = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
    except OSError as exc:
        raise BadInput(f"The config file {path} cannot be read: {exc.strerror or exc}.") from None
    table = document.get("user")
    if not isinstance(table, dict):
        table = tomlkit.table()
        document["user"] = table
    table["name"] = checked.name
    table["role"] = checked.role
    write_atomically(path, tomlkit.dumps(document).encode("utf-8"), replace=True)
