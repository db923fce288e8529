"""The import service: one file into one source, in one transaction, nothing lost.

The original file is kept in the project's file store under its SHA-256; each row's original
values are kept verbatim in its record; normalization only adds columns. Bad rows are reported
(file, row, column, value, reason) on the result and in a CSV report, and the good rows import;
with `strict=True` any bad row aborts the whole import. Importing the same file into the same
source twice is a no-op.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from reckon import audit
from reckon.errors import RowProblem, ValidationError
from reckon.evidence.filestore import FileStore, sha256_file
from reckon.ingest.mapping import ColumnMapping, resolve_mapping
from reckon.ingest.pipeline import default_workers, normalized_chunks
from reckon.ingest.readers import open_table
from reckon.model import ImportBatch, Record, Sensitivity, Source
from reckon.store.bulk import BulkInserter
from reckon.store.project import Project, current_actor

PROBLEMS_KEPT = 1000  # in memory; the CSV report holds every one

Progress = Callable[[int, int], None]  # (rows read, bytes read)


@dataclass
class ImportResult:
    """What an import did."""

    source: str
    file: str
    sha256: str
    batch_id: int | None = None
    already_imported: bool = False
    file_format: str | None = None
    encoding: str | None = None
    rows_read: int = 0
    rows_imported: int = 0
    rows_rejected: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    problem_count: int = 0
    report_path: Path | None = None
    mapping: dict = field(default_factory=dict)


@dataclass
class SourceInfo:
    """Descriptive fields for a source created by an import (ignored if it exists)."""

    description: str | None = None
    collector: str | None = None
    collected_on: str | None = None
    method: str | None = None
    language: str | None = None
    consent_notes: str | None = None
    licence_notes: str | None = None
    sensitivity: str = Sensitivity.INTERNAL.value


def get_or_create_source(session: Session, name: str, info: SourceInfo | None = None) -> Source:
    source = session.scalar(select(Source).where(Source.name == name))
    if source is None:
        info = info or SourceInfo()
        source = Source(name=name, **info.__dict__)
        session.add(source)
        session.flush()
    return source


class _ProblemReport:
    """Writes every problem to a CSV as it is found; keeps the first few in memory."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.kept: list[RowProblem] = []
        self.count = 0
        self.rows: set[int] = set()
        self._handle = None
        self._writer = None

    def add(self, problem: RowProblem) -> None:
        if self._writer is None:
            self._handle = open(self.path, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
            self._writer = csv.writer(self._handle)
            self._writer.writerow(["file", "row", "column", "value", "reason"])
        self._writer.writerow(
            [problem.file, problem.row, problem.column or "", problem.value or "", problem.reason]
        )
        self.count += 1
        self.rows.add(problem.row)
        if len(self.kept) < PROBLEMS_KEPT:
            self.kept.append(problem)

    def close(self) -> Path | None:
        if self._handle is not None:
            self._handle.close()
            return self.path
        return None


def import_file(
    project: Project,
    path: Path | str,
    source_name: str,
    *,
    mapping_file: Path | None = None,
    encoding: str | None = None,
    file_format: str | None = None,
    sheet: str | None = None,
    strict: bool = False,
    source_info: SourceInfo | None = None,
    actor: str | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
) -> ImportResult:
    """Import one file into a source; see the module docstring for the guarantees.

    Raises ImportFormatError when the file cannot be read at all, ConfigError for a bad mapping
    file, and ValidationError when `strict` and any row is bad. In each case nothing is stored.
    `workers` is the number of normalizing processes (default: spare cores, for large files).
    """
    path = Path(path)
    actor = actor or current_actor()
    display = path.name
    sha = sha256_file(path) if path.is_file() else ""
    result = ImportResult(source=source_name, file=display, sha256=sha)

    with project.session() as session:
        existing = session.scalar(
            select(ImportBatch)
            .join(Source)
            .where(Source.name == source_name, ImportBatch.sha256 == sha)
        )
        if existing is not None:
            result.already_imported = True
            result.batch_id = existing.id
            result.rows_imported = existing.rows_imported
            return result

    table = open_table(path, file_format=file_format, encoding=encoding, sheet=sheet)
    report = _ProblemReport(project.reports_dir / f"import-problems-{sha[:12]}.csv")
    try:
        mapping = resolve_mapping(table.headers, display, mapping_file)
        result.file_format, result.encoding = table.format, table.encoding
        result.mapping = mapping.to_dict()
        with project.transaction() as session:
            source = get_or_create_source(session, source_name, source_info)
            batch = ImportBatch(
                source_id=source.id,
                file_name=display,
                sha256=sha,
                size_bytes=table.size_bytes,
                file_format=table.format,
                encoding=table.encoding,
                imported_by=actor,
                mapping=result.mapping,
                headers=table.headers,
            )
            session.add(batch)
            session.flush()
            _import_rows(
                session, table, mapping, source, batch, display, report, result, progress, workers
            )
            if strict and report.count:
                raise ValidationError(
                    report.kept,
                    f"{report.count} problem(s) in {len(report.rows)} row(s); nothing imported "
                    f"(--strict). First: {report.kept[0]}",
                )
            batch.rows_read = result.rows_read
            batch.rows_imported = result.rows_imported
            batch.rows_rejected = result.rows_rejected
            # The original file joins the store before the commit: a crash between the two
            # leaves an unreferenced file (harmless), never a batch without its file.
            FileStore(project.files_dir).put(path)
            audit.record_import(session, batch, actor=actor)  # one entry: batch + all records
            result.batch_id = batch.id
    finally:
        table.close()
        result.report_path = report.close()
        result.problems = report.kept
        result.problem_count = report.count
    return result


def _import_rows(
    session: Session,
    table,
    mapping: ColumnMapping,
    source: Source,
    batch: ImportBatch,
    display: str,
    report: _ProblemReport,
    result: ImportResult,
    progress: Progress | None,
    workers: int | None,
) -> None:
    inserter = BulkInserter(session.connection(), Record.__table__)
    constant = {
        "source_id": source.id,
        "batch_id": batch.id,
        "sensitivity": source.sensitivity,
    }
    # Reader notes (XLSX formula cells) are filled in as rows are read, so attach them here.
    items = (
        (row_number, values, table.row_notes.pop(row_number, None))
        for row_number, values in table.rows
    )
    if workers is None:
        workers = default_workers(table.size_bytes)
    for chunk in normalized_chunks(items, display, table.headers, mapping, workers):
        rows = []
        for row, raw in chunk:
            result.rows_read += 1
            if row.problems:
                for problem in row.problems:
                    report.add(problem)
                result.rows_rejected += 1
                continue
            row.columns.update(constant, row_number=row.row_number, raw=raw)
            rows.append(row.columns)
        if rows:
            inserter.insert(rows)
            result.rows_imported += len(rows)
        if progress:
            progress(result.rows_read, table.bytes_read())
    if progress:
        progress(result.rows_read, table.size_bytes)
