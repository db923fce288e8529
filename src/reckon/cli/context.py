"""What every command needs: the open project and consoles."""

from __future__ import annotations

from rich.console import Console

from reckon.store import Project, open_project

console = Console(highlight=False)


def current_project() -> Project:
    """The project named by --project / RECKON_PROJECT, else the one in the current directory."""
    from reckon.cli.app import options

    return open_project(options.project, options.database_url)
