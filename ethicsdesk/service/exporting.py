"""Exporting a record's rationale report, and writing a training debrief or cohort view to a file.

The formats are reporting's (reporting/exporters.py: one class per format, over the templates in
`reports/`); this module is the operation around them. `export_record` reads the record as it
stands (state, head hash and history from one consistent moment), builds the view data, masks the
identifiers unless asked not to, scans the free text for identifier lookalikes, renders, and then
logs the export as an event and writes the file (service/output_files.py) in one transaction: the
event is committed only once the file has its name, and a file whose event could not be committed
is removed, so the log counts exactly the reports delivered. The report therefore shows the head
hash and event count before its own event.

A debrief or a cohort view (reporting/training_report.py) is written through the same helper; it is
a trainer's file about fictional samples, so nothing is logged or masked.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ethicsdesk.domain.analysis import analyse_record
from ethicsdesk.domain.record import RecordState
from ethicsdesk.errors import BadInput, Conflict
from ethicsdesk.reporting.exporters import Exporter, RenderOptions, exporter_for
from ethicsdesk.reporting.masking import find_lookalikes, find_near_misses, mask_identifiers
from ethicsdesk.reporting.view import build_report_view, free_text

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from ethicsdesk.domain.training import Cohort, Debrief
    from ethicsdesk.service.records import HistoryEntry, RecordAccess

PAPER_SIZES = {"a4": "A4", "letter": "letter"}
_READ_ATTEMPTS = 3


@dataclass
class ExportResult:
    path: Path | None  # None when the report went to standard output
    format: str
    masked: bool
    warnings: list[str] = field(default_factory=list)


# --- settings from the config file ------------------------------------------------------------------
def configured_options(templates: Path | None) -> RenderOptions:
    """--templates wins; otherwise `report_templates` and `report_paper` from the config file."""
    from ethicsdesk.settings import read_config

    config = read_config()
    folder = templates
    if folder is None and isinstance(config.get("report_templates"), str):
        folder = Path(str(config["report_templates"])).expanduser()
    paper = str(config.get("report_paper", "A4")).lower()
    if paper not in PAPER_SIZES:
        raise BadInput(f"report_paper in the config file must be one of: {', '.join(PAPER_SIZES)}.")
    return RenderOptions(folder, PAPER_SIZES[paper])


# --- writing --------------------------------------------------------------------------------------
def default_path(record_id: str, exporter: Exporter, out: Path | None) -> Path:
    return _destination(f"ethicsdesk-{record_id}.{exporter.extension}", out)


def _destination(name: str, out: Path | None) -> Path:
    """`name` in the current folder, or in `out` when it is a folder; `out` itself otherwise."""
    if out is None:
        return Path.cwd() / name
    return out / name if out.is_dir() else out


# --- the whole export -----------------------------------------------------------------------------
def _read_consistently(service: RecordAccess, record_id: str) -> tuple[RecordState, str, list[HistoryEntry]]:
    """The record, its head hash and its history as of one and the same event: they are read in
    separate transactions, so a change in between is retried rather than mixed into the report."""
    for _ in range(_READ_ATTEMPTS):
        state = service.record(record_id)
        history = service.history(record_id)
        head = service.head(record_id)
        if history and history[-1].seq == state.events and history[-1].hash == head:
            return state, head, history
    raise Conflict("The record kept changing while it was being exported; try again.")


def _read_without_history(service: RecordAccess, record_id: str) -> tuple[RecordState, str, list[dict[str, Any]]]:
    """The record, its head hash and its contributors as of one and the same event (one read
    transaction), for a report that shows no history: the log's count, not its events."""
    return service.record_and_contributors(record_id)


def report_data(
    service: RecordAccess, record_id: str, *, masked: bool = True, with_history: bool = True
) -> dict[str, Any]:
    """The view data of a record's report as it stands (masked unless `masked` is False)."""
    return _report(service, record_id, masked=masked, with_history=with_history)[0]


def _report(
    service: RecordAccess, record_id: str, *, masked: bool, with_history: bool
) -> tuple[dict[str, Any], RecordState]:
    """The view data and the record it shows. Without `with_history` the view's history is empty
    (the HTML and Markdown templates show none): building and masking 10,000 entries nobody reads
    made an export's cost grow with the record's age."""
    people: list[dict[str, Any]] | None = None
    if with_history:
        state, head, history = _read_consistently(service, record_id)
    else:
        (state, head, people), history = _read_without_history(service, record_id), []
    framework = service.framework_of(state)
    catalogue = service.catalogue()
    analysis = analyse_record(state, framework, catalogue)
    view = build_report_view(
        state,
        framework,
        catalogue,
        analysis,
        head,
        history,
        exported_at=service.clock.now(),
        exported_by=service.user.name,
        masked=masked,
        contributors=people,
    )
    return (mask_identifiers(view, state.identifiers) if masked else view), state


def identifier_warnings(view: dict[str, Any], identifiers: Sequence[str] = ()) -> list[str]:
    """One line per passage that looks like an identifier and is not masked, then what to do.
    With the record's `identifiers` (a masked report), also each passage that spells one of them
    with other accents, which masking leaves in view."""
    record = view["record"]
    # The record's own id, case code and listed identifiers are shown on purpose (masked or not).
    shown = [record["id"], record["case_code"], *view["report"]["identifiers"]]
    found = find_near_misses(free_text(view), identifiers) + find_lookalikes(free_text(view), ignore=shown)
    if not found:
        return []
    return [
        *(str(f) for f in found),
        f"{len(found)} passage(s) above look like identifiers but are not in the record's identifiers, "
        "so the report shows them: add them to the identifiers or reword them, then export again.",
    ]


