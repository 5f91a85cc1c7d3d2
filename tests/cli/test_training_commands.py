"""`train`, `debrief`, `cohort` and `samples new` through the console entry point (errors become one
sentence and an exit code), on a temporary database."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ethicsdesk.cli import training as training_commands
from ethicsdesk.service import Service
from ethicsdesk.settings import User, save_user
from tests.cli.conftest import Run

SAMPLE = "discharge-against-advice"


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("ETHICSDESK_DB", url)
    return url


@pytest.fixture
def service(db_url: str) -> Iterator[Service]:
    svc = Service.open(db_url, User("Ada Trainee", "case manager"))
    yield svc
    svc.close()


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What the TUI would have been opened with (it is never started here)."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(training_commands, "open_tui", lambda db, **start: calls.append({"db": db, **start}))
    return calls


@pytest.fixture
def attempt(service: Service) -> str:
    rid = service.training.start_training(SAMPLE)
    service.editing.score(rid, "support-return-home", "autonomy", 2)  # the reference's score: agreement 1
    service.editing.score(rid, "seek-override", "autonomy", 2)  # reference -2: agreement 0
    service.editing.decide(rid, "chosen", "support-return-home")
    service.editing.decide(rid, "rationale", "Her <b>choice</b> | *matters*")
    return rid


# --- train ------------------------------------------------------------------------------------------
def test_train_with_an_unknown_sample_exits_1_in_one_sentence(run: Run, opened: list[dict[str, Any]]) -> None:
    code, _, err = run("train", "no-such-sample")
    assert code == 1
    assert err.strip() == "ethicsdesk: There is no sample dilemma 'no-such-sample' (see 'ethicsdesk samples list')."
    assert opened == []


def test_train_opens_the_tui_on_the_sample_or_the_picker(run: Run, opened: list[dict[str, Any]]) -> None:
    assert run("train", SAMPLE)[0] == 0
    assert run("train")[0] == 0
    assert [c["train"] for c in opened] == [SAMPLE, ""]


# --- debrief ----------------------------------------------------------------------------------------
def test_debrief_json(run: Run, attempt: str) -> None:
    code, out, _ = run("debrief", attempt[:6], "--json")
    assert code == 0
    data = json.loads(out)
    assert data["record_id"] == attempt
    assert data["agreement"]["overall"] == round(1 / 28, 4)  # one cell agrees, 26 are unscored
    assert data["agreement"]["cells_scored"] == 2
    assert data["decision"]["same"] is True
    assert data["obligations"]["missed"] == ["capacity", "informed-consent", "decision-documentation"]
    assert len(data["discussion"]) == 5


def test_debrief_as_text(run: Run, attempt: str) -> None:
    code, out, _ = run("debrief", attempt)
    assert code == 0
    assert "Overall (scores)     4%   2 of 28 cells scored (unscored: 0%)" in out
    assert "REFERENCE RATIONALE" in out and "Two competent assessors" in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_debrief_out_writes_escaped_markdown(run: Run, attempt: str, tmp_path: Path) -> None:
    code, out, _ = run("debrief", attempt, "--out", tmp_path)
    path = tmp_path / f"ethicsdesk-debrief-{attempt}.md"
    assert (code, out.strip()) == (0, f"Wrote {path}")
    text = path.read_text(encoding="utf-8")
    assert "## Reference rationale" in text
    assert "Her &lt;b>choice&lt;/b> &#124; \\*matters\\*" in text
    assert "<b>" not in text


def test_debrief_out_json(run: Run, attempt: str, tmp_path: Path) -> None:
    target = tmp_path / "attempt.json"
    assert run("debrief", attempt, "--json", "--out", target)[0] == 0
    assert json.loads(target.read_text(encoding="utf-8"))["record_id"] == attempt


def test_a_case_record_has_no_debrief(run: Run, service: Service) -> None:
    rid = service.editing.create_record("A case")
    code, _, err = run("debrief", rid)
    assert code == 2
    assert "not a training attempt" in err


# --- the trainer's rating ----------------------------------------------------------------------------
RATED = ("--level", "3", "--mark", "question=met", "--mark", "information=partly", "--mark", "analysis=not-met",
         "--mark", "conclusions=met", "--note", "Weigh the daughter's view.")


def test_a_trainer_rates_with_debrief_and_every_format_shows_it(run: Run, attempt: str, tmp_path: Path) -> None:
    save_user(User("Tess Morrow", "trainer"))
    code, out, err = run("debrief", attempt, *RATED)
    assert (code, err) == (0, "")
    assert "FOUR DOMAINS, YOURS/REFERENCE, AND THE TRAINER'S RATING" in out
    assert re.search(r"Ethical analysis +\S+/written +Not met", out)
    assert "Trainer's rating: level 3 of 4, acceptable, by Tess Morrow on" in out
    assert "Note: Weigh the daughter's view." in out
    assert max(len(line) for line in out.splitlines()) <= 80
    data = json.loads(run("debrief", attempt, "--json")[1])  # shown without rating again
    assert (data["rating"]["level"], data["rating"]["rated_by"]) == (3, "Tess Morrow")
    assert [d["rated"] for d in data["domains"]] == ["met", "partly", "not-met", "met"]
    assert run("debrief", attempt, "--out", tmp_path)[0] == 0
    md = (tmp_path / f"ethicsdesk-debrief-{attempt}.md").read_text(encoding="utf-8")
    assert "| Ethical analysis | Partly met | Met | Not met |" in md
    assert "Trainer's rating: level 3 of 4 (acceptable), by Tess Morrow on" in md


def test_cohort_shows_each_trainees_level_in_text_json_and_markdown(
    run: Run, service: Service, attempt: str, tmp_path: Path
) -> None:
    service.user = User("Ben Trainee", "case manager")
    service.training.start_training(SAMPLE)
    save_user(User("Tess Morrow", "trainer"))
    assert run("debrief", attempt, *RATED)[0] == 0
    code, out, _ = run("cohort", SAMPLE)
    assert code == 0
    rows = {line.split()[0]: line for line in out.splitlines() if "Trainee" in line}
    assert rows["Ada"].endswith("  3") and rows["Ben"].endswith("  not rated")
    assert "missed  done  level" in out and max(len(line) for line in out.splitlines()) <= 80
    levels = [(a["trainee"], a["level"]) for a in json.loads(run("cohort", SAMPLE, "--json")[1])["attempts"]]
    assert levels == [("Ada Trainee", 3), ("Ben Trainee", None)]
    assert run("cohort", SAMPLE, "--out", tmp_path)[0] == 0
    md = (tmp_path / f"ethicsdesk-cohort-{SAMPLE}.md").read_text(encoding="utf-8")
    assert "| 1 of 4 | 3 (acceptable) |" in md and "| not rated |" in md


def test_a_case_manager_cannot_rate_one_sentence_exit_2(run: Run, service: Service, attempt: str) -> None:
    save_user(User("Ada Trainee", "case manager"))
    count = service.record(attempt).events
    code, out, err = run("debrief", attempt, *RATED)
    assert (code, out) == (2, "")
    assert err == (
        "ethicsdesk: Only a trainer or a supervisor can rate a training attempt; "
        "you are recorded as a case manager.\n"
    )
    assert service.record(attempt).events == count


def test_a_rating_given_in_part_is_refused_in_one_sentence(run: Run, attempt: str) -> None:
    save_user(User("Tess Morrow", "trainer"))
    code, _, err = run("debrief", attempt, "--mark", "question=met")
    assert (code, err.count("\n")) == (2, 1) and "give its overall level, 1 to 4" in err
    code, _, err = run("debrief", attempt, "--level", "3", "--mark", "question=met")
    assert (code, err.strip()) == (2, "ethicsdesk: A rating marks each of the four domains: "
                                      "question, information, analysis, conclusions.")
    code, _, err = run("debrief", attempt, "--level", "3", "--mark", "question")
    assert code == 2 and "is not DOMAIN=MARK" in err


# --- cohort -----------------------------------------------------------------------------------------
def test_cohort_json_with_several_attempts(run: Run, service: Service, attempt: str) -> None:
    service.user = User("Ben Trainee", "case manager")
    second = service.training.start_training(SAMPLE)
    service.editing.decide(second, "chosen", "hold-for-rehab")
    code, out, _ = run("cohort", SAMPLE, "--json")
    assert code == 0
    data = json.loads(out)
    assert [a["trainee"] for a in data["attempts"]] == ["Ada Trainee", "Ben Trainee"]
    assert {o["key"]: o["chosen_by"] for o in data["options"]}["support-return-home"] == 1
    assert data["obligations"]["missed"][0] == {"id": "capacity", "attempts": 2}


def test_cohort_text_and_file(run: Run, attempt: str, tmp_path: Path) -> None:
    code, out, _ = run("cohort", SAMPLE)
    assert code == 0 and "1 attempt(s)" in out and "OBLIGATIONS MISSED MOST" in out
    code, out, _ = run("cohort", SAMPLE, "--out", tmp_path)
    assert code == 0
    assert (tmp_path / f"ethicsdesk-cohort-{SAMPLE}.md").read_text(encoding="utf-8").startswith("# Cohort: ")


def test_cohort_of_an_unknown_sample_exits_1(run: Run, db_url: str) -> None:
    assert run("db", "init")[0] == 0  # the database exists: a read never makes one
    assert run("cohort", "no-such-sample")[0] == 1


# --- lists ------------------------------------------------------------------------------------------
def test_list_shows_training_attempts_only_when_asked(run: Run, service: Service, attempt: str) -> None:
    case = service.editing.create_record("Rehabilitation refused")
    listed = json.loads(run("list", "--json")[1])
    assert [r["id"] for r in listed] == [case]
    searched = json.loads(run("list", "--search", "rehabilitation", "--json")[1])
    assert [r["id"] for r in searched] == [case]
    assert [r["id"] for r in json.loads(run("list", "--training", "--json")[1])] == [attempt]


# --- samples new ------------------------------------------------------------------------------------
def fill(template: str) -> str:
    """What a trainer does: every placeholder filled, nothing else changed."""
    text = template
    for field, value in (
        ("id", "my-sample"),
        ("title", "A title"),
        ("summary", "A summary."),
        ("chosen", "option-b"),
    ):
        text = text.replace(f'\n{field} = ""\n', f'\n{field} = "{value}"\n', 1)
    text = text.replace('label = ""', 'label = "An option"')
    text = text.replace('facts = """\n"""', 'facts = """\nSome facts.\n"""')
    text = text.replace('rationale = """\n"""', 'rationale = """\nBecause.\n"""')
    return re.sub(r"(?m)^# (\w+) =$", r"\1 = 1", text)


def test_samples_new_writes_a_template_that_validates_once_filled(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "my-sample.toml"
    code, out, _ = run("samples", "new", path)
    assert code == 0 and path.exists()
    template = path.read_text(encoding="utf-8")
    # as written it fails, on a placeholder, naming the file and the line
    code, _, err = run("samples", "validate", path)
    assert code == 2
    id_line = template.splitlines().index('id = ""') + 1
    assert f"{path}, line {id_line}: id:" in err
    path.write_text(fill(template), encoding="utf-8")
    code, out, err = run("samples", "validate", path)
    assert (code, err) == (0, "")
    assert "ok" in out and "my-sample" in out and "reference" in out


def test_the_template_fails_on_the_scores_alone_when_only_they_are_left(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "t.toml"
    run("samples", "new", path)
    filled = fill(path.read_text(encoding="utf-8"))
    # only option-a's autonomy score left as the template has it
    unscored = filled.replace("[reference.scores.option-a]\nautonomy = 1", "[reference.scores.option-a]\n# autonomy =")
    path.write_text(unscored, encoding="utf-8")
    code, _, err = run("samples", "validate", path)
    assert code == 2
    assert "reference.scores.option-a: every principle needs a score; missing: autonomy" in err


def test_samples_new_never_overwrites(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text("keep me", encoding="utf-8")
    code, _, err = run("samples", "new", path)
    assert code == 2
    assert "already exists" in err
    assert path.read_text(encoding="utf-8") == "keep me"
    assert run("samples", "new", tmp_path / "no-folder" / "x.toml")[0] == 2
