"""`reckon import` and `reckon renormalize`: read a list into a source; refresh name keys."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from reckon.access import require_role, resolve_actor
from reckon.cli.app import app, err_console
from reckon.cli.context import console, current_project
from reckon.ingest import SourceInfo, import_file, renormalize
from reckon.model import Role, Sensitivity

SHOWN_PROBLEMS = 20
EXIT_ROWS_REJECTED = 3  # the good rows imported, some rows did not


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="CSV, TSV, XLSX, JSON or JSONL file."),
    source: str = typer.Option(..., "--source", "-s", help="Source (list) name; created if new."),
    mapping: Path | None = typer.Option(
        None, "--mapping", "-m", help="YAML column mapping (default: recognise common headers)."
    ),
    encoding: str | None = typer.Option(
        None, "--encoding", help="Text encoding, e.g. utf-8, utf-16, cp1256 (default: detect)."
    ),
    file_format: str | None = typer.Option(
        None, "--format", help="csv|tsv|xlsx|json|jsonl (default: from the extension)."
    ),
    sheet: str | None = typer.Option(None, "--sheet", help="XLSX sheet (default: the first)."),
    strict: bool = typer.Option(False, "--strict", help="Import nothing if any row is bad."),
    description: str | None = typer.Option(None, "--describe", help="Describe a new source."),
    collector: str | None = typer.Option(None, "--collector", help="Who collected a new source."),
    sensitivity: Sensitivity = typer.Option(
        Sensitivity.INTERNAL, "--sensitivity", help="Sensitivity of a new source."
    ),
) -> None:
    """Import a list of people into a source: bad rows are reported, good rows import.

    Exit status: 0 when every row imported, 3 when some rows were rejected (they are listed and
    written to a CSV report), 1 when nothing was imported.
    """
    project = current_project()
    actor = resolve_actor(project)
    require_role(actor, Role.DOCUMENTER, "import lists")
    info = SourceInfo(description=description, collector=collector, sensitivity=sensitivity.value)
    with Progress(
        TextColumn("Importing {task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    ) as bar:
        task = bar.add_task(file.name, total=file.stat().st_size if file.is_file() else None)
        result = import_file(
            project,
            file,
            source,
            mapping_file=mapping,
            encoding=encoding,
            file_format=file_format,
            sheet=sheet,
            strict=strict,
            source_info=info,
            actor=actor.username,
            progress=lambda rows, done: bar.update(task, completed=done),
        )
    if result.already_imported:
        console.print(
            f"{file.name} (sha256 {result.sha256[:12]}…) is already imported into {source!r} "
            f"as batch {result.batch_id}: nothing to do."
        )
        return
    console.print(
        f"Imported {result.rows_imported} of {result.rows_read} rows from {file.name} into "
        f"{source!r} (batch {result.batch_id}, {result.file_format}"
        f"{', ' + result.encoding if result.encoding else ''})."
    )
    mapped = ", ".join(f"{f}←{h!r}" for f, h in result.mapping["columns"].items())
    console.print(f"Columns: {mapped}")
    if result.mapping["unmapped"]:
        console.print(f"Kept unmapped in the raw row: {', '.join(result.mapping['unmapped'])}")
    if result.problem_count:
        table = Table("row", "column", "value", "reason", title="Rejected rows")
        for problem in result.problems[:SHOWN_PROBLEMS]:
            table.add_row(
                str(problem.row), problem.column or "", problem.value or "", problem.reason
            )
        err_console.print(table)
        more = result.problem_count - min(SHOWN_PROBLEMS, len(result.problems))
        err_console.print(
            f"{result.rows_rejected} row(s) rejected with {result.problem_count} problem(s)"
            f"{f' ({more} more not shown)' if more else ''}; all are in {result.report_path}"
        )
        raise typer.Exit(EXIT_ROWS_REJECTED)


@app.command("renormalize")
def renormalize_(
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Count the records that would change; write nothing."
    ),
) -> None:
    """Recompute every record's normalized names and keys with this Reckon's name rules.

    Run it after upgrading Reckon (or when `reckon records --search` says the keys were made by
    older rules): records imported before a rule improvement keep their old keys until then, so
    a search can miss them. Only the derived name columns change, from the names as written; in
    one audited transaction. Records with sealed fields whose name may be sealed are skipped.
    When records changed, run `reckon link` again so that linkage sees their new names.
    """
    project = current_project()
    actor = resolve_actor(project)
    with Progress(
        TextColumn("Renormalizing records"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    ) as bar:
        task = bar.add_task("records", total=None)
        result = renormalize(
            project,
            actor,
            dry_run=dry_run,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    console.print(result.summary(), markup=False, soft_wrap=True)
    if result.changed and not dry_run:
        console.print("Run `reckon link` again so that linkage sees the new names.")
