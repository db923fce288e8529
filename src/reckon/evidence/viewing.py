"""Reading the locker: list, show and get evidence, with what the actor may see.

Names, descriptions and custody details of items above the actor's clearance are withheld;
restricted items' sealed details show only when unsealed with the key. Showing details and
downloading are custody events.
"""

from __future__ import annotations

import mimetypes
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reckon.access import Actor, can_see, require_clearance, require_role
from reckon.errors import EvidenceError, IntegrityError
from reckon.evidence.crypto import Keyring
from reckon.evidence.custody import CustodyAction, CustodyRecord, custody_history, record_custody
from reckon.evidence.locker import (
    SEALED_LABEL,
    WITHHELD_LABEL,
    KeyringOrFactory,
    _get_item,
    _stored_path,
    parse_link,
    resolve_keyring,
)
from reckon.model import (
    EvidenceItem,
    EvidenceLink,
    Role,
    Source,
)
from reckon.store.project import Project


@dataclass(frozen=True)
class EvidenceSummary:
    """One item as listed; `name` and `description` are masked unless the actor may see them."""

    id: int
    sha256: str
    size: int
    media_type: str
    name: str
    description: str | None
    sensitivity: str
    source: str | None
    acquired_by: str
    acquired_at: datetime
    encrypted: bool


@dataclass(frozen=True)
class EvidenceDetail:
    """One item in full (as far as the actor may see), with its links and custody history."""

    summary: EvidenceSummary
    capture_metadata: dict[str, Any] | None
    links: list[tuple[str, int]]
    custody: list[CustodyRecord]
    withheld: bool  # restricted details hidden (no clearance or no key)

    def to_dict(self) -> dict[str, Any]:
        s = self.summary
        return {
            "id": s.id,
            "sha256": s.sha256,
            "size_bytes": s.size,
            "media_type": s.media_type,
            "original_name": s.name,
            "description": s.description,
            "sensitivity": s.sensitivity,
            "source": s.source,
            "acquired_by": s.acquired_by,
            "acquired_at": s.acquired_at.isoformat(),
            "encrypted": s.encrypted,
            "capture_metadata": self.capture_metadata,
            "links": [f"{kind}:{target}" for kind, target in self.links],
            "custody": [c.to_dict() for c in self.custody],
            "withheld": self.withheld,
        }


def _unsealed(item: EvidenceItem, keyring: Keyring | None) -> dict[str, Any] | None:
    if item.sealed is None or keyring is None:
        return None
    return keyring.unseal(item.sealed)


def _summary(
    item: EvidenceItem, source: str | None, actor: Actor, keyring: Keyring | None
) -> tuple[EvidenceSummary, dict[str, Any] | None, bool]:
    visible = can_see(actor, item.sensitivity)
    opened = _unsealed(item, keyring) if visible else None
    if not visible:
        name, description, metadata, withheld = WITHHELD_LABEL, None, None, True
    elif item.sealed is not None and opened is None:
        name, description, metadata, withheld = SEALED_LABEL, None, None, True
    elif opened is not None:
        name, description = opened["original_name"], opened["description"]
        metadata, withheld = opened["capture_metadata"], False
    else:
        name, description = item.original_name or "", item.description
        metadata, withheld = item.capture_metadata, False
    summary = EvidenceSummary(
        item.id,
        item.sha256,
        item.size_bytes,
        item.media_type,
        name,
        description,
        item.sensitivity,
        source,
        item.acquired_by,
        item.acquired_at,
        item.encrypted,
    )
    return summary, metadata, withheld


def list_evidence(
    project: Project,
    actor: Actor,
    *,
    source: str | None = None,
    linked_to: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[EvidenceSummary], int]:
    """Evidence items (names of items above the actor's clearance are withheld), and the total."""
    require_role(actor, Role.VIEWER, "list evidence")
    query = select(EvidenceItem, Source.name).outerjoin(Source, EvidenceItem.source_id == Source.id)
    if source:
        query = query.where(Source.name == source)
    if linked_to:
        kind, key = parse_link(linked_to)
        query = query.where(
            EvidenceItem.id.in_(
                select(EvidenceLink.evidence_id).where(
                    EvidenceLink.target_type == kind, EvidenceLink.target_id == key
                )
            )
        )
    with project.session() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = session.execute(query.order_by(EvidenceItem.id).limit(limit).offset(offset)).all()
        return [_summary(item, name, actor, None)[0] for item, name in rows], total


