"""`reckon records` and `reckon show`: browse and search what the lists say."""

from __future__ import annotations

import typer
from rich.table import Table

from reckon.access import resolve_actor
from reckon.cli.app import app, err_console
from reckon.cli.context import console, current_project
from reckon.ingest import keys_outdated
from reckon.registry import find_records, get_record

STALE_KEYS_HINT = "Name keys were made by older rules; run `reckon renormalize` to refresh them."


@app.command("records")
def records(
    source: str | None = typer.Option(None, "--source", "-s", help="Only records of this source."),
    search: str | None = typer.Option(
        None, "--search", "-q", help="Find a name in Persian or Latin script, in any spelling."
    ),
    limit: int = typer.Option(50, min=1, max=10000, help="Show at most this many records."),
    offset: int = typer.Option(0, min=0, help="Skip this many records first."),
) -> None:
    """List records, optionally of one source or matching a name."""
    project = current_project()
    rows, total = find_records(
        project, resolve_actor(project), source=source, search=search, limit=limit, offset=offset
    )
    table = Table("id", "source", "row", "name as written", "father", "death date", "place")
    for record in rows:
        table.add_row(
            str(record.id),
            record.source.name,
            str(record.row_number),
            record.display_name,
            record.father_name or "",
            record.death_text or "",
            record.place_of_detention or record.city or "",
        )
    if not rows:
        console.print("No records match.")
    else:
        console.print(table)
        console.print(f"{len(rows)} of {total} record(s) shown.")
    if search and keys_outdated(project):
        err_console.print(STALE_KEYS_HINT, markup=False, soft_wrap=True)


@app.command("show")
def show(record_id: int = typer.Argument(..., help="Record id (see `reckon records`).")) -> None:
    """Show one record: every normalized field and the row exactly as the source wrote it."""
    project = current_project()
    record = get_record(project, resolve_actor(project), record_id)
    table = Table("field", "value", show_header=False)
    fields = [
        ("source", record.source.name),
        ("file", f"{record.batch.file_name} (sha256 {record.batch.sha256[:16]}…)"),
        ("row", str(record.row_number)),
        ("name as written", record.display_name),
        ("given / family", f"{record.given_name or ''} / {record.family_name or ''}"),
        ("normalized name", record.name_normalized or ""),
        ("name key", record.name_key or ""),
        ("honorifics", record.honorifics or ""),
        ("father", record.father_name or ""),
        ("gender", record.gender or ""),
        ("age", "" if record.age is None else str(record.age)),
        ("birth", str(record.birth_date)),
        ("death / execution", str(record.death_date)),
        ("place of detention", record.place_of_detention or ""),
        ("place of death/burial", record.place_of_death or ""),
        ("city", record.city or ""),
        ("affiliation", record.affiliation or ""),
        ("fate", record.fate or ""),
        ("notes", record.notes or ""),
        ("warnings", "; ".join(record.warnings or [])),
    ]
    for name, value in fields:
        table.add_row(name, value)
    console.print(table)
    raw = Table("original column", "original value", title="As the source wrote it")
    for header, value in record.raw.items():
        raw.add_row(header, "" if value is None else str(value))
    console.print(raw)
