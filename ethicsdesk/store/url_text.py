"""A database URL as messages show it, and as the driver is given it, built here rather than by
SQLAlchemy, whose shown form gives a password away.

SQLAlchemy reads the password of `user:pass@host` up to the first `@`, so a password holding an
unencoded `@` becomes part of the host (which the driver then names in its error), and its
`hide_password` form leaves a password holding `/`, `?` or `#` in view. Here the credentials are
everything between `://` and the LAST `@` (what a person typing an unencoded password means), and
the shown form never holds any of it: a message names the scheme, host, port, database and the
query's harmless parameters, and `***@` where credentials were given.

No SQLAlchemy import: the light commands and the command line's own checks use this too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

HIDDEN = "***"
# A query parameter whose value is a secret: ?password= or ?sslpassword= (libpq takes either), a token.
_SECRET_KEY = re.compile(r"(?i)pass|secret|token|key")


@dataclass(frozen=True)
class SplitUrl:
    """A URL cut at `://` and at the last `@` of what follows: `credentials` is None when none were given."""

    scheme: str  # with its `://`, or "" for text that is no URL
    credentials: str | None
    rest: str  # host, port, database and query

    @property
    def username(self) -> str:
        return unquote((self.credentials or "").partition(":")[0])

    @property
    def password(self) -> str | None:
        _user, colon, password = (self.credentials or "").partition(":")
        return unquote(password) if colon else None


def split_url(url: str) -> SplitUrl:
    scheme, sep, after = url.partition("://")
    if not sep:
        scheme, after = "", url
    else:
        scheme += sep
    if after.startswith("/") or "@" not in after:  # sqlite:///path: no host, so no credentials
        return SplitUrl(scheme, None, after)
    credentials, _at, rest = after.rpartition("@")
    return SplitUrl(scheme, credentials, rest)


def _shown_query(query: str) -> str:
    shown = []
    for parameter in query.split("&"):
        key, eq, _value = parameter.partition("=")
        if not eq:  # not key=value: perhaps the tail of a secret holding an `&`
            shown.append(HIDDEN)
        elif _SECRET_KEY.search(key):
            shown.append(f"{key}={HIDDEN}")
        else:
            shown.append(parameter)
    return "&".join(shown)


def describe(url: str) -> str:
    """The URL for a message (also one that does not parse): nothing between `://` and the host,
    and no secret of the query. Two URLs that differ only there describe alike (see `same_shown`)."""
    split = split_url(url)
    place, question, query = split.rest.partition("?")
    shown = split.scheme + (f"{HIDDEN}@" if split.credentials is not None else "") + place
    return shown + (question + _shown_query(query) if question else "")


def scrubbed(text: str, url: str) -> str:
    """A driver's message with the URL's secrets taken out, should it quote one."""
    split = split_url(url)
    password = split.password or ""
    # each piece between `@`s too: what a parser that stops at the first `@` would take for the host
    secrets = [split.credentials or "", password, *password.split("@")]
    secrets += re.findall(r"(?i)[?&][^=&]*(?:pass|secret|token|key)[^=&]*=([^&]*)", split.rest)
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) >= 3:  # a shorter one would blot out ordinary words of the message
            text = text.replace(secret, HIDDEN)
    return text
