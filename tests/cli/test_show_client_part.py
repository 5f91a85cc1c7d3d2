"""The client's part in `ethicsdesk show` and `samples show`: the own values and the medical or service facts
in the situation, who decides and the client's part under the decision, the liking test among the
checks and the capable-client flag among what is missing."""

from __future__ import annotations

from ethicsdesk.service import Service
from tests.cli.conftest import Run
from tests.conftest import DILEMMAS


def test_show_has_the_new_fields(run: Run, service: Service, db_url: str) -> None:
    (rid,) = service.importing.import_files([DILEMMAS / "discharge-against-advice.toml"])
    service.editing.set_text(rid, "decision_maker", "team")
    service.editing.set_text(rid, "client_involved", "no")
    code, out, err = run("--db", db_url, "show", rid)
    assert code == 0, err
    flat = " ".join(out.split())
    for words in (
        "Medical or service facts: Left hip fracture",
        "Own values and feelings: My own grandfather",
        "Who decides: The team",
        "Did the client take part in the decision? No",
        "Whether and how the client is told: The plan is agreed",
        "Liking: not answered.",
        "[decide] The client took no part in this decision",
    ):
        assert words in flat, words


def test_samples_show_has_them_too(run: Run) -> None:
    code, out, err = run("samples", "show", "advance-directive-family-conflict")
    assert code == 0, err
    flat = " ".join(out.split())
    assert "Medical or service facts: Severe chronic lung disease" in flat
    assert "Own values and feelings: I sat beside" in flat
    assert "Who decides: The treating physician" in flat
