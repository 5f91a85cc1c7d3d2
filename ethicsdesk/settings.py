"""Where ethicsdesk keeps its files and who the user is.

`ETHICSDESK_HOME` puts the database and the config in one directory (tests point it at a temporary
one, so they never touch real data); otherwise the platform's user data and config directories are
used. The database URL comes from `--db`, then `ETHICSDESK_DB`, then the embedded SQLite file.
"""

from __future__ import annotations

import getpass
import json
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

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
    return f"sqlite:///{data_dir() / 'ethicsdesk.db'}"


def database_url(explicit: str | None = None) -> str:
    return explicit or os.environ.get("ETHICSDESK_DB") or default_db_url()


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


def current_user() -> User | None:
    """The user named in the config file, or None before the first run has asked."""
    cfg = read_config()
    user = cfg.get("user")
    if isinstance(user, dict) and isinstance(user.get("name"), str) and user.get("role") in ROLES:
        return User(user["name"], str(user["role"]))
    return None


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


def save_user(user: User) -> None:
    if not user.name.strip():
        raise BadInput("A name is needed so that every change can be attributed.")
    if user.role not in ROLES:
        raise BadInput(f"The role must be one of: {', '.join(ROLES)}.")
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    cfg = {k: v for k, v in read_config().items() if k != "user"}
    # JSON strings are valid TOML basic strings, so json.dumps quotes safely without a TOML writer.
    lines = ["[user]", f"name = {json.dumps(user.name.strip())}", f"role = {json.dumps(user.role)}", ""]
    for key, value in cfg.items():
        if isinstance(value, str | int | float | bool):  # float: idle_lock_minutes may be 2.5
            lines.insert(0, f"{key} = {json.dumps(value)}")
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
