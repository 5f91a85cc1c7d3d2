"""An agency's own framework, end to end: a record created with its .toml file is weighed under it,
opens again by the framework's id after the file is gone (the service keeps a copy under its id), and
a framework that cannot be used is one sentence with exit 2 through the command line's guard."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from ethicsdesk.cli.guard import guarded
from ethicsdesk.errors import BadInput, NotFound
from ethicsdesk.service import Service
from ethicsdesk.service.frameworks import kept_frameworks_dir
from tests.conftest import CASE_MANAGER


def agency_file(folder: Path, framework_id: str = "agency-care", version: str = "1") -> Path:
    """The shipped example agency framework under another id and version: a file like an agency's."""
    text = resources.files("ethicsdesk.knowledge").joinpath("four-principles.toml").read_text(encoding="utf-8")
    text = text.replace('id = "four-principles"', f'id = "{framework_id}"', 1)
    text = text.replace('version = "2"', f'version = "{version}"', 1)
    path = folder / f"{framework_id}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_record_weighed_under_an_agency_file_opens_again_by_its_id(
    service: Service, tmp_path: Path, db_url: str
) -> None:
    source = agency_file(tmp_path)
    rid = service.editing.create_record("Gift from a family", framework=str(source))
    state = service.record(rid)
    assert (state.framework, state.framework_version) == ("agency-care", "1")
    framework = service.framework_of(state)
    assert framework.id == "agency-care"
    assert "autonomy" in framework.ids and "veracity" not in framework.ids
    option = service.editing.add_option(rid, "Decline politely")
    service.editing.score(rid, option, "autonomy", 1)  # a principle of the agency's framework
    with pytest.raises(BadInput):
        service.editing.score(rid, option, "veracity", 1)  # a CCMC principle the agency's framework lacks

    source.unlink()  # the agency's file moves away: the kept copy serves
    again = Service.open(db_url, CASE_MANAGER)
    try:
        assert again.framework_of(again.record(rid)).id == "agency-care"
        assert (kept_frameworks_dir() / "agency-care.toml").is_file()
    finally:
        again.close()


def test_a_second_record_with_the_same_file_or_id_shares_the_kept_framework(service: Service, tmp_path: Path) -> None:
    source = agency_file(tmp_path)
    first = service.editing.create_record("First", framework=str(source))
    second = service.editing.create_record("Second", framework="agency-care")  # by id, once kept
    assert service.record(first).framework == service.record(second).framework == "agency-care"


def test_a_changed_file_under_a_kept_id_and_version_is_refused(service: Service, tmp_path: Path) -> None:
    source = agency_file(tmp_path)
    service.editing.create_record("First", framework=str(source))
    source.write_text(source.read_text(encoding="utf-8").replace("Four principles", "Our principles"))
    with pytest.raises(BadInput, match="raise the version"):
        service.editing.create_record("Second", framework=str(source))
    newer = tmp_path / "newer"
    newer.mkdir()
    third = service.editing.create_record(
        "Third", framework=str(agency_file(newer, version="2"))
    )  # a new version replaces it
    assert service.framework_of(service.record(third)).version == "2"


def test_an_agency_file_may_not_take_a_shipped_id(service: Service, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="belongs to a shipped framework"):
        service.editing.create_record("Gift", framework=str(agency_file(tmp_path, framework_id="ccmc")))


def test_a_record_whose_agency_framework_is_not_kept_is_one_sentence(service: Service, tmp_path: Path) -> None:
    rid = service.editing.create_record("Gift", framework=str(agency_file(tmp_path)))
    (kept_frameworks_dir() / "agency-care.toml").unlink()  # another desk, without the file
    with pytest.raises(NotFound, match="neither shipped nor kept on this machine"):
        service.framework_of(service.record(rid))


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("no-such-framework", "There is no shipped framework 'no-such-framework'"),
        ("broken", "is not valid TOML"),
    ],
)
def test_bad_framework_input_is_one_sentence_and_exit_2(
    service: Service, tmp_path: Path, capsys: pytest.CaptureFixture[str], given: str, said: str
) -> None:
    if given == "broken":
        given = str(tmp_path / "broken.toml")
        Path(given).write_text("id = [", encoding="utf-8")
    assert guarded(lambda: service.editing.create_record("Gift", framework=given)) == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
