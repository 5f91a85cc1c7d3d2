"""The whole walk in a real terminal (tmux, 80x24) with the justification typed:
no traceback, every answer saved, `ethicsdesk verify` passes, and `show` and the JSON export hold
the answers.

The terminal is harness.Terminal: tmux on a socket of its own.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from ethicsdesk.domain.checks import JUSTIFICATION_CONDITIONS
from ethicsdesk.service import Service
from ethicsdesk.settings import User, save_user
from tests.conftest import CASE_MANAGER, sqlite_dump
from tests.tui.harness import ETHICSDESK, terminal

# What the Decide step asks before the justification fields, in its order (tui/steps/decide.py).
BEFORE_JUSTIFICATION = (
    "Least harm; he keeps his home.",
    "A carer calls daily.",
    "The case manager books the carer by Friday.",
    "He and his daughter hear it at home from the case manager.",
    "A fall or a change in his memory.",
    "2027-01-15",
)
BEFORE_JUSTIFICATION_FIELDS = (
    "f-rationale",
    "f-mitigation",
    "f-plan_actions",
    "f-plan_communication",
    "f-plan_revisit",
    "f-follow_up",
)


@pytest.mark.slow
def test_the_walk_with_the_justification_typed_verifies_and_exports(tmp_path: Path, isolated_home: Path) -> None:
    save_user(User(CASE_MANAGER.name, CASE_MANAGER.role))
    url = f"sqlite:///{tmp_path / 'walk.db'}"
    service = Service.open(url, CASE_MANAGER)
    rid = service.editing.create_record("Refuses the care home", case_code="C-7")
    service.editing.set_text(rid, "facts", "Mr K. is 84 and wants to go home.")
    service.editing.set_text(rid, "question", "Given his capacity, is it justifiable to support the return home?")
    stay, home = (
        service.editing.add_option(rid, "Status quo"),
        service.editing.add_option(rid, "Return home with support"),
    )
    for p in service.framework().ids:
        service.editing.score(rid, stay, p, 0)
        service.editing.score(rid, home, p, -1 if p == "nonmaleficence" else 1)  # the choice compromises one
    service.editing.decide(rid, "chosen", home)
    service.close()

    db_file = tmp_path / "walk.db"

    def focused_field() -> tuple[str, str] | None:
        """The step and field the app saved as where the cursor is, read from another connection."""
        with closing(sqlite3.connect(db_file)) as conn:
            row = conn.execute("SELECT step, field FROM cursors WHERE record_id = ?", (rid,)).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

    def saved(text: str) -> bool:
        """Whether the database holds `text`, read from another connection (the app's autosave)."""
        return any(text in statement for statement in sqlite_dump(db_file))

    with terminal(tmp_path, isolated_home, "open", rid, ETHICSDESK_DB=url) as term:

        def wait_for(what: str, shown: str) -> None:
            term.wait_for(what, lambda screen: shown in screen)

        def next_field(field_id: str | None) -> None:
            """Tab, then wait until the focus is on the next field: text typed before the Tab binding
            has acted would land in the field being left (seen under heavy load). A field with an id
            is seen in the saved cursor; an answer field (no id) by the terminal's cursor moving."""
            before = term.cursor()
            term.keys("Tab")
            if field_id is None:
                term.wait_until("the focus on the next answer", lambda: term.cursor() != before)
            else:
                term.wait_until(f"the focus on {field_id}", lambda: focused_field() == ("decide", field_id))

        def type_and_save(text: str) -> None:
            term.keys(text, literal=True)
            term.wait_until(f"{text!r} saved", lambda: saved(text))

        wait_for("the walk", "Step 1 of 7")
        for n in range(2, 6):  # on to Decide, each step complete enough to pass
            term.keys("C-n")
            wait_for(f"step {n}", f"Step {n} of 7")
        # the step's first field takes the focus after the step is drawn: the choice of option
        term.wait_until("the focus on the choice", lambda: focused_field() == ("decide", "chosen"))
        # from the choice, in the order of tui/steps/decide.py: the rationale, the mitigation, the
        # plan's three parts and the follow-up date, then the justification of the compromise
        # (each is saved when the Tab leaves it; the keys reach the app in order, so the text is in its
        # field before that Tab moves on: only a Tab's arrival waits, not a save)
        for field_id, text in zip(BEFORE_JUSTIFICATION_FIELDS, BEFORE_JUSTIFICATION, strict=True):
            next_field(field_id)
            term.keys(text, literal=True)
        answers = [f"Answer {c.id} in my words." for c in JUSTIFICATION_CONDITIONS]
        for text in answers:
            next_field(None)
            type_and_save(text)  # each saved on its own, by the autosave after typing stops
            shown = term.screen()
            assert "Traceback" not in shown and "Not saved" not in shown, shown
        term.keys("C-n")  # leaving the step saves what is pending
        wait_for("step 6", "Step 6 of 7")
        term.keys("C-q")
        assert term.exit_status() == "0", term.screen()

    cli_env = {**os.environ, "ETHICSDESK_DB": url}
    verified = subprocess.run([ETHICSDESK, "verify"], capture_output=True, text=True, env=cli_env, timeout=120)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    printed = subprocess.run([ETHICSDESK, "show", rid], capture_output=True, text=True, env=cli_env, timeout=120)
    assert printed.returncode == 0, printed.stderr
    # show wraps to the width it has (a hyphenated word may break after its hyphen): read it unwrapped
    unwrapped = re.sub(r"-\s+", "-", " ".join(printed.stdout.split()))
    assert [a for a in answers if a not in unwrapped] == [], printed.stdout
    assert [b for b in BEFORE_JUSTIFICATION if b not in unwrapped] == [], printed.stdout
    out = tmp_path / "report.json"
    exported = subprocess.run(
        [ETHICSDESK, "export", rid, "--format", "json", "--out", str(out)],
        capture_output=True,
        text=True,
        env=cli_env,
        timeout=120,
    )
    assert exported.returncode == 0, exported.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    (compromised,) = report["decision"]["compromised"]
    assert compromised["principle"] == "nonmaleficence"
    assert [j["answer"] for j in compromised["justifications"]] == answers
    assert report["decision"]["follow_up"] == "2027-01-15"
    assert report["decision"]["rationale"] == "Least harm; he keeps his home."
