"""`reckon verify` and `reckon audit`: prove integrity; read, checkpoint and export the log."""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path

import typer
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from reckon import audit
from reckon.access import require_role, resolve_actor
from reckon.cli.app import app, err_console
from reckon.cli.context import console, current_project
from reckon.cli.keys import KEY_FILE_HELP, add_text_row, unlock_project
from reckon.evidence import plaintext_check
from reckon.model import Role

audit_app = typer.Typer(
    help="The hash-chained audit log: read it, sign checkpoints, export them.",
    no_args_is_help=True,
)
app.add_typer(audit_app, name="audit")


@app.command("verify")
def verify(
    checkpoints: Path | None = typer.Option(
        None, "--checkpoints", help="Exported checkpoint file kept elsewhere: must match too."
    ),
    trust_key: list[str] = typer.Option(
        [], "--trust-key", help="Also accept checkpoints signed by this public key (hex; repeat)."
    ),
    files: bool = typer.Option(True, "--files/--no-files", help="Re-hash every stored file."),
    rows: bool = typer.Option(True, "--rows/--no-rows", help="Re-check the rows the log covers."),
    decrypt: bool = typer.Option(
        False, "--decrypt", help="Also decrypt encrypted files and check their plaintext hash."
    ),
    key_file: Path | None = typer.Option(None, "--key-file", help=KEY_FILE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Recompute the audit chain, check signed checkpoints, covered rows and every stored file.

    Exit status 0 only when everything is intact; 1 lists exactly what was altered, deleted,
    inserted or reordered.
    """
    with closing(current_project()) as project:
        require_role(resolve_actor(project), Role.VIEWER, "verify the project")
        hook = plaintext_check(project, unlock_project(project, key_file)) if decrypt else None
        with Progress(
            TextColumn("Verifying {task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            console=err_console,
            transient=True,
            disable=not err_console.is_terminal,
        ) as bar:
            tasks: dict[str, int] = {}

            def progress(stage: str, done: int, total: int | None) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=total)
                bar.update(tasks[stage], completed=done, total=total)

            result = audit.verify_project(
                project,
                rows=rows,
                files=files,
                checkpoint_file=checkpoints,
                trust_keys=trust_key,
                decrypt=hook,
                progress=progress,
            )
        if as_json:
            typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        else:
            console.print(result.summary(), markup=False)
        if not result.ok:
            raise typer.Exit(1)


@audit_app.command("log")
def log(
    object_: str | None = typer.Option(
        None, "--object", help="Only entries about TYPE:ID, e.g. evidence_item:3."
    ),
    action: str | None = typer.Option(None, "--action", help="Only this action, e.g. import."),
    limit: int = typer.Option(50, min=1, max=100000, help="Show at most this many entries."),
    before: int | None = typer.Option(None, "--before", help="Only entries before this seq."),
) -> None:
    """Show the newest audit entries (analyst and above)."""
    with closing(current_project()) as project:
        require_role(resolve_actor(project), Role.ANALYST, "read the audit log")
        object_type = object_id = None
        if object_:
            object_type, _, object_id = object_.partition(":")
        entries = audit.list_entries(
            project,
            object_type=object_type,
            object_id=object_id or None,
            action=action,
            limit=limit,
            before=before,
        )
        table = Table("seq", "time (UTC)", "actor", "action", "object", "change", "hash")
        for entry in entries:
            change = entry.change_data
            covers = change.pop("covers", [])
            summary = ", ".join(f"{k}={v}" for k, v in change.items())
            if covers:
                summary += f" [covers {sum(c['count'] for c in covers)} row(s)]"
            add_text_row(
                table,
                str(entry.seq),
                entry.recorded_at[:19].replace("T", " "),
                entry.actor,
                entry.action,
                f"{entry.object_type}:{entry.object_id}",
                summary,
                entry.entry_hash[:12] + "…",
            )
        console.print(table if entries else "The audit log is empty.")


@audit_app.command("checkpoint")
def checkpoint() -> None:
    """Sign the audit chain at its head now with this installation's key."""
    with closing(current_project()) as project:
        require_role(resolve_actor(project), Role.DOCUMENTER, "sign a checkpoint")
        made = audit.create_checkpoint(project)
        console.print(
            f"Checkpoint at entry {made.seq}, hash {made.entry_hash[:16]}…, signed by "
            f"{made.fingerprint}. Export checkpoints with `reckon audit export-checkpoints FILE` "
            "and keep the file elsewhere."
        )


@audit_app.command("export-checkpoints")
def export_checkpoints(
    file: Path = typer.Argument(..., help="JSON file to write (keep it away from the project)."),
) -> None:
    """Write every signed checkpoint and the public keys to a file to keep elsewhere."""
    with closing(current_project()) as project:
        require_role(resolve_actor(project), Role.VIEWER, "export checkpoints")
        count = audit.export_checkpoints(project, file)
        console.print(
            f"Wrote {count} checkpoint(s) to {file}. Later: `reckon verify --checkpoints {file}`."
        )


@audit_app.command("baseline")
def baseline() -> None:
    """Adopt imports and users that predate the audit log (admin; run once after upgrading)."""
    with closing(current_project()) as project:
        result = audit.baseline(project, resolve_actor(project))
        console.print(
            f"Covered {result.batches} import(s) and {result.users} user(s) that predate the "
            "audit log; `reckon verify` now checks them."
        )
