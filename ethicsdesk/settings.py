"""Where ethicsdesk keeps its files and who the user is.

`ETHICSDESK_HOME` puts the database and the config in one directory (tests point it at a temporary
one, so they never touch real data); otherwise the platform's user data and config directories are
used. The database URL comes from `--db`, then `ETHICSDESK_DB`, then the embedded SQLite file; a
plain path in either is taken as a SQLite file.
"""

from __future__ import annotations

import getpass
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ethicsdesk.errors import BadInput

ROLES = ("case manager", "supervisor", "trainer")
MAX_CONFIG_BYTES = 1024 * 1024


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
    the store makes no folder for any other path (a typo there is refused
    rather than becoming a new, empty database)."""
    folder = data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise BadInput(f"The data folder {folder} cannot be made: {exc.strerror or exc}.") from None
    return f"sqlite:///{folder / 'ethicsdesk.db'}"


def refuse_empty_db() -> None:
    raise BadInput(
        "--db is given an empty value; give a database URL (sqlite:///path or postgresql+psycopg://…), "
        "or leave --db out to use ETHICSDESK_DB or the default file."
    )


def database_url(explicit: str | None = None) -> str:
    """`--db` (None when it was not given: an empty one is refused, never read as "not given"), then
    ETHICSDESK_DB, then the embedded file."""
    if explicit is not None and not explicit.strip():
        refuse_empty_db()
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
    if not path.is_file():  # a FIFO would block every command; a device, a folder cannot be a config
        raise BadInput(f"The config file {path} is not a regular file; make it a TOML text file.")
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise BadInput(f"The config file {path} cannot be read: {exc.strerror or exc}.") from None
    if len(raw) > MAX_CONFIG_BYTES:
        raise BadInput(f"The config file {path} is larger than 1 MiB; a config file is a few lines of text.")
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")  # a byte-order mark, as some editors save
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BadInput(
            f"The config file {path} is not UTF-8 text (line {line}); save it as UTF-8 in a text editor."
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"The config file {path} cannot be read: {exc}.") from None


def _checked_user(table: object, where: Path) -> User:
    """The [user] table as a User, or one sentence naming the file and the key that is wrong (exit
    2): a typo in `role` is refused with the allowed values, never replaced by the login name."""
    if not isinstance(table, dict):
        raise BadInput(f'user in {where} must be a table, [user] with name = "…" and role = "…", not {_kind(table)}.')
    name, role = table.get("name"), table.get("role")
    if name is None:
        raise BadInput(f"[user] name is missing in {where}: every change is recorded under that name.")
    if not isinstance(name, str):
        raise BadInput(f"[user] name in {where} must be text in quotes, not {_kind(name)}.")
    if not name.strip():
        raise BadInput(f"[user] name in {where} is blank: every change is recorded under that name.")
    if role is None:
        raise BadInput(f"[user] role is missing in {where}; set it to one of: {', '.join(ROLES)}.")
    if role not in ROLES:
        raise BadInput(f"The role {role!r} in {where} is not one of: {', '.join(ROLES)}.")
    return User(name.strip(), str(role))


def _kind(value: object) -> str:
    """What a TOML value is, in a user's words, for a sentence about the wrong kind of value."""
    kinds = {str: "text", bool: "true or false", int: "a number", float: "a number", list: "a list", dict: "a table"}
    return next((f"{kind} ({repr(value)[:60]})" for t, kind in kinds.items() if type(value) is t), "a date or a time")


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
    screen (config.toml `idle_lock_minutes`; 0 turns the lock off)."""
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
        # utf-8-sig: a byte-order mark is read past (read_config accepts one) and not written back
        document = tomlkit.parse(path.read_text(encoding="utf-8-sig")) if path.exists() else tomlkit.document()
    except OSError as exc:
        raise BadInput(f"The config file {path} cannot be read: {exc.strerror or exc}.") from None
    table = document.get("user")
    if not isinstance(table, dict):
        table = tomlkit.table()
        document["user"] = table
    table["name"] = checked.name
    table["role"] = checked.role
    write_atomically(path, tomlkit.dumps(document).encode("utf-8"), replace=True)
