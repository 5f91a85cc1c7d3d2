"""The whole walk in a real terminal (tmux, 80x24) with the justification typed:
no traceback, every answer saved, `ethicsdesk verify` passes, and `show` and the JSON export hold
the answers.

The terminal is harness.Terminal: tmux on a socket of its own.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from ethicsdesk.domain.checks import JUSTIFICATION_CONDITIONS
from ethicsdesk.service import Service
from ethicsdesk.settings import User, save_user
from tests.conftest import CASE_MANAGER
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

    with terminal(tmp_path, isolated_home, "open", rid, ETHICSDESK_DB=url) as term:

        def wait_for(what: str, shown: str) -> None:
            term.wait_for(what, lambda screen: shown in screen)

        def keys(*k: str, literal: bool = False) -> None:
            term.keys(*k, literal=literal)
            # Tab moves the focus as a binding, acted on once the key has bubbled up to the screen; text
            # typed before that lands in the field being left (seen once under heavy load)
            time.sleep(0.3 if literal else 1.0)

        wait_for("the walk", "Step 1 of 7")
        for n in range(2, 6):  # on to Decide, each step complete enough to pass
            keys("C-n")
            wait_for(f"step {n}", f"Step {n} of 7")
        time.sleep(2.0)  # the step's first field takes the focus after the step is drawn (a loaded machine)
        # from the choice, in the order of tui/steps/decide.py: the rationale, the mitigation, the
        # plan's three parts and the follow-up date, then the justification of the compromise
        for text in BEFORE_JUSTIFICATION:
            keys("Tab")
            keys(text, literal=True)
        answers = [f"Answer {c.id} in my words." for c in JUSTIFICATION_CONDITIONS]
        for text in answers:
            keys("Tab")
            keys(text, literal=True)
            time.sleep(0.8)  # past the autosave pause: a save of each one on its own
            shown = term.screen()
            assert "Traceback" not in shown and "Not saved" not in shown, shown
        keys("C-n")  # leaving the step saves what is pending
        wait_for("step 6", "Step 6 of 7")
        keys("C-q")
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
