"""Checkpoints: the digest covers every head; the comparison names deleted, cut short and rewritten
records, and accepts new records, grown chains and purges with their tombstone."""

from __future__ import annotations

import json

import pytest

from ethicsdesk.domain.checkpoint import Checkpoint, Head, NotACheckpoint, Tomb, compare, make, parse, to_json

H = {c: c * 64 for c in "abcdef"}


def cp() -> Checkpoint:
    return make("db-1", "2026-11-29T00:00:00Z", "Dana", [Head("r2", 3, H["b"]), Head("r1", 5, H["a"])], [])


def test_a_checkpoint_reads_back_as_itself() -> None:
    made = cp()
    assert parse(to_json(made)) == made
    assert [h.record_id for h in made.records] == ["r1", "r2"]  # sorted: one digest per content


@pytest.mark.parametrize("field", ["records", "database", "made_at", "made_by"])
def test_any_change_to_a_checkpoint_breaks_its_digest(field: str) -> None:
    doc = json.loads(to_json(cp()))
    doc[field] = doc[field][:1] if field == "records" else doc[field] + "x"
    with pytest.raises(NotACheckpoint, match="digest does not match"):
        parse(json.dumps(doc))


def test_the_comparison_names_each_kind_of_change() -> None:
    made = make(
        "db", "t", "me",
        [Head("same", 2, H["a"]), Head("grew", 2, H["b"]), Head("cut", 4, H["c"]), Head("rewritten", 2, H["d"]),
         Head("gone", 1, H["e"]), Head("purged", 3, H["f"])],
        [],
    )  # fmt: skip
    now = {
        "same": Head("same", 2, H["a"]),
        "grew": Head("grew", 5, "9" * 64),
        "cut": Head("cut", 2, "8" * 64),
        "rewritten": Head("rewritten", 2, "7" * 64),
        "new": Head("new", 1, "6" * 64),
    }
    result = compare(made, now, {"grew": H["b"]}, {"purged": Tomb(3, H["f"], "Dana", "t", "retention")})
    assert dict(result.problems) == {
        "cut": "was cut short since the checkpoint: 4 events then, 2 now",
        "rewritten": "was rewritten since the checkpoint: event 2 is not the one it held",
        "gone": "was deleted since the checkpoint (1 events then) without a tombstone",
    }
    assert (result.unchanged, result.grown, result.new, result.purged) == (1, 1, 1, ["purged"])


def test_a_grown_chain_whose_old_head_changed_is_rewritten() -> None:
    made = make("db", "t", "me", [Head("r", 2, H["a"])], [])
    result = compare(made, {"r": Head("r", 3, H["c"])}, {"r": H["b"]}, {})
    assert result.problems == [("r", "was rewritten since the checkpoint: event 2 is not the one it held")]
