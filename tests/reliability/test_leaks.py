"""Leaks found by a hand attack, each through the installed command:

- a listed name written with a soft hyphen, a zero-width space, a decomposed accent or full-width
  letters reached the masked report; now it is masked, and a spelling with other accents is named
  in a warning before the report leaves;
- a file of 30,000 options (within the 1 MiB limit) imported, and `show` then took 66 s; now it is
  refused in one sentence.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from ethicsdesk.domain.record import MAX_ITEMS
from tests.conftest import DILEMMAS
from tests.reliability.cli_process import ethicsdesk, one_sentence

pytestmark = pytest.mark.slow

GIFT = DILEMMAS / "gift-from-family.toml"
DISGUISED = [
    "Sa\u00adoirse Blundell",  # a soft hyphen
    "Saoirse Blun\u200bdell",  # a zero-width space
    "ＳＡＯＩＲＳＥ BLUNDELL",  # full-width letters
    "Saoirse\u00a0Blundell",  # a no-break space
    "Zoe\u0308 Marchetti",  # the listed Zoë, decomposed
]


def reads_as(text: str) -> str:
    """What a reader sees: NFKC, format characters gone, case folded."""
    return "".join(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) != "Cf").casefold()


def test_a_disguised_name_is_masked_and_a_near_miss_is_named(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'mask.db'}"
    source = GIFT.read_text(encoding="utf-8")
    source = source.replace('identifiers = [\n', 'identifiers = [\n    "Zo\\u00eb Marchetti",\n', 1)
    extra = " ".join(f"Seen: {name}." for name in DISGUISED) + " Also Zoe Marchetti, unaccented."
    source = source.replace('facts = """\n', f'facts = """\n{extra}\n', 1)
    path = tmp_path / "disguised.toml"
    path.write_text(source, encoding="utf-8")
    imported = ethicsdesk("import", "--json", path, db=db)
    assert imported.returncode == 0, imported.stderr
    rid = json.loads(imported.stdout)["id"]
    for fmt in ("md", "json"):
        out = tmp_path / f"report.{fmt}"
        done = ethicsdesk("export", rid, "--format", fmt, "--out", out, db=db)
        assert done.returncode == 0, done.stderr
        report = out.read_text(encoding="utf-8")
        if fmt == "json":
            report = json.dumps(json.loads(report), ensure_ascii=False)
        seen = reads_as(report)
        for name in ("saoirse", "blundell", "zoë marchetti"):
            assert name not in seen, (fmt, name)
        assert "zoe marchetti" in seen  # the near miss is not masked: it is named instead
        assert (
            "warning: Situation: facts: 'Zoe Marchetti' looks like the listed identifier 'Zoë Marchetti' "
            "spelled another way"
        ) in done.stderr


def test_a_file_of_30000_options_is_refused_in_one_sentence(tmp_path: Path) -> None:
    source = GIFT.read_text(encoding="utf-8")
    at = source.index("[reference]")
    many = "".join(f'[[options]]\nkey="x{n}"\nlabel="O"\n' for n in range(30_000))
    path = tmp_path / "many.toml"
    path.write_text(source[:at] + many, encoding="utf-8")  # no reference: the sample's own grew
    assert path.stat().st_size <= 1024 * 1024  # within the size limit: only the cap refuses it
    done = ethicsdesk("import", path, db=f"sqlite:///{tmp_path / 'many.db'}")
    assert done.returncode == 2
    sentence = one_sentence(done.stderr)
    assert f"at most {MAX_ITEMS['options']} options, more than a person can weigh" in sentence, sentence
    assert "30,00" in sentence
