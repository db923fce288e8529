"""`reckon init` and `reckon sources`: create a project, list its sources."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from reckon.cli.app import app, options
from reckon.cli.context import console, current_project
from reckon.registry import list_sources
from reckon.store import init_project


@app.command("init")
def init(
    directory: Path = typer.Argument(
        Path("."), help="Project directory to create (or upgrade); default: the current one."
    ),
) -> None:
    """Create a project (database, file store, settings), or upgrade an existing one."""
    project = init_project(directory, options.database_url)
    backend = "SQLite" if project.is_sqlite else project.engine.dialect.name
    console.print(f"Project ready in {project.root} ({backend} database, schema up to date).")
    project.close()


@app.command("sources")
def sources() -> None:
    """List the sources of the project with their imports and record counts."""
    project = current_project()
    rows = list_sources(project)
    table = Table("id", "source", "sensitivity", "files", "records", "last import")
    for row in rows:
        table.add_row(
            str(row.id),
            row.name,
            row.sensitivity,
            str(row.files),
            str(row.records),
            row.last_import.strftime("%Y-%m-%d %H:%M") if row.last_import else "-",
        )
    console.print(table if rows else "No sources yet: import a list with `reckon import`.")
