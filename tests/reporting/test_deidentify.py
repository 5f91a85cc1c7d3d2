"""Masking the record's identifiers, and finding text that looks like an identifier nobody listed."""

from __future__ import annotations

import pytest

from ethicsdesk.reporting.masking import IdentifierMask, find_lookalikes, find_near_misses, mask_identifiers

IDENTIFIERS = ["Anselm", "Anselm Thistlewood", "555-0142", "MRN 00-4471-VG", "Al"]


def test_the_longest_identifier_is_masked_whole_and_numbers_follow_the_list() -> None:
    mask = IdentifierMask(IDENTIFIERS)
    assert mask.text("Anselm Thistlewood met Anselm.") == "[identifier 2] met [identifier 1]."


def test_masking_ignores_case_and_how_the_text_wraps() -> None:
    mask = IdentifierMask(IDENTIFIERS)
    assert mask.text("ANSELM\n  thistlewood; mrn 00-4471-vg") == "[identifier 2]; [identifier 4]"


def test_an_identifier_inside_a_longer_word_or_number_is_left_alone() -> None:
    mask = IdentifierMask(IDENTIFIERS)
    masked = mask.text("also Al, Al's, Anselmo, 1555-01429")
    assert masked == "also [identifier 5], [identifier 5]'s, Anselmo, 1555-01429"


def test_a_placeholder_is_never_masked_again() -> None:
    mask = IdentifierMask(["identifier", "1", "Bo"])
    assert mask.text("Bo and identifier 1") == "[identifier 3] and [identifier 1] [identifier 2]"


def test_masking_walks_every_string_of_the_data_keys_included() -> None:
    data = {"a": ["Anselm", {"call-anselm": 555}], "n": 3, "b": True, "z": None}
    assert mask_identifiers(data, ["Anselm"]) == {
        "a": ["[identifier 1]", {"call-[identifier 1]": 555}],
        "n": 3,
        "b": True,
        "z": None,
    }


def test_no_identifiers_change_nothing() -> None:
    assert mask_identifiers({"x": "Anselm"}, []) == {"x": "Anselm"}
    assert mask_identifiers({"x": "Anselm"}, ["", "  "]) == {"x": "Anselm"}


def test_text_holding_no_word_of_any_identifier_is_left_as_it_is() -> None:
    mask = IdentifierMask(["Anselm Thistlewood", "MRN 00-4471-VG"])
    text = "The client went home on Tuesday; the nurse phoned."
    assert mask.text(text) is text  # the same string: nothing was rebuilt around it
    assert mask.text("thistlewood, 00-4471-vg") == "thistlewood, 00-4471-vg"  # a word alone is no match


def test_a_name_whose_letters_match_others_ignoring_case_is_masked_in_plain_text() -> None:
    # a dotless "ı" matches "I" and "i" when case is ignored: plain ASCII text can hold the name
    # (which number the matched spelling gets is another matter: it is not the listed one)
    for listed in (["\u0131lhan"], ["Demir", "\u0131lhan"]):
        masked = IdentifierMask(listed).text("Met Ilhan today.")
        assert "Ilhan" not in masked and masked.startswith("Met [identifier "), listed


def test_regex_characters_in_an_identifier_are_literal() -> None:
    assert IdentifierMask(["(555) 0142", "a.b*"]).text("call (555) 0142 or a.b* not axb") == (
        "call [identifier 1] or [identifier 2] not axb"
    )


# --- lookalikes -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "kind", "passage"),
    [
        ("call 555-0142 today", "a phone or fax number", "555-0142"),
        ("fax +44 20 7946 0958.", "a phone or fax number", "+44 20 7946 0958"),
        ("tel (617) 555-0199", "a phone or fax number", "(617) 555-0199"),
        ("mail jo.smith+x@example.org now", "an e-mail address", "jo.smith+x@example.org"),
        ("SSN 123-45-6789", "a social security number", "123-45-6789"),
        ("born 1944-03-17", "a full date", "1944-03-17"),
        ("seen 03/17/1944", "a full date", "03/17/1944"),
        ("on 17 March 1944", "a full date", "17 March 1944"),
        ("on March 17, 1944", "a full date", "March 17, 1944"),
        ("MRN: 00-4471-VG", "a record number", "MRN: 00-4471-VG"),
        ("medicaid number 12345678", "a record number", "medicaid number 12345678"),
        ("lives at 14 Hollin Lane, Oxlow", "a street address", "14 Hollin Lane"),
        ("PO Box 1234", "a street address", "PO Box 1234"),
        ("see https://example.org/a?b=c", "a web address", "https://example.org/a?b=c"),
        ("see www.example.org", "a web address", "www.example.org"),
    ],
)
def test_lookalikes_are_found_with_where_they_are(text: str, kind: str, passage: str) -> None:
    found = find_lookalikes([("Facts", text)])
    assert [(f.kind, f.text, f.where) for f in found] == [(kind, passage, "Facts")]
    assert str(found[0]) == f"Facts: '{passage}' looks like {kind}"


