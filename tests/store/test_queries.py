"""Read-side queries: lists newest first, filters, full-text search, id prefixes and cursors."""

from __future__ import annotations

from pathlib import Path

import pytest

from ethicsdesk.service import Service
from ethicsdesk.store import cursors, queries

DILEMMAS = Path(__file__).resolve().parents[2] / "dilemmas"


@pytest.fixture
def three(service: Service) -> dict[str, str]:
    gift, discharge = service.importing.import_files(
        [DILEMMAS / "gift-from-family.toml", DILEMMAS / "discharge-against-advice.toml"]
    )
    draft = service.editing.create_record("Zoë's neighbour asks for news", case_code="C-7")
    service.editing.set_text(draft, "facts", "The neighbour knits every week.")
    service.editing.set_text(gift, "outcome", "The scarf was accepted, the card returned.")  # now the newest change
    return {"gift": gift, "discharge": discharge, "draft": draft}


def ids(rows: list[queries.RecordSummary]) -> list[str]:
    return [r.id for r in rows]


def test_newest_change_first(service: Service, three: dict[str, str]) -> None:
    assert ids(service.list_records()) == [three["gift"], three["draft"], three["discharge"]]


def test_filter_by_status(service: Service, three: dict[str, str]) -> None:
    assert ids(service.list_records(status="closed")) == [three["gift"]]
    assert ids(service.list_records(status="decided")) == [three["discharge"]]
    assert ids(service.list_records(status="draft")) == [three["draft"]]
    assert service.list_records(status="signed") == []


def test_filter_by_kind_and_sample(service: Service, three: dict[str, str]) -> None:
    training = service.importing.import_files([DILEMMAS / "gift-from-family.toml"], kind="training")[0]
    assert training not in ids(service.list_records())
    assert ids(service.list_records(kind="training")) == [training]
    assert ids(service.list_records(kind=None, sample_id="gift-from-family")) == [training]
    assert len(service.list_records(kind=None)) == 4


def test_limit_and_offset(service: Service, three: dict[str, str]) -> None:
    everything = ids(service.list_records())
    assert ids(service.list_records(limit=2)) == everything[:2]
    assert ids(service.list_records(limit=2, offset=2)) == everything[2:]


@pytest.mark.sqlite_only  # FTS5's word matching (accents, prefixes); PostgreSQL searches with ILIKE
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("scarf", ["gift"]),  # the summary and the outcome
        ("SCARF", ["gift"]),
        ("farmhouse", ["discharge"]),  # the summary
        ("rehab", ["discharge"]),  # a prefix of "rehabilitation"
        ("Zoe", ["draft"]),  # diacritics folded: Zoë
        ("neighbour knits", ["draft"]),  # every word, in any field (the discharge sample has "neighbour" too)
        ("neighbour quokka", []),  # not every word
        ("stroke club", ["gift"]),  # an option's description
        ("Marguerite", ["gift"]),  # in the facts
        ("nothing-like-this", []),
    ],
)
def test_search_finds_words_anywhere_in_a_record(
    service: Service, three: dict[str, str], words: str, expected: list[str]
) -> None:
    assert ids(service.list_records(search=words)) == [three[k] for k in expected]


def test_search_follows_a_change(service: Service, three: dict[str, str]) -> None:
    assert service.list_records(search="quokka") == []
    service.editing.set_text(three["draft"], "context", "The client keeps a quokka.")
    assert ids(service.list_records(search="quokka")) == [three["draft"]]
    service.editing.set_text(three["draft"], "context", "")
    assert service.list_records(search="quokka") == []


@pytest.mark.parametrize(
    "words", ['"', "scarf*", "NEAR(a b)", "a AND", "-scarf", "col:scarf", "'; DROP TABLE records; --"]
)
def test_search_syntax_does_not_leak_into_fts(service: Service, three: dict[str, str], words: str) -> None:
    service.list_records(search=words)  # no error
    assert len(service.list_records()) == 3


def test_search_of_only_punctuation_finds_nothing(service: Service, three: dict[str, str]) -> None:
    assert service.list_records(search="?!") == []
    assert len(service.list_records(search="   ")) == 3  # blank is no filter


def test_fts_query_quotes_each_word_as_a_prefix() -> None:
    assert queries.fts_query('scarf "card" OR') == '"scarf"* "card"* "OR"*'
    assert queries.fts_query("--") is None


def test_summary_and_all_ids(service: Service, three: dict[str, str]) -> None:
    with service.db.reading() as s:
        assert queries.summary(s, "nope") is None
        found = queries.summary(s, three["draft"])
        assert found is not None
        assert (found.title, found.case_code, found.status, found.events) == (
            "Zoë's neighbour asks for news",
            "C-7",
            "draft",
            2,
        )
        assert queries.all_ids(s) == [three["gift"], three["discharge"], three["draft"]]


def test_prefixes_are_matched_literally(service: Service, three: dict[str, str]) -> None:
    with service.db.reading() as s:
        assert queries.ids_with_prefix(s, three["gift"][:5]) == [three["gift"]]
        assert queries.ids_with_prefix(s, "%") == []
        assert queries.ids_with_prefix(s, "_") == []
        assert len(queries.ids_with_prefix(s, "", limit=10)) == 3


def test_cursors_are_kept_per_user_and_are_not_events(service: Service, three: dict[str, str]) -> None:
    rid = three["draft"]
    assert service.cursor(rid) is None
    service.editing.save_cursor(rid, "weigh", "autonomy")
    service.editing.save_cursor(rid, "decide", "rationale")
    assert service.cursor(rid) == ("decide", "rationale")
    with service.db.reading() as s:
        assert cursors.read_cursor(s, rid, "someone else") is None
    assert service.summary(rid).events == 2
    assert service.integrity.verify(rid) == (1, [])


@pytest.mark.sqlite_only  # the TUI's first page is read from a SQLite file before the service opens
def test_the_first_page_is_the_list_query_read_only(service: Service, three: dict[str, str], tmp_path: Path) -> None:
    from ethicsdesk.service.first_page import first_page

    assert first_page(service.db.url, 2) == service.list_records(limit=2)
    assert first_page(f"sqlite:///{tmp_path / 'none.db'}", 2) is None
    assert not (tmp_path / "none.db").exists()


def test_a_list_for_a_user_gives_the_step_where_they_left_each_record(
    service: Service, three: dict[str, str]
) -> None:
    """Home's Step column: where this user left the record (another user's place is not theirs); the
    step reached where they never opened it. Searching gives the same."""
    from ethicsdesk.service import Service as FullService
    from ethicsdesk.settings import User

    service.editing.save_cursor(three["discharge"], "decide", "f-rationale")
    other = FullService.open(service.db.url, User("Dana Whitlock", "supervisor"))
    try:
        other.editing.save_cursor(three["gift"], "weigh", "matrix")
        mine = {r.id: r.step for r in service.list_records(where_i_left=True)}
        listed = {r.id: r.step for r in service.list_records()}
        assert mine[three["discharge"]] == "decide" and listed[three["discharge"]] == "consult"
        assert mine[three["gift"]] == listed[three["gift"]]  # Dana's place is not mine
        assert mine[three["draft"]] == listed[three["draft"]] == "situation"
        assert {r.id: r.step for r in other.list_records(where_i_left=True)}[three["gift"]] == "weigh"
        found = service.list_records(search="capacity", where_i_left=True)
        assert {r.id: r.step for r in found}.get(three["discharge"]) == "decide"
    finally:
        other.close()
