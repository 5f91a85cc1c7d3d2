"""Hostile text end to end: one record whose every field a person can fill in (title, case code,
situation, lists, stakeholders, options, notes, decision, answers, consultation question, notes and
conditions, the supervisor's own name, addendum) holds script, HTML, Markdown block and table
syntax, and Rich/Textual markup such as "[bold red]x[/]", "[link=javascript:alert(1)]" and
"[@click=app.quit]". The record is answered, signed and added to, as a real one would be. Then:

- the HTML report, opened in headless Chromium, has no element or attribute of user text, runs
  nothing (no Content-Security-Policy report either) and keeps its own title;
- the Markdown report holds no raw tag and its tables keep their columns;
- the TUI shows every piece of it as the characters typed (the walk's step head, the options list,
  the matrix, the consultation, the home table) and never raises MarkupError; a notification that
  quotes user text (a consultation request) shows it literally too.

tests/reporting/test_hostile_text.py covers the report formats in depth; this is the whole path.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt
from rich.text import Text
from textual.widgets import Button, DataTable, Input, ListView, Static
from textual.widgets._toast import Toast

from ethicsdesk.domain.checks import decision_questions
from ethicsdesk.domain.client_part import FIELD_CHOICES
from ethicsdesk.domain.problem_framing import FRAMING_FIELDS
from ethicsdesk.domain.record import TEXT_FIELDS
from ethicsdesk.domain.walk import STEPS
from ethicsdesk.service import Service
from ethicsdesk.service.exporting import export_record
from ethicsdesk.service.signing import create_key
from ethicsdesk.settings import User
from ethicsdesk.tui.app import Start
from tests.conftest import CASE_MANAGER, require_tool
from tests.reporting.test_hostile_text import TEMPLATE_ELEMENTS, parse
from tests.tui.harness import at_home, in_walk, make_app, notices, wait_until

pytestmark = pytest.mark.slow

MARKUP = "[bold red]x[/]"
LINK = "[link=javascript:alert(1)]click[/link]"
ACTION = "[@click=app.quit]quit[/]"
LINES = [
    MARKUP,
    LINK,
    ACTION,
    "[/] [/bold] [b]unclosed",
    "<script>document.title='PWNED'</script>",
    "<img src=x onerror=\"document.title='PWNED'\"><svg onload=\"document.title='PWNED'\"></svg>",
    '<iframe src="javascript:alert(1)"></iframe><a href="javascript:alert(1)">a</a>',
    "| cell | break |",
    "|---|---|",
    "# Not a heading",
    "**bold** _em_ `code` [md](javascript:alert(1)) ![i](http://example.invalid/x.png)",
    "\u202eright-to-left override &amp; &lt;",
]
HOSTILE = "\n".join(LINES)
TITLE = f"{MARKUP} {LINK} <script>document.title='PWNED'</script> | t |"
CASE_CODE = "[b]C-1[/b]|<i>x</i>"
LABEL = f"{MARKUP} <img src=x onerror=alert(1)> | {ACTION}"
SUPERVISOR = User(f"Dana {MARKUP}", "supervisor")  # the signer's name is user text too
SIZE = (140, 50)


def build(service: Service, supervisor: Service) -> str:
    rid = service.editing.create_record(TITLE, case_code=CASE_CODE)
    for name in TEXT_FIELDS:
        if name not in ("title", "case_code", *FIELD_CHOICES, *FRAMING_FIELDS):  # a choice takes no free text
            service.editing.set_text(rid, name, HOSTILE)
    service.editing.set_list(rid, "tags", [LABEL])
    service.editing.set_list(rid, "identifiers", [f"<i>Ann</i> {MARKUP}"])
    service.editing.set_stakeholders(rid, [(LABEL, HOSTILE)])
    service.editing.set_obligation(rid, "duty-to-warn", True)
    first = service.editing.add_option(rid, LABEL, HOSTILE)
    second = service.editing.add_option(rid, LABEL + " 2", HOSTILE)
    service.editing.check_floor(rid, "duty-to-warn", first, True)
    fw = service.framework()
    for n, p in enumerate(fw.ids):
        service.editing.score(rid, first, p, 2 if n % 2 else -1)
        service.editing.score(rid, second, p, -2)
        service.editing.note(rid, first, p, HOSTILE)
    service.editing.decide(rid, "chosen", first)
    for field in ("rationale", "mitigation"):
        service.editing.decide(rid, field, HOSTILE)
    service.editing.decide(rid, "follow_up", "2026-12-15")  # a date, read as one: it cannot carry text
    for q in decision_questions(service.record(rid), fw):
        service.editing.answer(rid, q.key, HOSTILE)
    service.editing.request_consultation(rid, SUPERVISOR.name, HOSTILE)
    supervisor.review.answer_consultation(rid, "concur-with-changes", HOSTILE, HOSTILE)
    supervisor.review.sign(rid, create_key(SUPERVISOR.name, None))
    service.review.add_addendum(rid, "new-information", f"Because {MARKUP}", HOSTILE)
    return rid


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The signed hostile record on its own database, with its reports (unmasked and masked)."""
    folder = tmp_path_factory.mktemp("hostile-e2e")
    db = folder / "hostile.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ETHICSDESK_HOME", str(folder / "home"))  # the supervisor's key goes here
        mp.delenv("ETHICSDESK_DB", raising=False)
        service = Service.open(f"sqlite:///{db}", CASE_MANAGER)
        supervisor = Service.open(f"sqlite:///{db}", SUPERVISOR)
        try:
            rid = build(service, supervisor)
            reports: dict[str, Path] = {}
            for fmt in ("html", "md"):
                for masked in (False, True):
                    out = folder / f"report-{'masked' if masked else 'full'}.{fmt}"
                    result = export_record(service, rid, fmt, out, include_identifiers=not masked)
                    assert result.path is not None
                    reports[f"{fmt}-{'masked' if masked else 'full'}"] = result.path
            assert service.integrity.verify() == (1, [])
        finally:
            service.close()
            supervisor.close()
    yield {"db": db, "id": rid, "reports": reports, "folder": folder}