@pytest.mark.parametrize(
    "text",
    [
        "He walks about 30 metres with a frame, 11 km from the shop, in 2 to 3 weeks.",
        "Scores of +2 and -1; weights 0 to 3; 2024 and 2025 budgets.",
        "Day 8: the [identifier 3] was seen.",
        "A 40 km drive at 10:30.",
    ],
)
def test_ordinary_clinical_text_is_not_flagged(text: str) -> None:
    assert find_lookalikes([("Facts", text)]) == []


def test_a_date_is_not_also_reported_as_a_phone_number() -> None:
    found = find_lookalikes([("Facts", "DOB 1944-03-17 and 17.03.1944")])
    assert [f.kind for f in found] == ["a full date", "a full date"]


def test_the_case_code_and_the_record_id_are_not_flagged() -> None:
    text = "Case C-1042-77 and record rec0000001 and case C-2-999"
    found = find_lookalikes([("Facts", text)], ignore=["C-1042-77", "rec0000001"])
    assert [f.text for f in found] == ["case C-2-999"]


def test_each_passage_is_reported_once_per_field() -> None:
    found = find_lookalikes([("Facts", "555-0142 or 555-0142"), ("Rationale", "555-0142")])
    assert [(f.where, f.text) for f in found] == [("Facts", "555-0142"), ("Rationale", "555-0142")]


# --- names written another way ------------------------------------------------------------------
@pytest.mark.parametrize(
    "written",
    [
        "Ann\u00adika Solberg",  # a soft hyphen
        "Annika Sol\u200bberg",  # a zero-width space
        "Ann\u2060ika\u00a0Solberg",  # a word joiner and a no-break space
        "ＡＮＮＩＫＡ Solberg",  # full-width letters
        "ANNIKA\nSOLBERG",
    ],
)
def test_a_listed_name_with_invisible_or_compatibility_characters_is_masked(written: str) -> None:
    assert mask_identifiers(f"Met {written} today.", ["Annika Solberg"]) == "Met [identifier 1] today."


def test_composed_and_decomposed_accents_mask_each_other() -> None:
    composed, decomposed = "Zo\u00eb Marchetti", "Zoe\u0308 Marchetti"
    assert mask_identifiers([composed, decomposed], [decomposed]) == ["[identifier 1]", "[identifier 1]"]
    assert mask_identifiers(f"{decomposed}.", [composed]) == "[identifier 1]."


def test_a_number_with_another_dash_is_masked() -> None:
    assert mask_identifiers("Call 555\u20110129 or 555\u20130129.", ["555-0129"]) == (
        "Call [identifier 1] or [identifier 1]."
    )


def test_masking_keeps_the_text_around_exactly() -> None:
    text = "Before — Ann\u00adika Solberg — after, ünïcode kept\u200b."
    assert mask_identifiers(text, ["Annika Solberg"]) == "Before — [identifier 1] — after, ünïcode kept\u200b."


def test_a_name_spelled_with_other_accents_is_a_near_miss_not_masked() -> None:
    fields = [("Situation: facts", "Zoe Marchetti called; later Zoé Marchetti and Zoë Marchetti came.")]
    masked = [(where, mask_identifiers(text, ["Zoë Marchetti"])) for where, text in fields]
    assert masked[0][1] == "Zoe Marchetti called; later Zoé Marchetti and [identifier 1] came."
    found = find_near_misses(masked, ["Zoë Marchetti"])
    assert [(f.text, f.where) for f in found] == [
        ("Zoe Marchetti", "Situation: facts"),
        ("Zoé Marchetti", "Situation: facts"),
    ]
    assert str(found[0]) == (
        "Situation: facts: 'Zoe Marchetti' looks like the listed identifier 'Zoë Marchetti' spelled another way"
    )
    assert find_near_misses([("x", "Nothing like it; Zoey Marchettini.")], ["Zoë Marchetti"]) == []
