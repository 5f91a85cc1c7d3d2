"""The dilemma reader: a good file is read whole; a bad one is refused whole, with one sentence naming
the file, the line where it can be known, the field and what was expected."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from ethicsdesk.domain.record import MAX_ITEMS
from ethicsdesk.errors import BadInput, NotFound
from ethicsdesk.knowledge.dilemma_files import (
    MAX_FILE_BYTES,
    find_sample,
    read_dilemma,
    sample_paths,
    samples_dir,
)

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"
GIFT = DILEMMAS / "gift-from-family.toml"
DISCHARGE = DILEMMAS / "discharge-against-advice.toml"
PRINCIPLES = ("autonomy", "beneficence", "equity", "fidelity", "justice", "nonmaleficence", "veracity")

MINIMAL = """\
format = "ethicsdesk.dilemma/1"
id = "small"
title = "A small dilemma"
summary = "Two ways to go."
facts = "Only these."

[[options]]
key = "stay"
label = "Stay"

[[options]]
key = "go"
label = "Go"
"""


def line_of(text: str, needle: str, after: str | None = None) -> int:
    """The 1-based number of the first line equal to `needle` (after the line `after`, if given)."""
    lines = text.splitlines()
    start = lines.index(after) + 1 if after else 0
    return lines.index(needle, start) + 1


def refusal(path: Path) -> str:
    with pytest.raises(BadInput) as exc:
        read_dilemma(path)
    assert exc.value.exit_code == 2
    message = exc.value.message
    assert "\n" not in message
    assert message.startswith(str(path))
    assert message.endswith(".")
    return message


# --- good files ---------------------------------------------------------------------------------
@pytest.mark.parametrize("path", [GIFT, DISCHARGE], ids=lambda p: p.stem)
def test_the_shipped_samples_read(path: Path) -> None:
    d = read_dilemma(path)
    assert d.id == path.stem
    assert d.path == path
    assert d.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert len(d.data.options) >= 2
    ref = d.data.reference
    assert ref is not None
    assert ref.chosen in {o.key for o in d.data.options}
    for option in d.data.options:
        assert set(ref.scores[option.key]) == set(PRINCIPLES)


def test_a_minimal_file_reads_and_its_payload_leaves_out_defaults(tmp_path: Path) -> None:
    path = tmp_path / "small.toml"
    path.write_text(MINIMAL)
    d = read_dilemma(path)
    assert d.data.reference is None
    assert d.payload() == {
        "format": "ethicsdesk.dilemma/1",
        "id": "small",
        "title": "A small dilemma",
        "summary": "Two ways to go.",
        "facts": "Only these.",
        "options": [{"key": "stay", "label": "Stay"}, {"key": "go", "label": "Go"}],
    }


def test_the_payload_of_a_sample_keeps_its_reference() -> None:
    payload = read_dilemma(GIFT).payload()
    assert payload["reference"]["chosen"] == "accept-token-decline-card"
    assert payload["reference"]["scores"]["accept-both"]["equity"] == -2
    assert payload["case_code"] == "C-4410"


def test_the_sample_library_is_found() -> None:
    assert samples_dir() == DILEMMAS
    assert {GIFT, DISCHARGE} <= set(sample_paths())
    assert find_sample("gift-from-family").id == "gift-from-family"
    with pytest.raises(NotFound, match="There is no sample dilemma 'nope'"):
        find_sample("nope")


# --- bad files: every one is refused with the file, the line, the field and the expectation --------
def test_malformed_toml(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('format = "ethicsdesk.dilemma/1"\nid = "x"\ntitle = "an unclosed string\n')
    message = refusal(path)
    assert "is not valid TOML" in message
    assert "line 3" in message


def test_a_missing_required_field(tmp_path: Path) -> None:
    path = tmp_path / "nosummary.toml"
    path.write_text("\n".join(line for line in GIFT.read_text().splitlines() if not line.startswith("summary =")))
    assert refusal(path) == f"{path}: summary: this required field is missing."


def test_a_missing_format_line(tmp_path: Path) -> None:
    path = tmp_path / "noformat.toml"
    path.write_text(MINIMAL.replace('format = "ethicsdesk.dilemma/1"\n', ""))
    assert refusal(path) == f"{path}: format: this required field is missing."


def test_a_wrong_format(tmp_path: Path) -> None:
    path = tmp_path / "v2.toml"
    path.write_text(MINIMAL.replace("dilemma/1", "dilemma/2"))
    assert refusal(path) == f'{path}, line 1: format: expected format = "ethicsdesk.dilemma/1".'


def test_a_score_out_of_range_names_its_line_in_its_own_table(tmp_path: Path) -> None:
    """`equity = ...` appears in [reference.weights] first; the bad one is under accept-both."""
    text = GIFT.read_text()
    bad = text.replace("equity = -2", "equity = -3")
    path = tmp_path / "score.toml"
    path.write_text(bad)
    line = line_of(bad, "equity = -3", after="[reference.scores.accept-both]")
    assert line > line_of(bad, "equity = 2", after="[reference.weights]")
    assert refusal(path) == (
        f"{path}, line {line}: reference.scores.accept-both.equity: input should be greater than or equal to -2."
    )


def test_a_score_that_is_not_a_number(tmp_path: Path) -> None:
    bad = GIFT.read_text().replace(
        "[reference.scores.decline-all]\nautonomy = -1", '[reference.scores.decline-all]\nautonomy = "-1"'
    )
    path = tmp_path / "text-score.toml"
    path.write_text(bad)
    line = line_of(bad, 'autonomy = "-1"')
    assert refusal(path) == f"{path}, line {line}: reference.scores.decline-all.autonomy: expected a whole number."


def test_a_weight_out_of_range(tmp_path: Path) -> None:
    bad = GIFT.read_text().replace("[reference.weights]\nautonomy = 1", "[reference.weights]\nautonomy = 4")
    path = tmp_path / "weight.toml"
    path.write_text(bad)
    line = line_of(bad, "autonomy = 4")
    assert refusal(path) == f"{path}, line {line}: reference.weights.autonomy: input should be less than or equal to 3."


def test_an_unknown_principle_in_the_scores(tmp_path: Path) -> None:
    bad = GIFT.read_text().replace("[reference.scores.accept-both]\n", "[reference.scores.accept-both]\nkindness = 1\n")
    path = tmp_path / "principle.toml"
    path.write_text(bad)
    line = line_of(bad, "kindness = 1")
    assert refusal(path) == (
        f"{path}, line {line}: reference.scores.accept-both.kindness: expected one of the seven principle ids."
    )


def test_an_unknown_principle_in_the_weights(tmp_path: Path) -> None:
    bad = GIFT.read_text().replace("[reference.weights]\n", "[reference.weights]\nkindness = 1\n")
    path = tmp_path / "weights.toml"
    path.write_text(bad)
    line = line_of(bad, "kindness = 1")
    assert refusal(path) == f"{path}, line {line}: reference.weights.kindness: expected one of the seven principle ids."


def test_a_missing_principle_score(tmp_path: Path) -> None:
    text = GIFT.read_text()
    lines = text.splitlines()
    header = lines.index("[reference.scores.redirect-to-donation]")
    del lines[lines.index("justice = 1", header)]
    path = tmp_path / "partial.toml"
    path.write_text("\n".join(lines))
    assert refusal(path) == (
        f"{path}, line {header + 1}: reference.scores.redirect-to-donation: "
        "every principle needs a score; missing: justice."
    )


def test_an_unknown_option_key_in_the_scores(tmp_path: Path) -> None:
    bad = GIFT.read_text().replace("[reference.scores.accept-both]", "[reference.scores.accept-all]")
    path = tmp_path / "optkey.toml"
    path.write_text(bad)
    line = line_of(bad, "[reference.scores.accept-all]")
    assert refusal(path) == f"{path}, line {line}: reference.scores.accept-all: expected one of the option keys."


def test_an_unknown_chosen_option(tmp_path: Path) -> None:
    bad = GIFT.read_text().replace('chosen = "accept-token-decline-card"', 'chosen = "keep-the-money"')
    path = tmp_path / "chosen.toml"
    path.write_text(bad)
    line = line_of(bad, 'chosen = "keep-the-money"')
    assert refusal(path) == f"{path}, line {line}: reference.chosen: 'keep-the-money' is not one of the option keys."


def test_an_unknown_field(tmp_path: Path) -> None:
    path = tmp_path / "extra.toml"
    path.write_text(MINIMAL.replace('title = "A small dilemma"\n', 'title = "A small dilemma"\ncolour = "blue"\n'))
    assert refusal(path) == f"{path}, line 4: colour: this field is not part of the format (check its spelling)."


def test_an_unknown_field_of_an_option_names_that_option(tmp_path: Path) -> None:
    path = tmp_path / "extra-option.toml"
    path.write_text(MINIMAL.replace('label = "Go"', 'label = "Go"\nprice = 3'))
    assert (
        refusal(path)
        == f"{path}, line 14: options[2].price: this field is not part of the format (check its spelling)."
    )


def test_a_bad_option_key(tmp_path: Path) -> None:
    path = tmp_path / "key.toml"
    path.write_text(MINIMAL.replace('key = "go"', 'key = "Go Home"'))
    assert refusal(path) == (
        f"{path}, line 12: options[2].key: expected lowercase letters, digits and dashes (for example 'return-home')."
    )


def test_a_duplicate_option_key(tmp_path: Path) -> None:
    path = tmp_path / "dupe.toml"
    path.write_text(MINIMAL.replace('key = "go"', 'key = "stay"'))
    assert refusal(path) == f"{path}, line 7: options: option keys must be unique; 'stay' appears twice."


def test_a_single_option(tmp_path: Path) -> None:
    path = tmp_path / "single.toml"
    path.write_text(MINIMAL.split('\n[[options]]\nkey = "go"')[0])
    assert refusal(path) == f"{path}, line 7: options: a dilemma needs at least two options."


def test_no_options_at_all(tmp_path: Path) -> None:
    path = tmp_path / "none.toml"
    path.write_text(MINIMAL.split("[[options]]")[0])
    assert refusal(path) == f"{path}: options: this required field is missing."


def test_an_unknown_obligation(tmp_path: Path) -> None:
    bad = GIFT.read_text().replace('"conflict-of-interest"', '"be-nice"')
    path = tmp_path / "oblig.toml"
    path.write_text(bad)
    line = line_of(bad, next(x for x in bad.splitlines() if x.startswith("obligations =")))
    assert refusal(path) == f"{path}, line {line}: obligations: 'be-nice' is not in the obligation catalogue."


def test_several_problems_are_counted(tmp_path: Path) -> None:
    path = tmp_path / "many.toml"
    path.write_text(MINIMAL.replace('id = "small"\n', "").replace('summary = "Two ways to go."\n', ""))
    message = refusal(path)
    assert message == f"{path}: id: this required field is missing (and 1 more problems)."


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (bytes(range(256)) * 4, "is not a text file (it is not valid UTF-8)"),
        (b'format = "ethicsdesk.dilemma/1"\x00\n', "is not a text file (it holds NUL bytes)"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "is not a text file"),
    ],
    ids=["random bytes", "nul", "png"],
)
def test_a_binary_file(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "binary.toml"
    path.write_bytes(content)
    assert words in refusal(path)


def test_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.toml"
    assert refusal(path) == f"{path}: no such file."


def test_a_directory(tmp_path: Path) -> None:
    assert refusal(tmp_path) == f"{tmp_path}: is a directory, not a dilemma file."


def test_a_huge_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_text(MINIMAL + "# " + "x" * MAX_FILE_BYTES + "\n")
    assert "is larger than 1 MiB" in refusal(path)


def test_deeply_nested_toml(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    message = refusal(path)
    assert re.search(r"nested too deeply|not valid TOML|is not part of the format", message)


def test_every_problem_of_a_file_is_listed_with_its_line(tmp_path: Path) -> None:
    """`samples validate` explains every error, not only the first."""
    from ethicsdesk.knowledge.dilemma_files import DilemmaProblems

    bad = tmp_path / "three-problems.toml"
    bad.write_text(
        'format = "ethicsdesk.dilemma/1"\nid = "Bad Id"\ntitle = ""\nsummary = "s"\nfacts = "f"\n'
        '[[options]]\nkey = "a"\nlabel = "A"\n[[options]]\nkey = "b"\nlabel = "B"\n'
        '[reference]\nchosen = "a"\nrationale = "r"\n[reference.scores.a]\nautonomy = 5\n'
    )
    with pytest.raises(DilemmaProblems) as caught:
        read_dilemma(bad)
    problems = caught.value.problems
    assert len(problems) == 3
    assert problems[0].startswith(f"{bad}, line 2: id:")
    assert problems[1].startswith(f"{bad}, line 3: title:")
    assert problems[2].startswith(f"{bad}, line 16: reference.scores.a.autonomy:")
    assert "(and 2 more problems)" in caught.value.message


# --- what the choice costs: mitigation, follow-up and justification answers in [reference] ----------
COSTED = (
    MINIMAL
    + """
