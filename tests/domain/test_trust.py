"""Which signatures count: trusted keys per person, rotations, signatures after a rotation."""

from __future__ import annotations

from ethicsdesk.domain.trust import SignatureSeen, TrustedKey, rotation_problems, signature_problems, why_not_trust

A = TrustedKey("Dana Whitlock", "pa", "a" * 64, "2026-01-01T00:00:00Z")
B = TrustedKey("Dana Whitlock", "pb", "b" * 64, "2026-06-01T00:00:00Z", replaces="a" * 64)
LEE = TrustedKey("Lee Marsh", "pl", "c" * 64, "2026-01-01T00:00:00Z")


def seen(fp: str, signer: str = "Dana Whitlock", at: str = "2026-03-01T00:00:00Z") -> SignatureSeen:
    return SignatureSeen("r1", signer, fp, at)


def test_a_trusted_key_of_the_signer_counts() -> None:
    assert signature_problems(seen("a" * 64), [A, LEE]) == []


def test_an_unknown_key_or_another_persons_key_does_not() -> None:
    assert "not a trusted key" in signature_problems(seen("f" * 64), [A])[0]
    assert "trusted for Lee Marsh, not for Dana Whitlock" in signature_problems(seen("c" * 64), [A, LEE])[0]


def test_a_replaced_key_counts_before_its_replacement_and_not_after() -> None:
    assert signature_problems(seen("a" * 64, at="2026-03-01T00:00:00Z"), [A, B]) == []
    assert "after it was replaced on 2026-06-01" in signature_problems(seen("a" * 64, at="2026-07-01"), [A, B])[0]
    assert signature_problems(seen("b" * 64, at="2026-07-01"), [A, B]) == []


def test_two_keys_for_one_person_need_a_rotation_between_them() -> None:
    unlinked = TrustedKey("dana whitlock", "pb", "b" * 64)
    assert rotation_problems([A, B, LEE]) == []
    assert "2 trusted keys" in rotation_problems([A, unlinked])[0]
    fork = TrustedKey("Dana Whitlock", "pc", "d" * 64, replaces="a" * 64)
    assert rotation_problems([A, B, fork])  # two keys both replacing the same one


def test_a_new_key_is_refused_unless_it_is_a_rotation_of_the_current_one() -> None:
    assert why_not_trust([], A) is None
    assert "--replaces" in (why_not_trust([A], TrustedKey("Dana Whitlock", "pb", "b" * 64)) or "")
    assert why_not_trust([A], B) is None
    assert "already replaced" in (
        why_not_trust([A, B], TrustedKey("Dana Whitlock", "x", "e" * 64, replaces="a" * 8)) or ""
    )
    assert "already trusted" in (why_not_trust([A], A) or "")
    assert "no trusted key" in (why_not_trust([A], TrustedKey("Dana Whitlock", "x", "e" * 64, replaces="9" * 8)) or "")