def _links(session: Session, item_id: int) -> list[tuple[str, int]]:
    return [
        (kind, key)
        for kind, key in session.execute(
            select(EvidenceLink.target_type, EvidenceLink.target_id)
            .where(EvidenceLink.evidence_id == item_id)
            .order_by(EvidenceLink.id)
        )
    ]


def show_evidence(
    project: Project,
    actor: Actor,
    item_id: int,
    *,
    keyring: KeyringOrFactory = None,
    purpose: str | None = None,
) -> EvidenceDetail:
    """One item with links and custody history; a view is a custody event when details show."""
    require_role(actor, Role.VIEWER, "see evidence")
    with project.transaction() as session:
        item, source = _get_item(session, item_id)
        if keyring is not None and item.sealed is not None:
            require_clearance(actor, item.sensitivity, f"evidence {item.id}")
        keyring = resolve_keyring(keyring) if item.sealed is not None else None
        summary, metadata, withheld = _summary(item, source, actor, keyring)
        if not withheld:
            record_custody(
                session,
                item.id,
                CustodyAction.VIEW,
                actor.username,
                purpose=purpose,
                details={"unsealed": item.sealed is not None},
            )
        return EvidenceDetail(
            summary, metadata, _links(session, item.id), _custody(session, item, withheld), withheld
        )


def evidence_detail(
    session: Session, item: EvidenceItem, source: str | None, actor: Actor, keyring: Keyring | None
) -> EvidenceDetail:
    """An item's detail without recording a view (for exports, which record their own event)."""
    summary, metadata, withheld = _summary(item, source, actor, keyring)
    return EvidenceDetail(
        summary, metadata, _links(session, item.id), _custody(session, item, withheld), withheld
    )


def _custody(session: Session, item: EvidenceItem, withheld: bool) -> list[CustodyRecord]:
    """The custody history; for an item the actor may not see, only who did what when."""
    history = custody_history(session, item.id)
    if not withheld:
        return history
    return [
        CustodyRecord(c.id, c.evidence_id, c.action, c.actor, c.occurred_at, None, {})
        for c in history
    ]


def copy_out(project: Project, item: EvidenceItem, target: Path, keyring: Keyring | None) -> None:
    """Write an item's plaintext to `target` (new file), checking its SHA-256 on the way."""
    import hashlib

    stored = _stored_path(project, item)
    if not stored.exists():
        raise IntegrityError(f"stored file of evidence {item.id} ({item.stored_sha256}) is missing")
    if item.encrypted and keyring is None:
        raise EvidenceError(f"evidence {item.id} is encrypted: unlock the project's key first")
    digest = hashlib.sha256()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out, open(stored, "rb") as handle:
            chunks = (
                keyring.decrypt_segments(handle)
                if item.encrypted and keyring is not None
                else iter(lambda: handle.read(1 << 20), b"")
            )
            for chunk in chunks:
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != item.sha256:
            raise IntegrityError(
                f"evidence {item.id}: the stored file no longer has its recorded SHA-256 "
                f"({item.sha256}); nothing was written"
            )
        try:
            os.link(tmp, target)  # never overwrite
        except FileExistsError:
            raise EvidenceError(f"{target} exists; choose another output path") from None
    finally:
        os.unlink(tmp)


def output_name(item: EvidenceItem, shown_name: str) -> str:
    """A file name for an item: its original name when visible, else its hash + extension."""
    if shown_name and shown_name not in (SEALED_LABEL, WITHHELD_LABEL):
        return Path(shown_name).name
    extension = mimetypes.guess_extension(item.media_type, strict=False) or ""
    return item.sha256 + extension


def get_evidence(
    project: Project,
    actor: Actor,
    item_id: int,
    out: Path | str,
    *,
    keyring: KeyringOrFactory = None,
    purpose: str | None = None,
) -> Path:
    """Write an item's file to `out` (a new file, or a directory) and record the download."""
    require_role(actor, Role.VIEWER, "download evidence")
    out = Path(out)
    with project.transaction() as session:
        item, source = _get_item(session, item_id)
        require_clearance(actor, item.sensitivity, f"evidence {item.id}")
        keyring = resolve_keyring(keyring) if item.encrypted else None
        summary, _, _ = _summary(item, source, actor, keyring)
        target = out / output_name(item, summary.name) if out.is_dir() else out
        if target.exists():
            raise EvidenceError(f"{target} exists; choose another output path")
        copy_out(project, item, target, keyring)
        try:
            record_custody(
                session,
                item.id,
                CustodyAction.DOWNLOAD,
                actor.username,
                purpose=purpose,
                details={"decrypted": item.encrypted},
            )
        except BaseException:
            target.unlink(missing_ok=True)
            raise
    return target