[reference]
chosen = "go"
rationale = "Going costs some autonomy."
mitigation = "Explain why, and come back in a week."
follow_up = "In a week."

[reference.scores.stay]
autonomy = 1
beneficence = -1
equity = 0
fidelity = 0
justice = 0
nonmaleficence = -1
veracity = 0

[reference.scores.go]
autonomy = -1
beneficence = 1
equity = 0
fidelity = 0
justice = 0
nonmaleficence = 1
veracity = 0

[reference.justification.autonomy]
good-reason = "A good reason."
prospect-of-success = "A fair prospect."
no-better-alternative = "Staying harms more."
least-infringement = "Only as far as needed."
harm-minimised = "Explained and revisited."
"""
)


def test_the_cost_of_the_choice_is_read_and_carried_in_the_payload(tmp_path: Path) -> None:
    path = tmp_path / "costed.toml"
    path.write_text(COSTED)
    ref = read_dilemma(path).payload()["reference"]
    assert ref["mitigation"] == "Explain why, and come back in a week."
    assert ref["follow_up"] == "In a week."
    assert ref["justification"] == {
        "autonomy": {
            "good-reason": "A good reason.",
            "prospect-of-success": "A fair prospect.",
            "no-better-alternative": "Staying harms more.",
            "least-infringement": "Only as far as needed.",
            "harm-minimised": "Explained and revisited.",
        }
    }


def test_a_reference_without_the_cost_fields_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "plain.toml"
    text = COSTED.split("[reference.justification.autonomy]")[0]
    for line in ('mitigation = "Explain why, and come back in a week."\n', 'follow_up = "In a week."\n'):
        text = text.replace(line, "")
    path.write_text(text)
    ref = read_dilemma(path).data.reference
    assert ref is not None
    assert (ref.mitigation, ref.follow_up, ref.justification) == ("", "", {})


def test_an_unknown_principle_in_the_justification(tmp_path: Path) -> None:
    bad = COSTED.replace("[reference.justification.autonomy]", "[reference.justification.kindness]")
    path = tmp_path / "kind.toml"
    path.write_text(bad)
    line = line_of(bad, "[reference.justification.kindness]")
    assert refusal(path) == (
        f"{path}, line {line}: reference.justification.kindness: expected one of the seven principle ids."
    )


def test_an_unknown_condition_in_the_justification(tmp_path: Path) -> None:
    bad = COSTED.replace('least-infringement = "Only', 'smallest-harm = "Only')
    path = tmp_path / "cond.toml"
    path.write_text(bad)
    line = line_of(bad, 'smallest-harm = "Only as far as needed."')
    assert refusal(path) == (
        f"{path}, line {line}: reference.justification.autonomy.smallest-harm: expected one of the justification "
        "conditions: good-reason, prospect-of-success, no-better-alternative, least-infringement, harm-minimised."
    )


def test_a_justification_for_a_principle_the_choice_does_not_compromise(tmp_path: Path) -> None:
    bad = COSTED.replace("[reference.justification.autonomy]", "[reference.justification.beneficence]")
    path = tmp_path / "uncompromised.toml"
    path.write_text(bad)
    line = line_of(bad, "[reference.justification.beneficence]")
    assert refusal(path) == (
        f"{path}, line {line}: reference.justification.beneficence: the chosen option 'go' does not score "
        "beneficence below zero, so there is nothing to justify."
    )


def test_an_empty_justification_answer_is_refused(tmp_path: Path) -> None:
    bad = COSTED.replace('good-reason = "A good reason."', 'good-reason = ""')
    path = tmp_path / "empty.toml"
    path.write_text(bad)
    line = line_of(bad, 'good-reason = ""')
    assert refusal(path).startswith(f"{path}, line {line}: reference.justification.autonomy.good-reason: ")


# --- the list caps ------------------------------------------------------------------------------
def with_repeated(block: str, count: int) -> str:
    return MINIMAL + "".join(block.format(n=n) for n in range(count))


@pytest.mark.parametrize(
    ("what", "block"),
    [
        ("options", '\n[[options]]\nkey = "extra-{n}"\nlabel = "Extra {n}"\n'),
        ("stakeholders", '\n[[stakeholders]]\nname = "Person {n}"\n'),
    ],
)
def test_a_file_with_more_than_the_cap_is_refused_in_one_sentence(what: str, block: str, tmp_path: Path) -> None:
    path = tmp_path / "many.toml"
    cap = MAX_ITEMS[what]
    path.write_text(with_repeated(block, cap + 1), encoding="utf-8")
    message = refusal(path)
    assert f"at most {cap} {what}, more than a person can weigh" in message
    path.write_text(with_repeated(block, cap - (2 if what == "options" else 0)), encoding="utf-8")
    assert len(getattr(read_dilemma(path).data, what)) == cap


@pytest.mark.parametrize("what", ["tags", "identifiers", "obligations"])
def test_a_list_longer_than_its_cap_is_refused(what: str, tmp_path: Path) -> None:
    item = '"capacity"' if what == "obligations" else '"x"'
    text = MINIMAL.replace('facts = "Only these."', f'facts = "Only these."\n{what} = [{", ".join([item] * 10_000)}]')
    path = tmp_path / "long.toml"
    path.write_text(text, encoding="utf-8")
    assert f"at most {MAX_ITEMS[what]} {what}" in refusal(path)


def test_the_30000_option_file_of_the_issue_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.toml"
    path.write_text(with_repeated('[[options]]\nkey="x{n}"\nlabel="O"\n', 30_000), encoding="utf-8")
    assert path.stat().st_size <= MAX_FILE_BYTES
    assert "(this file has 30,002)" in refusal(path)


def test_the_caps_are_stated_in_the_readme_and_the_template() -> None:
    from ethicsdesk.knowledge.sample_template import template_text

    readme = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8").split())
    template = " ".join(line.lstrip("# ") for line in template_text().splitlines())
    for what, cap in MAX_ITEMS.items():
        assert re.search(rf"\b{cap} {what}\b", readme), what
        assert re.search(rf"\b{cap} {what}\b", template), what


def floors_file(ticked: str, verdict: str) -> str:
    """MINIMAL with a reference that judges the option "stay" against imminent risk."""
    scores = "".join(
        f"\n[reference.scores.{key}]\n" + "".join(f"{p} = 0\n" for p in PRINCIPLES) for key in ("stay", "go")
    )
    head = MINIMAL.replace('facts = "Only these."', f'facts = "Only these."\nobligations = [{ticked}]')
    reference = '\n[reference]\nchosen = "go"\nrationale = "Go."\n'
    return head + reference + scores + f'\n[reference.floors.stay]\nimminent-risk = "{verdict}"\n'


def test_the_reference_floor_verdicts_are_read_and_checked(tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text(floors_file('"imminent-risk"', "fails"), encoding="utf-8")
    ref = read_dilemma(path).data.reference
    assert ref is not None and ref.floors == {"stay": {"imminent-risk": "fails"}}
    path.write_text(floors_file('"imminent-risk"', "perhaps"), encoding="utf-8")
    assert "reference.floors.stay.imminent-risk" in refusal(path)
    path.write_text(floors_file("", "meets"), encoding="utf-8")  # a floor the file does not tick
    assert "a floor or code rule in obligations" in refusal(path)
