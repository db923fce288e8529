"""The `reckon` command: the Typer app, global options and the error wrapper.

Every command module registers itself here. Commands parse options, call one service function
and render its result; they hold no business logic.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer
from rich.console import Console

from reckon import __version__
from reckon.errors import ReckonError

app = typer.Typer(
    name="reckon",
    help="Link partial victim lists into one sourced registry, estimate the undocumented, "
    "and keep evidence a court can trust.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals hold personal data
    add_completion=False,
)

err_console = Console(stderr=True, highlight=False)


class GlobalOptions:
    """Options given before the command: where the project is and how to report errors."""

    def __init__(self) -> None:
        self.project: Path | None = None
        self.database_url: str | None = None
        self.debug = False


options = GlobalOptions()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"reckon {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    project: Path | None = typer.Option(
        None,
        "--project",
        "-p",
        envvar="RECKON_PROJECT",
        help="Project directory (default: the current directory).",
    ),
    db: str | None = typer.Option(
        None,
        "--db",
        envvar="RECKON_DATABASE_URL",
        help="Database URL, e.g. postgresql://user@host/db (default: SQLite in the project).",
    ),
    debug: bool = typer.Option(False, "--debug", help="Show full tracebacks on errors."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    options.project = project
    options.database_url = db
    options.debug = debug


def _register() -> None:
    # One line per command module; each module adds its commands to `app`.
    from reckon.cli import audit as _audit  # noqa: F401
    from reckon.cli import demo, export, importing, project, records  # noqa: F401
    from reckon.cli import estimate as _estimate  # noqa: F401
    from reckon.cli import evidence as _evidence  # noqa: F401
    from reckon.cli import keys as _keys  # noqa: F401
    from reckon.cli import link as _link  # noqa: F401
    from reckon.cli import synth as _synth  # noqa: F401
    from reckon.cli import users as _users  # noqa: F401
    # (helpers: add your `from reckon.cli import <module>` line above this comment)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `reckon` console script."""
    _register()
    debug = "--debug" in (argv if argv is not None else sys.argv) or bool(
        os.environ.get("RECKON_DEBUG")
    )
    try:
        app(args=argv, standalone_mode=True)
    except ReckonError as error:
        if debug:
            raise
        err_console.print(f"Error: {error}", markup=False, soft_wrap=True, style="red")
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print("Interrupted; nothing was half-written.")
        sys.exit(130)
    except Exception as error:  # last resort: one line, no personal data
        if debug:
            raise
        err_console.print(
            f"[bold red]Unexpected error:[/] {type(error).__name__}. "
            "Re-run with --debug for the full traceback."
        )
        sys.exit(1)
