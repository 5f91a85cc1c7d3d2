"""The training screens at 80x24, pushed directly onto the app over records prepared through the
service: the debrief, the cohort view and the sample picker."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from ethicsdesk.service import Service
from ethicsdesk.settings import User
from ethicsdesk.tui.screens.cohort import CohortScreen
from ethicsdesk.tui.screens.debrief import DebriefScreen
from ethicsdesk.tui.screens.sample_picker import SamplePickerScreen
from tests.conftest import DILEMMAS
from tests.tui.harness import at_home, make_app, notices, wait_until

SIZE = (80, 24)
SAMPLE = "discharge-against-advice"


@pytest.fixture
def attempt(service: Service) -> str:
    """Two of 28 cells scored (one as the reference does, one opposite), the reference's choice."""
    rid = service.training.start_training(SAMPLE)
    service.editing.score(rid, "support-return-home", "autonomy", 2)  # reference +2: agreement 1
    service.editing.score(rid, "seek-override", "autonomy", 2)  # reference -2: agreement 0
    service.editing.set_obligation(rid, "capacity", True)
    service.editing.decide(rid, "chosen", "support-return-home")
    return rid


def shown(screen: object, selector: str) -> str:
    return str(screen.query_one(selector, Static).content)  # type: ignore[attr-defined]


async def test_the_debrief_shows_agreement_differences_and_the_reference(
    service: Service, attempt: str, tmp_path: Path, isolated_home: Path
) -> None:
    (isolated_home / "config.toml").write_text(f'export_folder = "{tmp_path}"\n')  # the folder offered
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await at_home(pilot)
        await app.push_screen(DebriefScreen(attempt))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DebriefScreen)
        text = shown(screen, "#debrief-text")
        assert "Overall (scores)     4%   2 of 28 cells scored" in text  # (1 + 0) / 28
        assert "Choice            the same option as the reference" in text
        assert "+2/-2 !" in text  # seek-override x autonomy: yours/reference, marked in characters
        assert "opt 4 × Autonomy: you +2, reference -2 (agreement 0%)" in text
        flowing = " ".join(text.split())  # wrapped lines joined
        assert "Missed (the reference names them, you did not tick them): Informed consent, Documenting" in flowing
        assert "Two competent assessors found that he has capacity" in text
        assert "What exactly makes this a capable refusal" in text

        await pilot.press("e", "enter")  # the folder offered, taken
        written = tmp_path / f"ethicsdesk-debrief-{attempt}.md"
        await wait_until(pilot, lambda: written.exists() and app.screen is screen, "the debrief written")
        assert "## Reference rationale" in written.read_text(encoding="utf-8")
        assert str(written) in shown(screen, "#debrief-status")

        await pilot.press("escape")
        assert not isinstance(app.screen, DebriefScreen)


async def test_the_debrief_of_a_case_record_says_why_there_is_none(service: Service, sample_id: str) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await at_home(pilot)
        await app.push_screen(DebriefScreen(sample_id))
        await pilot.pause()
        assert "not a training attempt" in shown(app.screen, "#debrief-text")
        await pilot.press("e")
        assert [n.message for n in notices(app, "warning")] == ["There is no debrief to export."]


async def test_the_cohort_view_puts_the_attempts_side_by_side(
    service: Service, attempt: str, tmp_path: Path, isolated_home: Path
) -> None:
    (isolated_home / "config.toml").write_text(f'export_folder = "{tmp_path}"\n')  # the folder offered
    service.user = User("Ben Trainee", "case manager")
    second = service.training.start_training(SAMPLE)
    service.editing.score(second, "support-return-home", "autonomy", -1)
    service.editing.decide(second, "chosen", "hold-for-rehab")
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await at_home(pilot)
        await app.push_screen(CohortScreen(SAMPLE))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CohortScreen)
        text = shown(screen, "#cohort-text")
        assert "2 attempt(s)" in text
        assert "Robin Ashdown" in text and "Ben Trainee" in text
        assert "  opt 3    1  #  (reference)" in text  # one attempt chose the reference's option
        assert "  opt 1    1  #" in text
        # capacity was ticked once; the other two reference duties by nobody
        assert "Informed consent                    2 of 2" in text
        assert "Decision-making capacity            1 of 2" in text
        assert "opt 3 × Autonomy: -1 to +2, reference +2, mean +0.5" in text

        await pilot.press("e", "enter")  # the folder offered, taken
        written = tmp_path / f"ethicsdesk-cohort-{SAMPLE}.md"
        await wait_until(pilot, lambda: written.exists() and app.screen is screen, "the cohort view written")
        await pilot.press("escape")
        assert not isinstance(app.screen, CohortScreen)


async def test_the_picker_lists_the_samples_and_returns_the_one_chosen(service: Service) -> None:
    app = make_app(service)
    picked: list[str | None] = []
    async with app.run_test(size=SIZE) as pilot:
        await at_home(pilot)
        app.push_screen(SamplePickerScreen(), picked.append)
        await pilot.pause()
        listing = app.screen.query_one(OptionList)
        ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        assert ids == [s.id for s in service.training.samples()] and len(ids) == len(list(DILEMMAS.glob("*.toml")))
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: picked, "a sample picked")
        assert picked == [ids[1]]

        app.push_screen(SamplePickerScreen(), picked.append)
        await pilot.pause()
        await pilot.press("escape")
        await wait_until(pilot, lambda: len(picked) == 2, "the picker cancelled")
        assert picked[1] is None
        assert not isinstance(app.screen, SamplePickerScreen)
