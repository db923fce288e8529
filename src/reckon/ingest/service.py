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
from contextlib import closing
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from reckon import audit
from reckon.audit.log import WrittenRows, import_records
from reckon.errors import RowProblem, ValidationError
from reckon.evidence.filestore import FileStore, sha256_file
from reckon.ingest.mapping import ColumnMapping, resolve_mapping
from reckon.ingest.normalizer import RecordNormalizer
from reckon.ingest.pipeline import (
    cycle_collection_paused,
    default_workers,
    normalized_chunks,
)
from reckon.ingest.readers import open_table
from reckon.model import ImportBatch, Record, Sensitivity, Source
from reckon.model.base import utcnow
from reckon.store.bulk import BulkInserter, bulk_load
from reckon.store.project import Project, current_actor
from reckon.text import rules_fingerprint

PROBLEMS_KEPT = 1000  # in memory; the CSV report holds every one
#: Rows read first to learn how the file writes numeric dates (day or month first).
DAY_ORDER_SAMPLE = 20_000

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
    `workers` is the number of normalizing processes (default: `default_workers`).
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
                rules_fingerprint=rules_fingerprint(),
            )
            session.add(batch)
            session.flush()
            # The records' audit cover is fed as they are inserted; closing it removes its
            # temporary file whatever happens.
            with (
                bulk_load(session.connection()),
                closing(
                    _import_rows(
                        session,
                        table,
                        mapping,
                        source,
                        batch,
                        display,
                        report,
                        result,
                        progress,
                        workers,
                    )
                ) as records,
            ):
                if strict and report.count:
                    raise ValidationError(
                        report.kept,
                        f"{report.count} problem(s) in {len(report.rows)} row(s); nothing "
                        f"imported (--strict). First: {report.kept[0]}",
                    )
                batch.rows_read = result.rows_read
                batch.rows_imported = result.rows_imported
                batch.rows_rejected = result.rows_rejected
                # The original file joins the store before the commit: a crash between the
                # two leaves an unreferenced file (harmless), never a batch without its file.
                FileStore(project.files_dir).put(path)
                audit.record_import(session, batch, actor=actor, records=records)  # one entry
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
) -> WrittenRows:
    """Normalize and insert every row; return the records' audit cover, fed as they go in."""
    connection = session.connection()
    normalizer = RecordNormalizer(
        display,
        table.headers,
        mapping,
        {"source_id": source.id, "batch_id": batch.id, "sensitivity": source.sensitivity},
    )
    inserter = BulkInserter(connection, Record.__table__, normalizer.columns)
    records = import_records(batch.id, normalizer.columns)
    # created_at goes in as text that reads back exactly as the audit digests it: SQLite keeps
    # the text (isoformat(" "), as sqlite3's datetime adapter wrote it before); PostgreSQL
    # parses it and returns the same instant, which the audit writes as isoformat().
    sep = "T" if connection.dialect.name == "postgresql" else " "
    row_number_at = normalizer.columns.index("row_number")
    ids_of = _record_ids(connection, batch.id)
    # Reader notes (XLSX formula cells) are filled in as rows are read, so attach them here.
    items = (
        (row_number, values, table.row_notes.pop(row_number, None))
        for row_number, values in table.rows
    )
    # The first rows tell how the file writes numeric dates (16.08.1988: day first).
    head = list(islice(items, DAY_ORDER_SAMPLE))
    normalizer.learn_day_orders(head)
    items = chain(head, items)
    if workers is None:
        workers = default_workers(table.size_bytes)

    def now() -> str:
        return utcnow().isoformat(sep)

    chunks = normalized_chunks(items, normalizer, now, workers, encode=records.encoder)
    try:
        with cycle_collection_paused():
            for chunk in chunks:
                result.rows_read += chunk.read
                result.rows_rejected += chunk.rejected
                for problem in chunk.problems:
                    report.add(problem)
                rows = chunk.rows
                if rows:
                    inserter.insert_rows(rows)
                    ids = ids_of(rows[0][row_number_at], rows[-1][row_number_at])
                    records.add(ids, rows, chunk.texts)
                    result.rows_imported += len(rows)
                if progress:
                    progress(result.rows_read, table.bytes_read())
    except BaseException:
        records.close()
        raise
    if progress:
        progress(result.rows_read, table.size_bytes)
    return records


def _record_ids(connection, batch_id: int) -> Callable[[int, int], list[int]]:
    """The ids the database gave the batch's records in a range of row numbers, in row order.

    Straight through the driver: SQLAlchemy's result objects cost more than the query.
    """
    driver = connection.connection.driver_connection
    marker = "%s" if connection.dialect.name == "postgresql" else "?"
    sql = (
        f"SELECT id FROM record WHERE batch_id = {marker} "
        f"AND row_number BETWEEN {marker} AND {marker} ORDER BY row_number"
    )

    def ids(first: int, last: int) -> list[int]:
        cursor = driver.cursor()
        try:
            cursor.execute(sql, (batch_id, first, last))
            return [row[0] for row in cursor.fetchall()]
        finally:
            cursor.close()

    return ids
