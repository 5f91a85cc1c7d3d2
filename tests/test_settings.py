"""Saving the config never makes it unreadable, and a bad role is refused.

`save_user` wrote the name with json.dumps, whose surrogate-pair escapes for an emoji are not TOML
(every later command failed), dropped every table but [user], and left a fixed `config.tmp` behind;
a typo in `role` was replaced silently by the OS login as a case manager. Now tomlkit edits the
document in place, [user] is checked key by key, and the file is written whole under a private
temporary name.

A config file that is not UTF-8 was once "unexpected error (UnicodeDecodeError…)"
with exit 1, a byte-order mark was refused (dilemma files accept one), and a [user] table that is
wrong in shape spoke pydantic ("The role None in …", "…instance of UserTable", "Value error, …").
Each is now one sentence naming the file and the key, exit 2.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from ethicsdesk.errors import BadInput
from ethicsdesk.settings import User, acting_user, config_path, current_user, save_user
from tests.cli.test_exit_durability import ETHICSDESK


def test_a_name_with_an_emoji_survives_a_save_and_a_read(isolated_home: Path) -> None:
    save_user(User("Zoë 🌻 Okafor", "supervisor"))
    assert current_user() == User("Zoë 🌻 Okafor", "supervisor")
    tomllib.loads(config_path().read_text(encoding="utf-8"))  # valid TOML
    assert [p.name for p in isolated_home.iterdir()] == ["config.toml"]  # no config.tmp left behind
    assert config_path().stat().st_mode & 0o777 == 0o600


def test_other_settings_tables_and_comments_are_kept(isolated_home: Path) -> None:
    config_path().write_text(
        "# set up by the agency's IT desk\n"
        "idle_lock_minutes = 2.5\n"
        'report_paper = "letter"\n'
        "\n"
        "[user]\n"
        'name = "Old Name"\n'
        'role = "case manager"\n'
        'team = "north"  # kept: a key the app does not know\n'
        "\n"
        "[agency]\n"
        'name = "Northside Care"\n'
        "[agency.contacts]\n"
        'ethics = "committee@example.org"\n',
        encoding="utf-8",
    )
    save_user(User("Sam Rivera", "trainer"))
    text = config_path().read_text(encoding="utf-8")
    assert "# set up by the agency's IT desk" in text and "# kept: a key the app does not know" in text
    assert tomllib.loads(text) == {
        "idle_lock_minutes": 2.5,
        "report_paper": "letter",
        "user": {"name": "Sam Rivera", "role": "trainer", "team": "north"},
        "agency": {"name": "Northside Care", "contacts": {"ethics": "committee@example.org"}},
    }


@pytest.mark.parametrize("role", ["supervsior", "Supervisor", "admin", 3])
def test_a_typo_in_role_is_refused_with_the_allowed_values(isolated_home: Path, role: object) -> None:
    value = f'"{role}"' if isinstance(role, str) else str(role)
    config_path().write_text(f'[user]\nname = "Dana Okafor"\nrole = {value}\n', encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        acting_user()  # not the login name as a case manager
    assert caught.value.message == (
        f"The role {role!r} in {config_path()} is not one of: case manager, supervisor, trainer."
    )


def test_an_empty_name_is_refused(isolated_home: Path) -> None:
    config_path().write_text('[user]\nname = "  "\nrole = "trainer"\n', encoding="utf-8")
    blank = f"[user] name in {config_path()} is blank: every change is recorded under that name."
    with pytest.raises(BadInput) as caught:
        current_user()
    assert caught.value.message == blank
    with pytest.raises(BadInput) as caught:
        save_user(User(" ", "trainer"))
    assert caught.value.message == blank


@pytest.mark.parametrize(
    ("content", "sentence"),
    [
        (
            '[user]\nname = "Dana Okafor"\n',
            "[user] role is missing in {path}; set it to one of: case manager, supervisor, trainer.",
        ),
        (
            'user = "bob"\n',
            'user in {path} must be a table, [user] with name = "…" and role = "…", not text (\'bob\').',
        ),
        ("user = 3\n", 'user in {path} must be a table, [user] with name = "…" and role = "…", not a number (3).'),
        ('[user]\nrole = "trainer"\n', "[user] name is missing in {path}: every change is recorded under that name."),
        ('[user]\nname = 7\nrole = "trainer"\n', "[user] name in {path} must be text in quotes, not a number (7)."),
        (
            '[user]\nname = ["Dana"]\nrole = "trainer"\n',
            "[user] name in {path} must be text in quotes, not a list (['Dana']).",
        ),
        (
            '[user]\nname = ""\nrole = "trainer"\n',
            "[user] name in {path} is blank: every change is recorded under that name.",
        ),
    ],
    ids=["no-role", "user-is-text", "user-is-a-number", "no-name", "name-is-a-number", "name-is-a-list", "blank-name"],
)
def test_a_user_table_of_the_wrong_shape_is_one_sentence_naming_file_and_key(
    isolated_home: Path, content: str, sentence: str
) -> None:
    config_path().write_text(content, encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        acting_user()
    assert caught.value.message == sentence.format(path=config_path())
    assert caught.value.exit_code == 2


def test_a_byte_order_mark_is_accepted_as_in_a_dilemma_file(isolated_home: Path) -> None:
    config_path().write_bytes(b'\xef\xbb\xbf[user]\nname = "Dana Okafor"\nrole = "supervisor"\n')
    assert current_user() == User("Dana Okafor", "supervisor")
    save_user(User("Sam Rivera", "trainer"))  # the save keeps reading it
    assert current_user() == User("Sam Rivera", "trainer")


def test_a_config_that_is_not_utf8_is_refused_naming_the_file_and_line(isolated_home: Path) -> None:
    config_path().write_bytes(b'idle_lock_minutes = 5\n[user]\nname = "Dana \xff\xfe"\nrole = "trainer"\n')
    with pytest.raises(BadInput) as caught:
        current_user()
    assert caught.value.message == (
        f"The config file {config_path()} is not UTF-8 text (line 3); save it as UTF-8 in a text editor."
    )


def test_an_unreadable_config_is_refused_not_overwritten(isolated_home: Path) -> None:
    config_path().write_text("this is = = not toml\n", encoding="utf-8")
    with pytest.raises(BadInput, match="cannot be read"):
        save_user(User("Sam Rivera", "trainer"))
    assert config_path().read_text(encoding="utf-8") == "this is = = not toml\n"


def test_the_command_line_refuses_a_bad_role_with_exit_2(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text('[user]\nname = "Dana Okafor"\nrole = "supervsior"\n', encoding="utf-8")
    env = {**os.environ, "ETHICSDESK_HOME": str(home)}
    done = subprocess.run([ETHICSDESK, "list"], capture_output=True, text=True, env=env, timeout=60)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"ethicsdesk: The role 'supervsior' in {home / 'config.toml'} is not one of: "
        "case manager, supervisor, trainer.\n"
    )


@pytest.mark.parametrize("kind", ["folder", "too-large"])
def test_a_config_that_is_not_a_small_regular_file_is_refused_at_once(isolated_home: Path, kind: str) -> None:
    if kind == "folder":
        config_path().mkdir()
        said = "is not a regular file"
    else:
        config_path().write_bytes(b"# " + b"x" * (1024 * 1024) + b"\n")
        said = "is larger than 1 MiB"
    with pytest.raises(BadInput) as caught:
        current_user()
    assert caught.value.message.startswith(f"The config file {config_path()} {said}")


def test_a_config_that_is_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    """In a process of its own, bounded: reading a FIFO waits for a writer forever."""
    home = tmp_path / "home"
    home.mkdir()
    os.mkfifo(home / "config.toml")
    env = {**os.environ, "ETHICSDESK_HOME": str(home), "ETHICSDESK_DEBUG": ""}
    done = subprocess.run([ETHICSDESK, "list"], capture_output=True, text=True, env=env, timeout=60)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"ethicsdesk: The config file {home / 'config.toml'} is not a regular file; make it a TOML text file.\n"
    )


@pytest.mark.parametrize(
    ("raw", "said"),
    [
        (b'[user]\nname = "Dana \xff"\nrole = "trainer"\n', "is not UTF-8 text (line 2)"),
        (b'user = "bob"\n', "user in"),
        (b'[user]\nname = "Dana Okafor"\n', "[user] role is missing in"),
    ],
    ids=["not-utf8", "user-is-text", "no-role"],
)
def test_the_command_line_says_what_is_wrong_with_the_config_with_exit_2(tmp_path: Path, raw: bytes, said: str) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_bytes(raw)
    env = {**os.environ, "ETHICSDESK_HOME": str(home), "ETHICSDESK_DEBUG": ""}
    for _ in range(2):  # the second run is refused alike: nothing was rewritten by the first
        done = subprocess.run([ETHICSDESK, "list"], capture_output=True, text=True, env=env, timeout=60)
        assert (done.returncode, done.stdout) == (2, ""), done.stderr
        assert done.stderr.startswith("ethicsdesk: ") and done.stderr.count("\n") == 1, done.stderr
        assert said in done.stderr and str(home / "config.toml") in done.stderr, done.stderr
        assert "Error" not in done.stderr and "UserTable" not in done.stderr
    assert (home / "config.toml").read_bytes() == raw


SAVER = """
import sys
from ethicsdesk.settings import User, save_user
for i in range(40):
    save_user(User(f"{sys.argv[1]} {i} 🌻", "case manager"))
