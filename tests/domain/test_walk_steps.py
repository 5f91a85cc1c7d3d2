"""Step ids read back from text (a stored cursor, a widget's id) become typed step ids only when they
name a step."""

from __future__ import annotations

import pytest

from ethicsdesk.domain.walk import STEPS, as_step, is_step


@pytest.mark.parametrize("name", STEPS)
def test_every_step_id_reads_as_itself(name: str) -> None:
    assert is_step(name)
    assert as_step(name) == name


@pytest.mark.parametrize("name", ["", "Situation", "decided", "step-weigh", "consult "])
def test_a_name_that_is_no_step_is_refused(name: str) -> None:
    assert not is_step(name)
    with pytest.raises(ValueError, match="is not a step of the walk"):
        as_step(name)