@dataclass(frozen=True)
class PreparedReport:
    """A report rendered in memory and not yet written: what the app shows (its warnings) before
    asking where, and whether, to write it."""

    record_id: str
    exporter: Exporter
    masked: bool
    data: bytes
    warnings: list[str]

    @property
    def file_name(self) -> str:
        return f"ethicsdesk-{self.record_id}.{self.exporter.extension}"


def prepare_export(
    service: RecordAccess,
    record_id: str,
    fmt: str,
    *,
    include_identifiers: bool = False,
    templates: Path | None = None,
) -> PreparedReport:
    """Render a record's report as `fmt` and find the passages that look like identifiers, writing
    nothing: template errors and identifier warnings come before any file (the app asks first)."""
    exporter = exporter_for(fmt)
    options = configured_options(templates)
    masked = not include_identifiers
    # An agency's own templates may show the history; the shipped HTML and Markdown do not.
    with_history = exporter.shows_history or options.templates is not None
    view, state = _report(service, record_id, masked=masked, with_history=with_history)
    warnings = identifier_warnings(view, state.identifiers if masked else ())
    return PreparedReport(record_id, exporter, masked, exporter.render(view, options), warnings)


def write_prepared(service: RecordAccess, report: PreparedReport, out: Path | None, *, force: bool) -> ExportResult:
    """Write a prepared report to `out` (a folder takes ethicsdesk-<id>.<ext>; None: the current
    folder), logging the export in the transaction that delivers it: a report that could not be
    written is not logged. An existing file is replaced only with `force`; the database, a device, a
    FIFO or a folder never."""
    exporter, record_id, masked = report.exporter, report.record_id, report.masked
    path = default_path(record_id, exporter, out).absolute()
    published = False

    def deliver() -> None:
        nonlocal published
        service.write_file(path, report.data, force=force)
        published = True

    try:
        service.record_export(record_id, exporter.name, masked, str(path), deliver)
    except BaseException:
        # the event was not committed: a report already given its name would be one the log does
        # not know, so it goes too
        if published:
            path.unlink(missing_ok=True)
        raise
    return ExportResult(path, exporter.name, masked, report.warnings)


def export_record(
    service: RecordAccess,
    record_id: str,
    fmt: str,
    out: Path | None = None,
    *,
    include_identifiers: bool = False,
    templates: Path | None = None,
    force: bool = False,
) -> ExportResult:
    """Render a record's report as `fmt` to `out` (default ethicsdesk-<id>.<ext> in the current
    folder; a folder puts that name in it; Path('-') writes to standard output), logging the export in
    the transaction that delivers it: a report that could not be delivered is not logged. An existing
    file is replaced only with `force`; the database, a device, a FIFO or a folder never."""
    exporter = exporter_for(fmt)
    to_stdout = out is not None and str(out) == "-"
    if to_stdout and exporter.binary:
        raise BadInput(f"A {exporter.name.upper()} report cannot go to standard output; give --out FILE.")
    if not to_stdout:
        # refused before the report is made (and checked again when it is written)
        service.check_file(default_path(record_id, exporter, out).absolute(), force=force)
    report = prepare_export(service, record_id, fmt, include_identifiers=include_identifiers, templates=templates)
    if not to_stdout:
        return write_prepared(service, report, out, force=force)
    service.record_export(record_id, exporter.name, report.masked, "standard output", lambda: _to_stdout(report.data))
    return ExportResult(None, exporter.name, report.masked, report.warnings)


def chosen_folder(typed: str) -> Path:
    """The folder a person typed for a report (a leading ~ is their home). The configured default
    (settings.export_folder) is made, private, if it is not there yet; any other must exist, so a
    typo is one sentence rather than a new folder nobody finds."""
    from ethicsdesk.settings import export_folder

    if not typed.strip():
        raise BadInput("Give the folder to write the report in.")
    folder = Path(typed.strip()).expanduser().absolute()
    if not folder.exists() and folder == export_folder():
        try:
            folder.mkdir(parents=True, mode=0o700)
        except OSError as exc:
            raise BadInput(f"The folder {folder} cannot be made: {exc.strerror or exc}.") from None
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise BadInput(f"{folder} {what}; choose a folder for the report.")
    return folder


def _to_stdout(data: bytes) -> None:
    if hasattr(sys.stdout, "buffer"):
        sys.stdout.buffer.write(data)
    else:  # a replaced stdout (a test's capture, the TUI) takes text
        sys.stdout.write(data.decode())
    sys.stdout.flush()


# --- the training files ---------------------------------------------------------------------------
def write_comparison(
    service: RecordAccess,
    found: Debrief | Cohort,
    fmt: str = "md",
    out: Path | None = None,
    obligation_names: Mapping[str, str] | None = None,
    *,
    force: bool = False,
) -> Path:
    """Write a debrief (`ethicsdesk-debrief-<record id>.<md|json>`) or a cohort view
    (`ethicsdesk-cohort-<sample id>.<md|json>`), in the current folder unless `out` names a folder
    or a file; an existing file is replaced only with `force`. Returns where it went."""
    from ethicsdesk.domain.training import Debrief
    from ethicsdesk.reporting.training_report import cohort_file, debrief_file

    if isinstance(found, Debrief):
        name, data = f"ethicsdesk-debrief-{found.record_id}.{fmt}", debrief_file(found, fmt, obligation_names)
    else:
        name, data = f"ethicsdesk-cohort-{found.reference.sample_id}.{fmt}", cohort_file(found, fmt, obligation_names)
    return service.write_file(_destination(name, out), data, force=force)
