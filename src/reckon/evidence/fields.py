"""Restricted record fields: sealed (AES-256-GCM) in `record.sealed`, revealed only with care.

Witness identity and contact details usually arrive as extra columns of a list ("Informant",
"Phone", "Address"): columns not used for matching, kept verbatim in each record's raw row.
`seal_fields` moves the values of such columns, and of the free-text `notes` field, into the
record's sealed envelope and removes them from the clear row — nothing is lost, it is encrypted.
`reveal_fields` decrypts them for an investigator or admin, and that read is audited.

Columns that feed matching (names, dates, places) cannot be sealed one by one: restrict the whole
source instead (its records are then shown only to investigators and admins).

The source's original import files hold the same values, so `seal_fields` also moves them from
the plain file store into the encrypted one, as restricted evidence items (with an audited
custody event); the plaintext copy is then deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select, text, update

from reckon import audit
from reckon.access import Actor, require_role
from reckon.errors import ConfigError, IntegrityError, NotFoundError
from reckon.evidence.crypto import Keyring
from reckon.evidence.custody import CustodyAction, record_custody
from reckon.evidence.filestore import FileStore
from reckon.model import EvidenceItem, ImportBatch, Record, Role, Sensitivity, Source
from reckon.store.project import Project

SEALABLE_FIELDS = ("notes",)  # mapped record fields that may be sealed (not used for matching)
UPDATE_CHUNK = 1000


@dataclass(frozen=True)
class SealResult:
    source: str
    columns: tuple[str, ...]
    records: int  # records that had a value sealed
    batches: int
    files_encrypted: int = 0  # original import files moved to the encrypted store


def _mapped_fields(batch: ImportBatch) -> dict[str, str]:
    """Header → record field for a batch's column mapping."""
    columns = (batch.mapping or {}).get("columns", {})
    return {header: field for field, header in columns.items() if isinstance(header, str)}


def seal_fields(
    project: Project,
    actor: Actor,
    keyring: Keyring,
    *,
    source: str,
    columns: Iterable[str],
    encrypt_originals: bool = True,
) -> SealResult:
    """Encrypt the given columns of every record of `source`, and its original files
    (documenters and above)."""
    require_role(actor, Role.DOCUMENTER, "restrict record fields")
    wanted = tuple(dict.fromkeys(c.strip() for c in columns if c.strip()))
    if not wanted:
        raise ConfigError("name at least one column to restrict")
    sealed_records = 0
    with project.transaction() as session:
        connection = session.connection()
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA secure_delete=ON")  # overwrite freed pages
        source_row = session.scalar(select(Source).where(Source.name == source))
        if source_row is None:
            raise NotFoundError(f"no source named {source!r}")
        batches = list(
            session.scalars(select(ImportBatch).where(ImportBatch.source_id == source_row.id))
        )
        fields_to_clear: dict[int, dict[str, str]] = {}
        for batch in batches:
            mapped = _mapped_fields(batch)
            clear: dict[str, str] = {}
            for column in wanted:
                field = mapped.get(column)
                if column in SEALABLE_FIELDS:
                    clear[column] = column
                elif field is not None:
                    if field not in SEALABLE_FIELDS:
                        raise ConfigError(
                            f"column {column!r} fills the record field {field!r}, which is used "
                            "for matching; mark the whole source restricted instead"
                        )
                    clear[column] = field
            fields_to_clear[batch.id] = clear
        table = Record.__table__
        statement = (
            update(table)
            .where(table.c.id == bindparam("record_id"))
            .values(
                raw=bindparam("new_raw"),
                sealed=bindparam("new_sealed"),
                notes=bindparam("new_notes"),
            )
        )
        pending: list[dict[str, Any]] = []
        rows = connection.execute(
            select(table.c.id, table.c.batch_id, table.c.raw, table.c.notes, table.c.sealed)
            .where(table.c.source_id == source_row.id)
            .order_by(table.c.id)
        ).all()
        for record_id, batch_id, raw, notes, sealed in rows:
            raw = dict(raw or {})
            secret: dict[str, Any] = keyring.unseal(sealed) if sealed else {}
            changed = False
            for column in wanted:
                if column in raw and raw[column] is not None:
                    secret.setdefault("raw", {})[column] = raw[column]
                    raw[column] = None
                    changed = True
                if fields_to_clear[batch_id].get(column) == "notes" and notes is not None:
                    secret["notes"] = notes
                    notes = None
                    changed = True
            if changed:
                sealed_records += 1
                pending.append(
                    {
                        "record_id": record_id,
                        "new_raw": raw,
                        "new_sealed": keyring.seal(secret),
                        "new_notes": notes,
                    }
                )
            if len(pending) >= UPDATE_CHUNK:
                connection.execute(statement, pending)
                pending.clear()
        if pending:
            connection.execute(statement, pending)
        audit.append(
            session,
            actor=actor.username,
            action="record.seal",
            object_type="source",
            object_id=source_row.id,
            change={"columns": list(wanted), "records": sealed_records},
            covers=[audit.RowSet("record", {"batch_id": b.id}, "row_number") for b in batches],
        )
    if project.is_sqlite:
        with project.engine.connect() as connection:  # drop old page images from the WAL
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    encrypted = (
        encrypt_originals_of(project, actor, keyring, [b.id for b in batches])
        if encrypt_originals
        else 0
    )
    return SealResult(source, wanted, sealed_records, len(batches), encrypted)


