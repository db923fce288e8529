"""`reckon evidence`: add files to the evidence locker, list, show, get, link, transfer, verify."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn
from rich.table import Table

from reckon.access import resolve_actor
from reckon.cli.app import app, err_console
from reckon.cli.context import console, current_project
from reckon.cli.keys import KEY_FILE_HELP, add_text_row, unlock_project
from reckon.evidence import (
    add_evidence,
    get_evidence,
    link_evidence,
    list_evidence,
    show_evidence,
    transfer_evidence,
    verify_evidence,
)
from reckon.model import Sensitivity

evidence_app = typer.Typer(
    help="The evidence locker: files kept by SHA-256, with their chain of custody.",
    no_args_is_help=True,
)
app.add_typer(evidence_app, name="evidence")

PURPOSE_HELP = "Why (kept in the chain of custody)."


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return str(n)


@evidence_app.command("add")
def add(
    files: list[Path] = typer.Argument(..., help="Files to add (any size, any type)."),
    source: str = typer.Option(..., "--source", "-s", help="Where the files came from."),
    describe: str | None = typer.Option(None, "--describe", help="What the files are."),
    link: list[str] = typer.Option(
        [], "--link", help="record:ID, person:ID or event:ID the files document (repeat)."
    ),
    sensitivity: Sensitivity = typer.Option(
        Sensitivity.INTERNAL, "--sensitivity", help="Restricted files are encrypted at rest."
    ),
    purpose: str | None = typer.Option(None, "--purpose", help=PURPOSE_HELP),
    key_file: Path | None = typer.Option(None, "--key-file", help=KEY_FILE_HELP),
) -> None:
    """Add files as evidence: hashed while copied, stored once, acquisition recorded."""
    with closing(current_project()) as project:
        actor = resolve_actor(project)
        keyring = lambda: unlock_project(project, key_file)  # noqa: E731 - only if restricted
        table = Table("id", "file", "sha256", "size", "type", "")
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            console=err_console,
            transient=True,
            disable=not err_console.is_terminal,
        ) as bar:
            for path in files:
                task = bar.add_task(
                    path.name, total=path.stat().st_size if path.is_file() else None
                )
                result = add_evidence(
                    project,
                    actor,
                    path,
                    source=source,
                    description=describe,
                    links=link,
                    sensitivity=sensitivity,
                    keyring=keyring,
                    purpose=purpose,
                    progress=lambda n, task=task: bar.advance(task, n),
                )
                bar.remove_task(task)
                note = "already held: linked" if result.duplicate else "stored"
                if result.encrypted:
                    note += ", encrypted"
                shown = "<restricted>" if sensitivity is Sensitivity.RESTRICTED else path.name
                add_text_row(
                    table,
                    str(result.evidence_id),
                    shown,
                    result.sha256[:16] + "…",
                    _size(result.size),
                    result.media_type,
                    note,
                )
        console.print(table)


@evidence_app.command("list")
def list_(
    source: str | None = typer.Option(None, "--source", "-s", help="Only evidence of a source."),
    linked_to: str | None = typer.Option(
        None, "--linked-to", help="Only evidence linked to record:ID, person:ID or event:ID."
    ),
    limit: int = typer.Option(100, min=1, max=10000, help="Show at most this many."),
    offset: int = typer.Option(0, min=0, help="Skip this many first."),
) -> None:
    """List evidence items (names above your clearance are withheld)."""
    with closing(current_project()) as project:
        items, total = list_evidence(
            project,
            resolve_actor(project),
            source=source,
            linked_to=linked_to,
            limit=limit,
            offset=offset,
        )
        if not items:
            console.print("No evidence yet: add files with `reckon evidence add`.")
            return
        table = Table("id", "name", "type", "size", "sensitivity", "source", "acquired", "sha256")
        for item in items:
            add_text_row(
                table,
                str(item.id),
                item.name,
                item.media_type,
                _size(item.size),
                item.sensitivity,
                item.source or "",
                f"{item.acquired_at:%Y-%m-%d} {item.acquired_by}",
                item.sha256[:16] + "…",
            )
        console.print(table)
        console.print(f"{len(items)} of {total} item(s) shown.")


@evidence_app.command("show")
def show(
    evidence_id: int = typer.Argument(..., help="Evidence id (see `reckon evidence list`)."),
    unseal: bool = typer.Option(
        False, "--unseal", help="Decrypt a restricted item's name, description and metadata."
    ),
    purpose: str | None = typer.Option(None, "--purpose", help=PURPOSE_HELP),
    key_file: Path | None = typer.Option(None, "--key-file", help=KEY_FILE_HELP),
) -> None:
    """Show one item: what it is, what it documents, and its full chain of custody."""
    with closing(current_project()) as project:
        actor = resolve_actor(project)
        keyring = (lambda: unlock_project(project, key_file)) if unseal else None
        detail = show_evidence(project, actor, evidence_id, keyring=keyring, purpose=purpose)
        s = detail.summary
        table = Table("field", "value", show_header=False)
        for name, value in [
            ("id", str(s.id)),
            ("name", s.name),
            ("description", s.description or ""),
            ("sha256", s.sha256),
            ("size", f"{s.size} bytes"),
            ("type", s.media_type),
            ("sensitivity", s.sensitivity + (" (encrypted at rest)" if s.encrypted else "")),
            ("source", s.source or ""),
            ("acquired", f"{s.acquired_at:%Y-%m-%d %H:%M:%S} by {s.acquired_by}"),
            ("links", ", ".join(f"{k}:{v}" for k, v in detail.links)),
        ]:
            add_text_row(table, name, value)
        for key, value in (detail.capture_metadata or {}).items():
            add_text_row(table, f"capture {key}", str(value))
        console.print(table)
        custody = Table("when", "action", "who", "why", "details", title="Chain of custody")
        for event in detail.custody:
            details = ", ".join(f"{k}={v}" for k, v in event.details.items())
            add_text_row(
                custody,
                f"{event.occurred_at:%Y-%m-%d %H:%M:%S}",
                event.action,
                event.actor,
                event.purpose or "",
                details,
            )
        console.print(custody)


@evidence_app.command("get")
def get(
    evidence_id: int = typer.Argument(..., help="Evidence id."),
    out: Path = typer.Option(..., "--out", "-o", help="File to write, or a directory."),
    purpose: str | None = typer.Option(None, "--purpose", help=PURPOSE_HELP),
    key_file: Path | None = typer.Option(None, "--key-file", help=KEY_FILE_HELP),
) -> None:
    """Write an item's file (decrypted if restricted), checking its hash; recorded as download."""
    with closing(current_project()) as project:
        actor = resolve_actor(project)
        keyring = lambda: unlock_project(project, key_file)  # noqa: E731 - only if encrypted
        target = get_evidence(project, actor, evidence_id, out, keyring=keyring, purpose=purpose)
        console.print(f"Wrote evidence {evidence_id} to {target} (SHA-256 checked).")


