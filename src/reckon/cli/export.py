"""`reckon export …`: the group that export commands (links, case, memorial) attach to.

`reckon export case` and `reckon export verify-case` (issue 6) are defined here too.
"""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import typer

from reckon.access import resolve_actor
from reckon.cli.app import app
from reckon.cli.context import console, current_project
from reckon.cli.keys import KEY_FILE_HELP, unlock_project
from reckon.evidence import export_case, verify_case_bag

export_app = typer.Typer(
    help="Export links, case files and other products of the project.", no_args_is_help=True
)
app.add_typer(export_app, name="export")


@export_app.command("case")
def case(
    out: Path = typer.Option(..., "--out", "-o", help="New directory for the BagIt bag."),
    event: int | None = typer.Option(None, "--event", help="Export the evidence of this event."),
    person: int | None = typer.Option(None, "--person", help="Export the evidence of a person."),
    include_restricted: bool = typer.Option(
        False,
        "--include-restricted",
        help="Include restricted files, decrypted (investigator or admin; audited).",
    ),
    purpose: str | None = typer.Option(None, "--purpose", help="Why (kept in the custody log)."),
    key_file: Path | None = typer.Option(None, "--key-file", help=KEY_FILE_HELP),
) -> None:
    """Write the evidence of one event or person, with custody, audit entries and a signed
    checkpoint, as a BagIt bag."""
    with closing(current_project()) as project:
        result = export_case(
            project,
            resolve_actor(project),
            out,
            event_id=event,
            person_id=person,
            include_restricted=include_restricted,
            keyring=lambda: unlock_project(project, key_file),
            purpose=purpose,
        )
        withheld = f"; {result.withheld} restricted file(s) withheld" if result.withheld else ""
        console.print(
            f"Wrote {result.files} file(s) ({result.bytes} bytes) to {result.path}{withheld}; "
            f"signed checkpoint at entry {result.checkpoint_seq}. "
            f"Check it with `bagit.py --validate {result.path}`."
        )


@export_app.command("verify-case")
def verify_case(
    bag: Path = typer.Argument(..., help="A bag written by `reckon export case`."),
    trust_key: list[str] = typer.Option(
        [], "--trust-key", help="Public key (hex) to trust, as published by the organisation."
    ),
) -> None:
    """Validate a case bag: manifests, audit chain, signed checkpoints, file ↔ acquisition."""
    result = verify_case_bag(bag, trust_keys=trust_key)
    console.print(
        f"{'INTACT' if result.ok else 'NOT INTACT'}: {result.files} file(s), "
        f"{result.entries} audit entries; signed by {', '.join(result.fingerprints) or 'nobody'}",
        markup=False,
    )
    for problem in result.problems:
        console.print(f"  {problem}", markup=False)
    if not result.ok:
        raise typer.Exit(1)