"""


def test_saves_from_two_processes_while_a_third_reads_never_break_the_file(isolated_home: Path) -> None:
    save_user(User("First Person", "supervisor"))
    env = {**os.environ, "ETHICSDESK_HOME": str(isolated_home)}
    savers = [subprocess.Popen([sys.executable, "-c", SAVER, who], env=env) for who in ("Ana", "Ben")]
    reads = 0
    while any(p.poll() is None for p in savers):
        user = current_user()  # every read finds a whole, valid file
        assert user is not None and user.role in ("supervisor", "case manager")
        reads += 1
    assert [p.wait() for p in savers] == [0, 0]
    assert reads > 0
    final = current_user()
    assert final is not None and final.name in ("Ana 39 🌻", "Ben 39 🌻")
    assert [p.name for p in isolated_home.iterdir()] == ["config.toml"]


# --- where the app offers to write reports ---------------------------------------------------------
def test_the_export_folder_is_the_setting_then_documents_then_home_never_the_current_folder(
    isolated_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ethicsdesk.settings import export_folder

    home = tmp_path / "someone"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert export_folder() == home  # no Documents folder: home, not the current folder
    (home / "Documents").mkdir()
    assert export_folder() == home / "Documents" / "ethicsdesk"
    config_path().write_text('export_folder = "~/case-reports"\n')
    assert export_folder() == home / "case-reports"
    config_path().write_text("export_folder = 3\n")
    with pytest.raises(BadInput, match=r"export_folder in .* must be a folder's path, not 3"):
        export_folder()