@evidence_app.command("link")
def link(
    evidence_id: int = typer.Argument(..., help="Evidence id."),
    targets: list[str] = typer.Option(
        ..., "--link", help="record:ID, person:ID or event:ID (repeat)."
    ),
    purpose: str | None = typer.Option(None, "--purpose", help=PURPOSE_HELP),
) -> None:
    """Link an item to the records, persons or events it documents."""
    with closing(current_project()) as project:
        added = link_evidence(
            project, resolve_actor(project), evidence_id, targets, purpose=purpose
        )
        console.print(f"{added} new link(s) for evidence {evidence_id}.")


@evidence_app.command("transfer")
def transfer(
    evidence_id: int = typer.Argument(..., help="Evidence id."),
    to: str = typer.Option(..., "--to", help="Who received the item or a copy."),
    reason: str = typer.Option(..., "--reason", help="Why it was handed over."),
) -> None:
    """Record a transfer of custody (the item, or a copy, handed to someone)."""
    with closing(current_project()) as project:
        event = transfer_evidence(
            project, resolve_actor(project), evidence_id, to=to, purpose=reason
        )
        console.print(
            f"Transfer of evidence {evidence_id} to {to!r} recorded (custody event {event.id})."
        )


@evidence_app.command("verify")
def verify(
    evidence_ids: list[int] = typer.Argument(None, help="Evidence ids (default: all)."),
    decrypt: bool = typer.Option(
        False, "--decrypt", help="Also decrypt restricted files and check their plaintext hash."
    ),
    key_file: Path | None = typer.Option(None, "--key-file", help=KEY_FILE_HELP),
) -> None:
    """Re-hash evidence files and record each check in the chain of custody."""
    with closing(current_project()) as project:
        actor = resolve_actor(project)
        keyring = (lambda: unlock_project(project, key_file)) if decrypt else None
        result = verify_evidence(project, actor, evidence_ids or (), keyring=keyring)
        table = Table("id", "sha256", "checked", "result")
        for check in result.items:
            add_text_row(
                table,
                str(check.evidence_id),
                check.sha256[:16] + "…",
                check.checked,
                "intact" if check.intact else f"ALTERED: {check.detail}",
            )
        console.print(table)
        if not result.ok:
            raise typer.Exit(1)
