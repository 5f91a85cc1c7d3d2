"""The follow-up date through the service: kept as YYYY-MM-DD, or refused with one sentence (exit 2)."""

from __future__ import annotations

import pytest

from ethicsdesk.errors import BadInput
from ethicsdesk.service import Service


def test_a_follow_up_date_is_kept_in_one_form_or_refused(service: Service) -> None:
    rid = service.editing.create_record("Refuses the care home")
    service.editing.decide(rid, "follow_up", "12/15/2026")
    assert service.record(rid).decision["follow_up"] == "2026-12-15"
    events = service.record(rid).events
    with pytest.raises(BadInput, match="write it as YYYY-MM-DD"):
        service.editing.decide(rid, "follow_up", "03/04/2026")
    assert service.record(rid).events == events  # nothing written
    service.editing.decide(rid, "follow_up", "")
    assert service.record(rid).decision.get("follow_up", "") == ""


def test_a_period_is_kept_as_the_day_it_falls_on_counted_from_the_service_clock(service: Service) -> None:
    """'in 14 days' is taken in the app and on the command line as in dilemma files."""
    from datetime import timedelta

    rid = service.editing.create_record("Refuses the care home")
    service.editing.decide(rid, "follow_up", "in 14 days")
    assert service.record(rid).decision["follow_up"] == (service.today() + timedelta(days=14)).isoformat()
    service.editing.decide(rid, "follow_up", "within two weeks")
    assert service.record(rid).decision["follow_up"] == (service.today() + timedelta(days=14)).isoformat()
    with pytest.raises(BadInput, match="or as a period such as 'in 14 days'"):
        service.editing.decide(rid, "follow_up", "next week")
