"""`reckon keys`: encryption keys, the checkpoint signing key, restricted record fields."""

from __future__ import annotations

import os
from contextlib import closing
from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text

from reckon import audit
from reckon.access import resolve_actor
from reckon.cli.app import app
from reckon.cli.context import console, current_project
from reckon.errors import AuthenticationError
from reckon.evidence import (
    KeySource,
    generate_key_file,
    init_keys,
    key_status,
    reveal_fields,
    rotate_keys,
    seal_fields,
    unlock,
)
from reckon.store import Project

keys_app = typer.Typer(
    help="Encryption keys (a lost key means lost data), the checkpoint signing key, and "
    "restricted record fields.",
    no_args_is_help=True,
)
app.add_typer(keys_app, name="keys")

NEW_PASSPHRASE_ENV = "RECKON_NEW_PASSPHRASE"
KEY_FILE_HELP = "Key file that unlocks the project's keys (default: RECKON_KEY_FILE)."


def add_text_row(table: Table, *values: str) -> None:
    """Add a row whose cells are shown literally (no rich markup: values come from users)."""
    table.add_row(*(Text(value) for value in values))


def key_source(key_file: Path | None, *, prompt: str = "Passphrase") -> KeySource:
    """The key to unlock with: --key-file, RECKON_KEY_FILE, RECKON_PASSPHRASE, else a prompt."""
    source = KeySource.from_env(key_file)
    if source is not None:
        return source
    passphrase = typer.prompt(prompt, hide_input=True, default="", show_default=False)
    if not passphrase:
        raise AuthenticationError(
            "no passphrase given: set RECKON_PASSPHRASE or RECKON_KEY_FILE, or pass --key-file"
        )
    return KeySource(passphrase=passphrase)


def unlock_project(project: Project, key_file: Path | None):
    """The project's unlocked keyring (prompting for the passphrase if needed)."""
    return unlock(project, key_source(key_file))


def _new_source(new_key_file: Path | None, generate: bool) -> KeySource:
    if new_key_file is not None:
        if generate:
            generate_key_file(new_key_file)
            console.print(f"Wrote a new random key file to {new_key_file} (mode 0600).")
        return KeySource(key_file=new_key_file)
    passphrase = os.environ.get(NEW_PASSPHRASE_ENV)
    if not passphrase:
        passphrase = typer.prompt(
            "New passphrase",
            hide_input=True,
            confirmation_prompt=True,
            default="",
            show_default=False,
        )
    _check_strength(passphrase)
    return KeySource(passphrase=passphrase)


def _check_strength(passphrase: str) -> None:
    if len(passphrase) < 12:
        raise AuthenticationError("choose a passphrase of at least 12 characters")


@keys_app.command("init")
def init(
    key_file: Path | None = typer.Option(
        None, "--key-file", help="Protect the keys with this key file instead of a passphrase."
    ),
    generate: bool = typer.Option(
        False, "--generate", help="Create the --key-file with 32 random bytes first."
    ),
) -> None:
    """Set up encryption at rest (admin). Keep the passphrase or key file safe: without it the
    restricted data cannot be recovered by anyone."""
    with closing(current_project()) as project:
        actor = resolve_actor(project)
        if key_file is not None:
            source = _new_source(key_file, generate)
        else:
            source = KeySource.from_env() or _new_source(None, False)
            if source.passphrase is not None:
                _check_strength(source.passphrase)
        status = init_keys(project, actor, source)
        console.print(
            f"Encryption keys set up ({status.kind}, data key {status.active_data_key}). "
            "A lost passphrase or key file means the restricted data is lost."
        )


@keys_app.command("rotate")
def rotate(
    key_file: Path | None = typer.Option(None, "--key-file", help=KEY_FILE_HELP),
    new_key_file: Path | None = typer.Option(
        None, "--new-key-file", help="Protect the keys with this key file from now on."
    ),
    generate: bool = typer.Option(False, "--generate", help="Create --new-key-file first."),
    new_data_key: bool = typer.Option(
        False, "--new-data-key", help="Also start a fresh data key for new encryptions."
    ),
) -> None:
    """Re-wrap the data keys under a new passphrase (RECKON_NEW_PASSPHRASE or prompt) or key
    file (admin)."""
    with closing(current_project()) as project:
        actor = resolve_actor(project)
        old = key_source(key_file, prompt="Current passphrase")
        new = _new_source(new_key_file, generate)
        status = rotate_keys(project, actor, old, new, new_data_key=new_data_key)
        console.print(
            f"Re-wrapped {status.data_keys} data key(s) under a new {status.kind} key "
            f"(active data key {status.active_data_key}). The old passphrase or key file no "
            "longer unlocks them; old backups of the database still can."
        )


@keys_app.command("status")
def status() -> None:
    """Show how the project's keys are set up, and this installation's signing key."""
    with closing(current_project()) as project:
        info = key_status(project)
        if info.initialised:
            console.print(
                f"Encryption: {info.kind}, {info.data_keys} data key(s), active {info.active_data_key}."
            )
        else:
            console.print("Encryption: not set up (`reckon keys init`).")
        path = audit.checkpoints.signing_key_path()
        if path.exists():
            public = audit.public_key_hex(audit.load_signing_key(create=False))
            console.print(f"Checkpoint signing key: {audit.fingerprint(public)} ({path})")
            console.print(f"Public key: {public}")
        else:
            console.print(
                f"Checkpoint signing key: none yet (created at the first checkpoint, {path})"
            )


@keys_app.command("trust")
def trust(
    public_key: str = typer.Argument(..., help="Ed25519 public key, 64 hex digits."),
) -> None:
    """Trust checkpoints signed by another installation's key (on this installation)."""
    console.print(f"Trusted {audit.trust_key(public_key)}.")


@keys_app.command("seal-fields")
def seal(
    source: str = typer.Option(..., "--source", "-s", help="Source whose records to protect."),
    columns: list[str] = typer.Option(
        ...,
        "--column",
        "-c",
        help="Column to encrypt (repeat): e.g. witness name, phone; or notes.",
    ),
    key_file: Path | None = typer.Option(None, "--key-file", help=KEY_FILE_HELP),
) -> None:
    """Encrypt restricted columns (witness identity, contact details) of a source's records."""
    with closing(current_project()) as project:
        actor = resolve_actor(project)
        keyring = unlock_project(project, key_file)
        result = seal_fields(project, actor, keyring, source=source, columns=columns)
        console.print(
            f"Sealed {', '.join(result.columns)} in {result.records} record(s) of {source!r} "
            f"({result.batches} import(s))."
        )


@keys_app.command("reveal-fields")
def reveal(
    record_id: int = typer.Argument(..., help="Record id."),
    purpose: str | None = typer.Option(None, "--purpose", help="Why (kept in the audit log)."),
    key_file: Path | None = typer.Option(None, "--key-file", help=KEY_FILE_HELP),
) -> None:
    """Show a record's sealed fields (investigator; the read is audited)."""
    with closing(current_project()) as project:
        actor = resolve_actor(project)
        keyring = unlock_project(project, key_file)
        values = reveal_fields(project, actor, keyring, record_id, purpose=purpose)
        table = Table("field", "value", title=f"Sealed fields of record {record_id}")
        for column, value in values.get("raw", {}).items():
            add_text_row(table, column, "" if value is None else str(value))
        if "notes" in values:
            add_text_row(table, "notes", str(values["notes"]))
        console.print(table if table.rows else "This record has no sealed fields.")
