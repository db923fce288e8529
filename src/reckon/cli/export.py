"""`reckon export …`: the group that export commands (links, case, memorial) attach to."""

from __future__ import annotations

import typer

from reckon.cli.app import app

export_app = typer.Typer(
    help="Export links, case files and other products of the project.", no_args_is_help=True
)
app.add_typer(export_app, name="export")
