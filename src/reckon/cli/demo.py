"""`reckon demo`: the main job on an embedded default, start to finish, on invented data."""

from __future__ import annotations

import shutil
from pathlib import Path

import typer
from rich.table import Table

from reckon.access import resolve_actor
from reckon.cli.app import app
from reckon.cli.context import console
from reckon.errors import ProjectError
from reckon.ingest import import_file
from reckon.registry import find_records, list_sources
from reckon.store import init_project
from reckon.store.project import SETTINGS_FILE

EXAMPLES = Path("examples")
SAMPLE_SOURCES = {
    "ngo_list.csv": "NGO list",
    "family_testimonies.csv": "Family testimonies",
    "press_reports.tsv": "Press reports",
}


@app.command("demo")
def demo(
    directory: Path = typer.Option(
        Path("demo-project"), "--dir", help="Where to build the demo project (replaced if a demo)."
    ),
    examples: Path = typer.Option(EXAMPLES, "--examples", help="Folder of sample lists."),
) -> None:
    """Build a demo project from the sample lists and show what Reckon made of them."""
    if directory.exists():
        if not (directory / SETTINGS_FILE).exists() or not (directory / ".demo").exists():
            raise ProjectError(f"{directory} exists and is not a demo project; choose --dir")
        shutil.rmtree(directory)
    project = init_project(directory)
    (directory / ".demo").write_text("created by `reckon demo`; safe to delete\n")
    console.rule("1. Import the sample lists")
    for file_name, source in SAMPLE_SOURCES.items():
        result = import_file(project, examples / file_name, source, actor="demo")
        console.print(
            f"{source:<20} {result.rows_imported:>3} of {result.rows_read} rows "
            f"({result.file_format}, {result.encoding})"
        )
    table = Table("source", "records")
    for summary in list_sources(project):
        table.add_row(summary.name, str(summary.records))
    console.print(table)
    console.rule("2. Search across scripts")
    for query in ("Karimi", "قاسمی", "Ghasemi"):
        rows, total = find_records(project, resolve_actor(project), search=query)
        names = ", ".join(f"{r.display_name} [{r.source.name}]" for r in rows)
        console.print(f"{query!r}: {total} record(s): {names}")
    project.close()
    console.print(f"\nThe demo project is in {directory}/ (try `reckon -p {directory} records`).")
