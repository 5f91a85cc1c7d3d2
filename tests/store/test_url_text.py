"""A database URL as messages show it: nothing between `://` and the host, for a
password holding `/`, `?`, `#` or `@` too (SQLAlchemy's own shown form printed those whole, and read
a password's `@` as the end of the credentials, giving the rest to the host the driver names)."""

from __future__ import annotations

import pytest

from ethicsdesk.store.url_text import describe, scrubbed, split_url

# Every piece of these passwords holds "Qz", which no message has of its own.
PASSWORDS = ["Qz1/Qz2", "Qz1?Qz2", "Qz1#Qz2", "Qz1@Qz2", "Qz1/Qz2?Qz3#Qz4@Qz5", "Qz1:Qz2", "Qz1%40Qz2", "Qz1&Qz2"]


@pytest.mark.parametrize("password", PASSWORDS)
def test_no_piece_of_a_password_is_shown_and_the_host_is(password: str) -> None:
    url = f"postgresql+psycopg://ann:{password}@db.example:5432/ethics?sslmode=require"
    shown = describe(url)
    assert shown == "postgresql+psycopg://***@db.example:5432/ethics?sslmode=require"
    assert split_url(url).rest == "db.example:5432/ethics?sslmode=require"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("sqlite:////home/ann/desk@work/ethicsdesk.db", "sqlite:////home/ann/desk@work/ethicsdesk.db"),
        ("sqlite:///relative.db", "sqlite:///relative.db"),
        ("postgresql+psycopg://ann@db.example/ethics", "postgresql+psycopg://***@db.example/ethics"),
        ("postgresql+psycopg://db.example/ethics", "postgresql+psycopg://db.example/ethics"),
        (
            "postgresql+psycopg://db.example/e?sslmode=disable&password=Qz1#Qz2&sslpassword=Qz3",
            "postgresql+psycopg://db.example/e?sslmode=disable&password=***&sslpassword=***",
        ),
        ("postgresql+psycopg://db.example/e?password=Qz1&Qz2", "postgresql+psycopg://db.example/e?password=***&***"),
        ("ann:Qz1/Qz2@db.example/ethics", "***@db.example/ethics"),  # no scheme: still no credentials
        ("::not a url::", "::not a url::"),
        ("postgresql+psycopg://ann:Qz1@db.example:bad/ethics", "postgresql+psycopg://***@db.example:bad/ethics"),
    ],
)
def test_the_shown_form(url: str, shown: str) -> None:
    assert describe(url) == shown


def test_two_urls_that_differ_only_in_the_password_show_alike_and_neither_password() -> None:
    one, two = (f"postgresql+psycopg://ann:{pw}@db.example/ethics" for pw in ("Qz1/a", "Qz2@b"))
    assert describe(one) == describe(two) == "postgresql+psycopg://***@db.example/ethics"


def test_the_credentials_are_what_stands_before_the_last_at() -> None:
    split = split_url("postgresql+psycopg://ann%2Bx:Qz1/Qz2?Qz3#Qz4@Qz5%21@127.0.0.1:5432/ethics")
    assert (split.username, split.password) == ("ann+x", "Qz1/Qz2?Qz3#Qz4@Qz5!")
    assert split.rest == "127.0.0.1:5432/ethics"
    assert split_url("postgresql+psycopg://ann@h/e").password is None


def test_a_drivers_message_loses_any_secret_it_quotes() -> None:
    url = "postgresql+psycopg://ann:Qz1/Qz2@Qz3@h/e?password=Qz4Qz4"
    message = "failed to resolve host 'Qz3@h', password Qz1/Qz2@Qz3 and Qz4Qz4"
    assert "Qz" not in scrubbed(message, url)
    assert scrubbed("connection refused", url) == "connection refused"
