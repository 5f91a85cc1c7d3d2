"""export_record: where the file goes, how it is written, what it never replaces, and that every
export is logged in the transaction that names the report (the log counts exactly the reports written)."""

from __future__ import annotations

import builtins
import json
import os
from pathlib import Path
from typing import Any

import pytest

from ethicsdesk.errors import BadInput
from ethicsdesk.reporting.exporters import PDF_HINT
from ethicsdesk.service import Service
from ethicsdesk.service.exporting import export_record
from ethicsdesk.store import durable_files


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """An empty folder for reports (tmp_path also holds the test database)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def exports(service: Service, rid: str) -> list[dict[str, Any]]:
    return [e for e in service.integrity.event_payloads(rid) if e["type"] == "record.exported"]


@pytest.mark.parametrize(("fmt", "marker"), [("md", b"# A capable"), ("html", b"<!DOCTYPE html>"), ("json", b"{")])
def test_the_default_path_is_in_the_current_folder(
    service: Service, discharge_id: str, in_tmp: Path, fmt: str, marker: bytes
) -> None:
    result = export_record(service, discharge_id, fmt)
    assert result.path == in_tmp / f"ethicsdesk-{discharge_id}.{fmt}"
    assert result.path.read_bytes().startswith(marker)
    assert (result.format, result.masked, result.warnings) == (fmt, True, [])
    assert os.stat(result.path).st_mode & 0o777 == 0o600  # a report is about a client


def test_a_folder_as_out_gets_the_default_name(service: Service, discharge_id: str, tmp_path: Path) -> None:
    result = export_record(service, discharge_id, "md", tmp_path)
    assert result.path == tmp_path / f"ethicsdesk-{discharge_id}.md"


def test_the_export_is_logged_before_the_file_is_named_and_the_report_shows_the_head_before_it(
    service: Service, discharge_id: str, tmp_path: Path
) -> None:
    head_before = service.head(discharge_id)
    out = tmp_path / "r.json"
    export_record(service, discharge_id, "json", out)
    report = json.loads(out.read_text())
    assert report["integrity"] == {
        "head_hash": head_before,
        "events": 1,
        "export_event": 2,
        "verify_command": f"ethicsdesk verify {discharge_id}",
    }
    [event] = exports(service, discharge_id)
    assert event["seq"] == 2 and event["actor"] == "Robin Ashdown"
    assert event["payload"] == {"format": "json", "masked": True, "target": str(out)}
    assert service.head(discharge_id) != head_before
    assert service.integrity.verify(discharge_id)[1] == []


def test_including_identifiers_is_logged_as_unmasked(service: Service, discharge_id: str, tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    result = export_record(service, discharge_id, "md", out, include_identifiers=True)
    assert result.masked is False
    assert "Anselm Thistlewood" in out.read_text()
    assert "INCLUDES the client's identifiers" in out.read_text()
    assert exports(service, discharge_id)[0]["payload"]["masked"] is False


def test_standard_output(service: Service, discharge_id: str, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    result = export_record(service, discharge_id, "md", Path("-"))
    assert result.path is None
    assert capsysbinary.readouterr().out.startswith(b"# A capable patient")
    assert exports(service, discharge_id)[0]["payload"]["target"] == "standard output"


def test_pdf_cannot_go_to_standard_output(service: Service, discharge_id: str) -> None:
    with pytest.raises(BadInput, match="give --out FILE"):
        export_record(service, discharge_id, "pdf", Path("-"))
    assert exports(service, discharge_id) == []


def test_an_unknown_format_lists_the_formats(service: Service, discharge_id: str) -> None:
    with pytest.raises(BadInput, match=r"'docx' is not a report format; use one of: md, html, json, pdf\."):
        export_record(service, discharge_id, "docx")


def test_markdown_is_also_accepted_by_its_name(service: Service, discharge_id: str, tmp_path: Path) -> None:
    assert export_record(service, discharge_id, "Markdown", tmp_path).format == "md"


def test_without_weasyprint_pdf_says_how_to_get_it(
    service: Service, discharge_id: str, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_import = builtins.__import__

    def no_weasyprint(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint":
            raise ImportError("No module named 'weasyprint'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    with pytest.raises(BadInput) as caught:
        export_record(service, discharge_id, "pdf", out_dir / "r.pdf")
    assert caught.value.message == PDF_HINT == "PDF export needs weasyprint: pip install 'ethicsdesk[pdf]'."
    assert "\n" not in caught.value.message
    assert list(out_dir.iterdir()) == [] and exports(service, discharge_id) == []


def test_a_failed_write_leaves_no_file_and_no_event(
    service: Service, discharge_id: str, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = out_dir / "r.html"
    out.write_text("the previous report")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(durable_files.os, "fsync", disk_full)
    with pytest.raises(BadInput, match="No space left on device"):
        export_record(service, discharge_id, "html", out, force=True)
    assert [p.name for p in out_dir.iterdir()] == ["r.html"]  # no temporary file left behind
    assert out.read_text() == "the previous report"
    assert exports(service, discharge_id) == []


def test_a_failed_rename_logs_nothing(
    service: Service, discharge_id: str, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = out_dir / "r.html"

    def broken_link(src: str, dst: str) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(durable_files.os, "link", broken_link)
    with pytest.raises(BadInput, match="Input/output error"):
        export_record(service, discharge_id, "html", out)
    assert list(out_dir.iterdir()) == []
    assert exports(service, discharge_id) == []  # the event went with the report that was not written


def test_an_export_that_cannot_be_logged_takes_its_file_back(
    service: Service, discharge_id: str, out_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any) -> None:
        raise BadInput("The database refused the change.")

    monkeypatch.setattr(service, "record_export", refuse)
    with pytest.raises(BadInput, match="refused"):
        export_record(service, discharge_id, "md", out_dir / "r.md")
    assert list(out_dir.iterdir()) == []


def test_a_missing_folder_is_bad_input(service: Service, discharge_id: str, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="does not exist"):
        export_record(service, discharge_id, "md", tmp_path / "no" / "r.md")
    assert exports(service, discharge_id) == []


def test_a_broken_agency_template_names_itself_and_writes_nothing(
    service: Service, discharge_id: str, tmp_path: Path
) -> None:
    templates = tmp_path / "agency"
    templates.mkdir()
    (templates / "report.md.j2").write_text("# {{ record.title }}\n{{ record.nonsense }}\n")
    with pytest.raises(BadInput) as caught:
        export_record(service, discharge_id, "md", tmp_path / "r.md", templates=templates)
    assert str(templates / "report.md.j2") in caught.value.message and "line 2" in caught.value.message
    assert not (tmp_path / "r.md").exists() and exports(service, discharge_id) == []


def test_an_agency_template_folder_from_the_config_file(
    service: Service, discharge_id: str, tmp_path: Path, isolated_home: Path
) -> None:
    templates = tmp_path / "agency"
    templates.mkdir()
    (templates / "report.md.j2").write_text("Agency report for {{ record.case_code }}\n")
    (isolated_home / "config.toml").write_text(f'report_templates = "{templates}"\n')
    result = export_record(service, discharge_id, "md", tmp_path / "r.md")
    assert result.path is not None and result.path.read_text() == "Agency report for C-1042\n"


def test_warnings_list_unmasked_lookalikes(service: Service, discharge_id: str, tmp_path: Path) -> None:
    service.editing.set_text(
        discharge_id, "unknowns", "Whether the GP (fax 617-555-0100) has seen him since 2 May 2024."
    )
    result = export_record(service, discharge_id, "md", tmp_path / "r.md")
    assert result.warnings[:2] == [
        "Situation: unknowns: '2 May 2024' looks like a full date",
        "Situation: unknowns: '617-555-0100' looks like a phone or fax number",
    ]
    assert result.path is not None and result.path.exists()  # a warning does not stop the export


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_empty_record_keeps_every_section_and_says_it_is_empty(
    service: Service, out_dir: Path, fmt: str
) -> None:
    rid = service.editing.create_record("Nothing yet")
    result = export_record(service, rid, fmt, out_dir)
    assert result.path is not None
    text = result.path.read_text()
    sections = ["The question for consultation", "Situation", "Obligations", "Options", "Weighing",
                "Tensions and robustness", "Decision", "Checks", "Consultation and sign-off", "Outcome",
                "Integrity"]  # fmt: skip
    for n, title in enumerate(sections, 1):
        assert f"{n}. {title}" in text
    for empty in ["No ethics question has been written yet.", "No stakeholders are recorded.",
                  "No obligations are ticked.", "No options are recorded.", "Nothing has been weighed yet.",
                  "No tension between principles was found", "No option has been chosen yet.",
                  "No supervisor consultation has been requested.", "No outcome has been recorded yet."]:  # fmt: skip
        assert empty in text, empty


def test_the_command_line_export(service: Service, discharge_id: str, db_url: str, out_dir: Path) -> None:
    from typer.testing import CliRunner

    from ethicsdesk.cli.app import app

    service.editing.set_text(discharge_id, "context", "Ward fax 617-555-0100.")
    out = out_dir / "r.md"
    run = CliRunner().invoke(app, ["export", discharge_id[:6], "--format", "md", "--out", str(out), "--db", db_url])
    assert run.exit_code == 0, run.output
    assert f"Wrote {out} (md, identifiers masked)." in run.stdout
    assert "warning: Situation: context (family, payer, agency policy, law): '617-555-0100' looks like" in run.stderr
    assert out.read_text().startswith("# A capable patient")
