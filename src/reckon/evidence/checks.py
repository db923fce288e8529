"""Checking evidence files: re-hash them, record the verification as custody, and the hook
that lets `reckon verify` decrypt and re-hash encrypted files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from reckon.access import Actor, require_role
from reckon.errors import IntegrityError, NotFoundError
from reckon.evidence.crypto import Keyring
from reckon.evidence.custody import CustodyAction, record_custody
from reckon.evidence.filestore import sha256_file
from reckon.evidence.locker import KeyringOrFactory, _stored_path, resolve_keyring
from reckon.model import (
    EvidenceItem,
    Role,
)
from reckon.store.project import Project


@dataclass(frozen=True)
class ItemCheck:
    evidence_id: int
    sha256: str
    intact: bool
    checked: str  # "plaintext" or "ciphertext"
    detail: str = ""


@dataclass
class EvidenceCheckResult:
    items: list[ItemCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(i.intact for i in self.items)


def check_item(project: Project, item: EvidenceItem, keyring: Keyring | None) -> ItemCheck:
    """Re-hash one item's stored file (and its plaintext, when encrypted and a key is given)."""
    import hashlib

    stored = _stored_path(project, item)
    if not stored.exists():
        return ItemCheck(item.id, item.sha256, False, "ciphertext", "stored file missing")
    if item.encrypted and keyring is not None:
        digest = hashlib.sha256()
        try:
            with open(stored, "rb") as handle:
                for chunk in keyring.decrypt_segments(handle):
                    digest.update(chunk)
        except IntegrityError as error:
            return ItemCheck(item.id, item.sha256, False, "plaintext", str(error))
        ok = digest.hexdigest() == item.sha256
        return ItemCheck(item.id, item.sha256, ok, "plaintext", "" if ok else "hash differs")
    ok = sha256_file(stored) == item.stored_sha256
    checked = "ciphertext" if item.encrypted else "plaintext"
    return ItemCheck(item.id, item.sha256, ok, checked, "" if ok else "hash differs")


def verify_evidence(
    project: Project,
    actor: Actor,
    item_ids: Iterable[int] = (),
    *,
    keyring: KeyringOrFactory = None,
) -> EvidenceCheckResult:
    """Re-hash items' files and record a verification custody event for each (documenters+)."""
    require_role(actor, Role.DOCUMENTER, "verify evidence")
    keyring = resolve_keyring(keyring)
    wanted = list(item_ids)
    with project.session() as session:
        query = select(EvidenceItem).order_by(EvidenceItem.id)
        if wanted:
            query = query.where(EvidenceItem.id.in_(wanted))
        items = list(session.scalars(query))
    missing = set(wanted) - {i.id for i in items}
    if missing:
        raise NotFoundError(f"no evidence with id {min(missing)}")
    result = EvidenceCheckResult()
    for item in items:
        check = check_item(project, item, keyring)
        result.items.append(check)
        with project.transaction() as session:
            record_custody(
                session,
                item.id,
                CustodyAction.VERIFICATION,
                actor.username,
                details={
                    "result": "intact" if check.intact else "altered",
                    "checked": check.checked,
                },
            )
    return result


def plaintext_check(project: Project, keyring: Keyring):
    """A `verify_project(decrypt=…)` hook: decrypt every encrypted file and re-hash it."""
    from reckon.audit.verify import Finding

    def check(connection) -> list[Finding]:
        findings = []
        items = connection.execute(
            select(EvidenceItem.__table__).where(EvidenceItem.encrypted.is_(True))
        ).all()
        for row in items:
            item = EvidenceItem(**row._asdict())
            if not _stored_path(project, item).exists():
                continue  # reported as missing by the file pass
            outcome = check_item(project, item, keyring)
            if not outcome.intact:
                findings.append(
                    Finding(
                        "altered",
                        "file",
                        f"encrypted file of evidence {item.id} does not decrypt to its recorded "
                        f"SHA-256 ({outcome.detail})",
                        sha256=item.sha256,
                    )
                )
        return findings

    return check


def needs_key(project: Project, item_id: int) -> bool:
    """Whether reading an item's file needs the project's key (it is stored encrypted)."""
    with project.session() as session:
        encrypted = session.scalar(select(EvidenceItem.encrypted).where(EvidenceItem.id == item_id))
    if encrypted is None:
        raise NotFoundError(f"no evidence with id {item_id}")
    return bool(encrypted)
