"""The HTML report in a real browser (Debian's chromium, headless): hostile text in every field runs
no script and makes no element, the inline style is accepted by the Content-Security-Policy, and
the page renders. Skipped where chromium is missing, except in CI (tests/conftest.require_tool)."""

from __future__ import annotations

import re
import struct
import subprocess
from html import unescape
from pathlib import Path

import pytest

from ethicsdesk.service import Service
from ethicsdesk.service.exporting import export_record
from ethicsdesk.terminal_text import BIDI_CONTROLS
from tests.conftest import require_tool
from tests.reporting.conftest import HOSTILE_LABEL
from tests.reporting.test_hostile_text import TEMPLATE_ELEMENTS, parse

pytestmark = pytest.mark.slow

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        require_tool("chromium"),
        *FLAGS,
        f"--user-data-dir={tmp_path / 'profile'}",  # tests may run side by side
        "--enable-logging=stderr",
        "--v=0",  # the page's console messages, CSP violations among them, go to stderr
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def console(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def export_html(service: Service, rid: str, tmp_path: Path) -> Path:
    result = export_record(service, rid, "html", tmp_path / "report.html", include_identifiers=True)
    assert result.path is not None
    return result.path


def test_hostile_text_runs_no_script_and_makes_no_element(service: Service, hostile_id: str, tmp_path: Path) -> None:
    page = export_html(service, hostile_id, tmp_path)
    run = chromium(tmp_path, "--dump-dom", page.as_uri())
    dom = parse(run.stdout)
    tags = [tag for tag, _ in dom.tags]
    assert "script" not in tags and "img" not in tags and "a" not in tags
    assert set(tags) <= TEMPLATE_ELEMENTS, set(tags) - TEMPLATE_ELEMENTS
    assert not [a for _, attrs in dom.tags for a in attrs if a.startswith("on")]
    # The payload sets document.title; the title the browser ends with is the report's own.
    title = re.search(r"<title>(.*?)</title>", run.stdout, re.S)
    # (bidi formatting characters are dropped from an HTML report: a <title> cannot isolate them)
    label = BIDI_CONTROLS.sub("", HOSTILE_LABEL)
    assert title is not None and unescape(title.group(1)) == f"{label} — ethics rationale {hostile_id}"
    assert "".join(dom.text).count("document.title='PWNED'") > 10  # the text itself is still there
    assert HOSTILE_LABEL[:20] in "".join(dom.text)
    # No script was blocked (none was attempted) and the inline style was allowed by its hash.
    assert console(run.stderr) == []


def test_the_report_renders_on_a_desktop_and_a_phone(service: Service, threat_id: str, tmp_path: Path) -> None:
    page = export_html(service, threat_id, tmp_path)
    for width in (1000, 400):
        shot = tmp_path / f"shot-{width}.png"
        run = chromium(tmp_path, f"--screenshot={shot}", f"--window-size={width},2000", page.as_uri())
        assert console(run.stderr) == []
        png = shot.read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", png[16:24]) == (width, 2000)
        assert len(png) > 30_000  # a blank or unstyled page compresses to far less


def test_the_policy_would_stop_a_script_that_escaped_escaping(
    service: Service, discharge_id: str, tmp_path: Path
) -> None:
    """Defence in depth: plant a script in the exported file by hand; the CSP refuses to run it."""
    page = export_html(service, discharge_id, tmp_path)
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("</h1>", "</h1><script>document.title='RAN'</script>", 1), encoding="utf-8")
    run = chromium(tmp_path, "--dump-dom", page.as_uri())
    title = re.search(r"<title>(.*?)</title>", run.stdout, re.S)
    assert title is not None and title.group(1) != "RAN"
    assert any("Content Security Policy" in line for line in console(run.stderr))