# --- the HTML report in a real browser ----------------------------------------------------------
@pytest.mark.parametrize("which", ["html-full", "html-masked"])
def test_the_html_report_is_inert_in_headless_chromium(hostile: dict[str, Any], which: str, tmp_path: Path) -> None:
    page: Path = hostile["reports"][which]
    run = subprocess.run(
        [
            require_tool("chromium"),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    dom = parse(run.stdout)
    tags = [tag for tag, _ in dom.tags]
    assert not {"script", "img", "iframe", "a", "object", "embed", "link", "base", "form"} & set(tags)
    assert set(tags) <= TEMPLATE_ELEMENTS, set(tags) - TEMPLATE_ELEMENTS
    assert not [(t, a) for t, attrs in dom.tags for a in attrs if a.startswith("on") or a in ("src", "href")]
    title = re.search(r"<title>(.*?)</title>", run.stdout, re.S)
    assert title is not None and unescape(title.group(1)) == f"{TITLE} — ethics rationale {hostile['id']}"
    text = "".join(dom.text)
    for piece in (MARKUP, LINK, ACTION, "<script>document.title='PWNED'</script>"):
        assert piece in text  # shown as the characters typed, not dropped
    assert [line for line in run.stderr.splitlines() if ":CONSOLE" in line] == []  # nothing tried to run


# --- the Markdown report ------------------------------------------------------------------------
@pytest.mark.parametrize("which", ["md-full", "md-masked"])
def test_the_markdown_report_is_escaped(hostile: dict[str, Any], which: str) -> None:
    markdown = hostile["reports"][which].read_text(encoding="utf-8")
    for raw in ("<script", "<img", "<svg", "<iframe", "<a ", "<i>"):
        assert raw not in markdown, raw
    html = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough").render(markdown)
    page = parse(html)
    tags = [tag for tag, _ in page.tags]
    assert not {"script", "img", "svg", "iframe", "a", "i"} & set(tags)
    assert tags.count("h1") == 1
    tables = re.findall(r"<table>.*?</table>", html, re.S)
    assert tables
    for table in tables:
        header = len(re.findall(r"<th[ >]", table.split("</thead>")[0]))
        rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
        assert rows and all(len(re.findall(r"<td[ >]", r)) == header for r in rows), table[:300]


# --- the TUI ------------------------------------------------------------------------------------
@pytest.fixture
def on_hostile_db(hostile: dict[str, Any]) -> Iterator[Service]:
    service = Service.open(f"sqlite:///{hostile['db']}", CASE_MANAGER)
    yield service
    service.close()


def screen_text(app: Any) -> str:
    """The characters on the terminal, row by row."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def plain(widget: Static) -> str:
    rendered = widget.render()
    return rendered.plain if hasattr(rendered, "plain") else str(rendered)


async def test_the_walk_shows_every_field_as_typed(hostile: dict[str, Any], on_hostile_db: Service) -> None:
    rid = hostile["id"]
    app = make_app(on_hostile_db, Start(record_id=rid))
    async with app.run_test(size=SIZE) as pilot:
        walk = await in_walk(pilot)
        seen: dict[str, str] = {}
        for step in STEPS:
            await walk.go_to(step)
            await pilot.pause()
            head = plain(walk.query_one("#step-head", Static))
            # the title may wrap over the step line's two title lines: read it unwrapped
            assert head.startswith(f"Step {STEPS.index(step) + 1} of 7 · ") and TITLE in " ".join(head.split()), head
            assert f"signed by {SUPERVISOR.name}, frozen" in head
            seen[step] = screen_text(app)
            assert f"{MARKUP} {LINK}" in seen[step], step  # the title in the step head, as typed

        items = walk.query_one("#option-list", ListView).query(Static)
        listed = [plain(s) for s in items]
        # "▶ " marks the highlighted option (the one e, d, [ ] act on), two spaces the others
        assert listed[0].startswith(f"▶ 1. {LABEL}\n     {LINES[0]}\n{LINES[1]}"), listed[0][:200]
        assert listed[1].startswith(f"  2. {LABEL} 2\n"), listed[1][:200]
        assert f"1. {LABEL}" in seen["options"]  # the second is below, in the list's scroll
        assert f"Signed by {SUPERVISOR.name} on" in seen["consult"]
        for line in (MARKUP, LINK, ACTION, "[/] [/bold] [b]unclosed"):
            assert line in seen["situation"] and line in seen["consult"], line
        assert seen["situation"].count(ACTION) >= 2  # the field and the step's own widgets
        assert notices(app, "error") == []
    # leaving the app without an exception is the proof no MarkupError was raised while drawing


async def test_the_home_table_shows_the_title_as_typed(hostile: dict[str, Any], on_hostile_db: Service) -> None:
    app = make_app(on_hostile_db)
    async with app.run_test(size=SIZE) as pilot:
        home = await at_home(pilot)
        table = home.query_one(DataTable)
        await wait_until(pilot, lambda: table.row_count == 1, "the record listed")
        title, case_code = table.get_row(hostile["id"])[:2]
        assert isinstance(title, Text) and title.plain == TITLE and not title.spans
        assert isinstance(case_code, Text) and case_code.plain == CASE_CODE
        text = screen_text(app)
        assert f"{MARKUP} {LINK}" in text and CASE_CODE[:7] in text  # the column is narrower than the code


async def test_a_notice_quoting_user_text_shows_it_as_typed(service: Service) -> None:
    """Requesting consultation from a supervisor named in markup: the notice quotes the name as typed
    (Textual notices read markup by default: "[link=javascript:…]" raised MarkupError and closed the app)."""
    rid = service.editing.create_record("Plain title")
    service.editing.set_text(rid, "facts", "Known.")
    service.editing.set_text(rid, "question", "Given this, is it justifiable to wait?")
    name = f"Dana {MARKUP} {LINK} {ACTION} [/]"
    app = make_app(service, Start(record_id=rid))
    async with app.run_test(size=SIZE, notifications=True) as pilot:  # tests hide notices by default
        walk = await in_walk(pilot)
        await walk.go_to("consult")
        await pilot.pause()
        walk.query_one("#consult-supervisor", Input).value = name
        walk.query_one("#consult-request", Button).press()
        await wait_until(pilot, lambda: service.record(rid).consultation is not None, "the request saved")
        await wait_until(pilot, lambda: app.screen.query(Toast), "the notice on screen")
        await pilot.pause()
        assert [n.message for n in notices(app)] == [f"Consultation requested from {name}."]
        toast = app.screen.query_one(Toast)  # drawn (a markup notice raised MarkupError here)
        assert f"Consultation requested from {name}." in plain(toast)
    assert service.record(rid).consultation.supervisor == name  # type: ignore[union-attr]