def encrypt_originals_of(
    project: Project, actor: Actor, keyring: Keyring, batch_ids: list[int]
) -> int:
    """Move import batches' original files into the encrypted store as restricted evidence."""
    plain_store = FileStore(project.files_dir)
    encrypted_store = FileStore(project.files_dir / "encrypted")
    with project.session() as session:
        batches = list(session.scalars(select(ImportBatch).where(ImportBatch.id.in_(batch_ids))))
    moved = 0
    for batch in batches:
        plain = plain_store.path_for(batch.sha256)
        with project.session() as session:
            item = session.scalar(select(EvidenceItem).where(EvidenceItem.sha256 == batch.sha256))
            shared = session.scalar(
                select(ImportBatch.id).where(
                    ImportBatch.sha256 == batch.sha256, ImportBatch.id.not_in(batch_ids)
                )
            )
        if item is not None and item.encrypted:
            if shared is None:
                plain.unlink(missing_ok=True)
            continue
        if not plain.exists():
            continue
        with open(plain, "rb") as handle:
            reader = keyring.encrypting_reader(handle)
            stored = encrypted_store.put_stream(reader)  # type: ignore[arg-type]
        if reader.plaintext_sha256.hexdigest() != batch.sha256:
            stored.path.unlink(missing_ok=True)
            raise IntegrityError(
                f"the stored original of import batch {batch.id} no longer has its SHA-256; "
                "run `reckon verify`"
            )
        sealed = keyring.seal(
            {"original_name": batch.file_name, "description": None, "capture_metadata": None}
        )
        with project.transaction() as session:
            if item is None:
                item = EvidenceItem(
                    sha256=batch.sha256,
                    size_bytes=batch.size_bytes,
                    media_type="text/csv"
                    if batch.file_format in ("csv", "tsv")
                    else ("application/octet-stream"),
                    source_id=batch.source_id,
                    acquired_by=batch.imported_by,
                    acquired_at=batch.imported_at,
                )
                session.add(item)
            else:
                item = session.merge(item)
            item.sensitivity = Sensitivity.RESTRICTED.value
            item.encrypted = True
            item.stored_sha256 = stored.sha256
            item.data_key_id = keyring.active_key_id
            item.sealed = sealed
            item.original_name = item.description = item.capture_metadata = None
            session.flush()
            record_custody(
                session,
                item.id,
                CustodyAction.ACQUISITION,
                actor.username,
                purpose="original list of a source with restricted fields, encrypted at rest",
                details={"import_batch": batch.id, "encrypted_original": True},
                covers=[audit.RowSet.row("evidence_item", item.id)],
                change={"sha256": batch.sha256, "import_batch": batch.id, "encrypted": True},
            )
        if shared is None:
            plain.unlink(missing_ok=True)
        moved += 1
    return moved


def reveal_fields(
    project: Project, actor: Actor, keyring: Keyring, record_id: int, *, purpose: str | None = None
) -> dict[str, Any]:
    """The sealed fields of one record (investigators and admins; the read is audited)."""
    require_role(actor, Role.INVESTIGATOR, "see restricted record fields")
    with project.transaction() as session:
        sealed = session.scalar(select(Record.sealed).where(Record.id == record_id))
        exists = session.scalar(select(Record.id).where(Record.id == record_id))
        if exists is None:
            raise NotFoundError(f"no record with id {record_id}")
        values = keyring.unseal(sealed) if sealed else {}
        audit.append(
            session,
            actor=actor.username,
            action="record.reveal",
            object_type="record",
            object_id=record_id,
            change={
                "purpose": purpose,
                "fields": sorted(values.get("raw", {})) + (["notes"] if "notes" in values else []),
            },
        )
        return values
