"""The evidence locker: add, link and transfer evidence files (reading: `viewing`, checks:
`checks`).

A file is hashed (SHA-256) while it is copied into the store, in constant memory; restricted
files are encrypted on the way in (the hash is of the plaintext — what a court compares — and the
ciphertext is stored). A file already held is recognised by its hash and linked, never stored
twice. Every step is a custody event and an audit entry, in the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from reckon import audit
from reckon.access import Actor, require_role
from reckon.errors import ConfigError, EvidenceError, NotFoundError
from reckon.evidence.crypto import Keyring
from reckon.evidence.custody import CustodyAction, CustodyRecord, record_custody
from reckon.evidence.filestore import FileStore
from reckon.evidence.metadata import capture_metadata, media_type
from reckon.model import (
    Event,
    EvidenceItem,
    EvidenceLink,
    Person,
    Record,
    Role,
    Sensitivity,
    Source,
)
from reckon.store.project import Project

LINK_TARGETS: dict[str, type] = {"record": Record, "person": Person, "event": Event}
SEALED_LABEL = "<sealed>"
WITHHELD_LABEL = "<withheld>"

Progress = Callable[[int], None]  # bytes read so far
KeyringOrFactory = Keyring | Callable[[], Keyring] | None  # a factory is called only if needed


def resolve_keyring(keyring: KeyringOrFactory) -> Keyring | None:
    """The keyring itself; a factory (which may prompt for a passphrase) is called now."""
    if keyring is None or isinstance(keyring, Keyring):
        return keyring
    return keyring()


@dataclass(frozen=True)
class AddResult:
    """What `add_evidence` did with one file."""

    evidence_id: int
    sha256: str
    size: int
    media_type: str
    duplicate: bool  # the content was already evidence: linked, not stored again
    encrypted: bool
    links_added: int


def parse_link(text: str) -> tuple[str, int]:
    """``record:12`` → ("record", 12)."""
    kind, _, key = text.partition(":")
    kind = kind.strip().lower()
    if kind not in LINK_TARGETS or not key.strip().isdigit():
        raise ConfigError(f"bad link {text!r}: use record:ID, person:ID or event:ID")
    return kind, int(key)


def _check_targets(session: Session, links: Iterable[tuple[str, int]]) -> None:
    for kind, key in links:
        if session.get(LINK_TARGETS[kind], key) is None:
            raise NotFoundError(f"no {kind} with id {key} to link to")


def _source(session: Session, name: str) -> tuple[Source, bool]:
    source = session.scalar(select(Source).where(Source.name == name))
    if source is not None:
        return source, False
    source = Source(name=name)
    session.add(source)
    session.flush()
    return source, True


def _store(project: Project) -> FileStore:
    return FileStore(project.files_dir)


def _encrypted_store(project: Project) -> FileStore:
    return FileStore(project.files_dir / "encrypted")


def _stored_path(project: Project, item: EvidenceItem) -> Path:
    store = _encrypted_store(project) if item.encrypted else _store(project)
    return store.path_for(item.stored_sha256)


def _link_rows(session: Session, item_id: int, links: Iterable[tuple[str, int]], actor: str) -> int:
    existing = set(
        session.execute(
            select(EvidenceLink.target_type, EvidenceLink.target_id).where(
                EvidenceLink.evidence_id == item_id
            )
        ).all()
    )
    added = 0
    for kind, key in dict.fromkeys(links):
        if (kind, key) not in existing:
            session.add(
                EvidenceLink(evidence_id=item_id, target_type=kind, target_id=key, created_by=actor)
            )
            added += 1
    session.flush()
    return added


def add_evidence(
    project: Project,
    actor: Actor,
    path: Path | str,
    *,
    source: str,
    description: str | None = None,
    links: Iterable[str | tuple[str, int]] = (),
    sensitivity: Sensitivity | str = Sensitivity.INTERNAL,
    keyring: KeyringOrFactory = None,
    purpose: str | None = None,
    progress: Progress | None = None,
) -> AddResult:
    """Add one file as evidence of `source` (documenters and above).

    Restricted files need an unlocked `keyring`: they are encrypted at rest, and so are their
    name, description and capture metadata.
    """
    require_role(actor, Role.DOCUMENTER, "add evidence")
    sensitivity = Sensitivity(sensitivity)
    path = Path(path)
    if not path.is_file():
        shown = "(name withheld: restricted)" if sensitivity is Sensitivity.RESTRICTED else path
        raise NotFoundError(f"no such file: {shown}")
    targets = [parse_link(t) if isinstance(t, str) else t for t in links]
    restricted = sensitivity is Sensitivity.RESTRICTED
    keyring = resolve_keyring(keyring) if restricted else None
    if restricted and keyring is None:
        raise EvidenceError("restricted evidence is encrypted: unlock the project's key first")
    with project.session() as session:
        _check_targets(session, targets)
    with open(path, "rb") as handle:
        head = handle.read(64)
    kind = media_type(path, head)
    metadata = capture_metadata(path, kind)

    # 1. Copy into the store, hashing as we go (outside any transaction: it may take minutes).
    _store(project).clean_incoming()
    _encrypted_store(project).clean_incoming()
    with open(path, "rb") as handle:
        if restricted:
            assert keyring is not None
            reader = keyring.encrypting_reader(_Counting(handle, progress))
            stored = _encrypted_store(project).put_stream(reader)  # type: ignore[arg-type]
            sha, size = reader.plaintext_sha256.hexdigest(), reader.plaintext_size
        else:
            stored = _store(project).put_stream(handle, progress)
            sha, size = stored.sha256, stored.size

    # 2. Record it, its links and its acquisition in one transaction.
    orphan: Path | None = None
    with project.transaction() as session:
        item = session.scalar(select(EvidenceItem).where(EvidenceItem.sha256 == sha))
        source_row, new_source = _source(session, source)
        duplicate = item is not None
        if item is not None:
            if restricted and not item.encrypted:
                raise EvidenceError(
                    f"this file is already evidence {item.id}, stored unencrypted "
                    f"({item.sensitivity}); it cannot be added again as restricted"
                )
            if restricted and stored.path != _stored_path(project, item):
                orphan = stored.path  # a second ciphertext of the same plaintext
            if not restricted and item.encrypted and not stored.already_present:
                orphan = stored.path  # a plaintext copy of restricted content: drop it
        else:
            sealed = None
            if restricted:
                assert keyring is not None
                sealed = keyring.seal(
                    {
                        "original_name": path.name,
                        "description": description,
                        "capture_metadata": metadata,
                    }
                )
            item = EvidenceItem(
                sha256=sha,
                size_bytes=size,
                media_type=kind,
                original_name=None if restricted else path.name,
                description=None if restricted else description,
                source_id=source_row.id,
                sensitivity=sensitivity.value,
                acquired_by=actor.username,
                capture_metadata=None if restricted else metadata,
                encrypted=restricted,
                stored_sha256=stored.sha256,
                data_key_id=keyring.active_key_id if restricted and keyring else None,
                sealed=sealed,
            )
            session.add(item)
            session.flush()
        links_added = _link_rows(session, item.id, targets, actor.username)
        details: dict[str, Any] = {"source_id": source_row.id, "size_bytes": size}
        if duplicate:
            details["duplicate"] = True
        if not restricted and not item.encrypted:
            details["original_name"] = path.name
        covers = [
            audit.RowSet.row("evidence_item", item.id),
            audit.RowSet("evidence_link", {"evidence_id": item.id}),
        ]
        if new_source:
            covers.append(audit.RowSet.row("source", source_row.id))
        record_custody(
            session,
            item.id,
            CustodyAction.ACQUISITION,
            actor.username,
            purpose=purpose,
            details=details,
            covers=covers,
            change={
                "sha256": sha,
                "size_bytes": size,
                "sensitivity": item.sensitivity,
                "encrypted": item.encrypted,
                "duplicate": duplicate,
                "links": [f"{k}:{v}" for k, v in targets],
            },
        )
        result = AddResult(
            item.id, sha, size, item.media_type, duplicate, item.encrypted, links_added
        )
    if orphan is not None:
        orphan.unlink(missing_ok=True)
    return result


class _Counting:
    """Pass reads through, reporting progress."""

    def __init__(self, stream: Any, progress: Progress | None) -> None:
        self._stream = stream
        self._progress = progress

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        if self._progress and chunk:
            self._progress(len(chunk))
        return chunk


def _get_item(session: Session, item_id: int) -> tuple[EvidenceItem, str | None]:
    row = session.execute(
        select(EvidenceItem, Source.name)
        .outerjoin(Source, EvidenceItem.source_id == Source.id)
        .where(EvidenceItem.id == item_id)
    ).one_or_none()
    if row is None:
        raise NotFoundError(f"no evidence with id {item_id}")
    return row[0], row[1]


def link_evidence(
    project: Project,
    actor: Actor,
    item_id: int,
    links: Iterable[str],
    *,
    purpose: str | None = None,
) -> int:
    """Link an item to records, persons or events (documenters and above); how many were new."""
    require_role(actor, Role.DOCUMENTER, "link evidence")
    targets = [parse_link(t) for t in links]
    with project.transaction() as session:
        item, _ = _get_item(session, item_id)
        _check_targets(session, targets)
        added = _link_rows(session, item.id, targets, actor.username)
        if added:
            record_custody(
                session,
                item.id,
                CustodyAction.LINK,
                actor.username,
                purpose=purpose,
                details={"links": [f"{k}:{v}" for k, v in targets]},
                covers=[audit.RowSet("evidence_link", {"evidence_id": item.id})],
            )
        return added


def transfer_evidence(
    project: Project, actor: Actor, item_id: int, *, to: str, purpose: str
) -> CustodyRecord:
    """Record that an item (or a copy) was handed to someone (documenters and above)."""
    require_role(actor, Role.DOCUMENTER, "record a transfer")
    if not to.strip() or not purpose.strip():
        raise ConfigError("a transfer needs a recipient (--to) and a reason (--reason)")
    with project.transaction() as session:
        item, _ = _get_item(session, item_id)
        event = record_custody(
            session,
            item.id,
            CustodyAction.TRANSFER,
            actor.username,
            purpose=purpose,
            details={"to": to},
        )
        return CustodyRecord(
            event.id, item.id, event.action, event.actor, event.occurred_at, purpose, event.details
        )
