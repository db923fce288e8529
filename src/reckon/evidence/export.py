"""Case export: the evidence of one event or one person as a BagIt bag (RFC 8493).

The bag holds, under ``data/``:

* ``files/<sha256><ext>`` — the evidence files (named by hash, never by a possibly sensitive name);
* ``metadata/<sha256>.json`` — what each file is, where it came from, its links and custody;
* ``custody.json`` — the custody history of every exported file;
* ``audit/entries.jsonl`` — the audit entries about the exported files (in full);
* ``audit/chain.jsonl`` — seq, previous hash, body digest and hash of every entry from each of
  those entries to the next signed checkpoint: enough to recompute the chain without disclosing
  what unrelated entries say;
* ``audit/checkpoints.json`` — those signed checkpoints, the log id and the public key;
* ``case.json`` and ``README.txt``.

``bagit.py --validate`` checks the payload against the manifests; :func:`verify_case_bag` also
checks the chain, the signatures and that each file is the one its acquisition entry names.
Restricted files are exported only with ``include_restricted`` by an investigator or admin, and
the export itself is audited (an ``export`` custody event per file).
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bagit
from sqlalchemy import select

from reckon import __version__, audit
from reckon.access import Actor, require_role
from reckon.audit.checkpoints import (
    Checkpoint,
    fingerprint,
    list_checkpoints,
    signature_valid,
    trusted_keys,
)
from reckon.audit.checkpoints import (
    log_id as project_log_id,
)
from reckon.audit.log import chain_hash, now_text
from reckon.audit.query import AuditRecord, chain_segment, entries_for
from reckon.errors import ConfigError, EvidenceError, IntegrityError, NotFoundError
from reckon.evidence.custody import CustodyAction, record_custody
from reckon.evidence.filestore import sha256_file
from reckon.evidence.locker import KeyringOrFactory, resolve_keyring
from reckon.evidence.viewing import copy_out, evidence_detail
from reckon.model import (
    Event,
    EvidenceItem,
    EvidenceLink,
    Involvement,
    Person,
    PersonRecord,
    Role,
    Sensitivity,
    Source,
)
from reckon.store.project import Project


@dataclass(frozen=True)
class CaseExportResult:
    path: Path
    files: int
    withheld: int  # restricted files left out
    bytes: int
    checkpoint_seq: int


def _scope(session, event_id: int | None, person_id: int | None) -> tuple[dict[str, Any], set]:
    """The case description and the (target_type, id) pairs whose evidence belongs to it."""
    targets: set[tuple[str, int]] = set()
    if event_id is not None:
        event = session.get(Event, event_id)
        if event is None:
            raise NotFoundError(f"no event with id {event_id}")
        targets.add(("event", event.id))
        involvements = session.execute(
            select(Involvement.person_id, Involvement.role, Involvement.record_id).where(
                Involvement.event_id == event.id
            )
        ).all()
        persons = {p for p, _, _ in involvements}
        targets |= {("record", r) for _, _, r in involvements if r is not None}
        case = {
            "event": {
                "id": event.id,
                "kind": event.kind,
                "title": event.title,
                "date": event.date_text,
                "place_id": event.place_id,
            },
            "involvements": [
                {"person_id": p, "role": role, "record_id": r} for p, role, r in involvements
            ],
        }
    else:
        assert person_id is not None
        if session.get(Person, person_id) is None:
            raise NotFoundError(f"no person with id {person_id}")
        persons = {person_id}
        case = {"person": {"id": person_id}}
    targets |= {("person", p) for p in persons}
    if persons:
        records = session.scalars(
            select(PersonRecord.record_id).where(PersonRecord.person_id.in_(persons))
        )
        targets |= {("record", r) for r in records}
    return case, targets


def _items_for(session, targets: set[tuple[str, int]]) -> list[int]:
    ids: set[int] = set()
    by_kind: dict[str, list[int]] = {}
    for kind, key in targets:
        by_kind.setdefault(kind, []).append(key)
    for kind, keys in by_kind.items():
        for start in range(0, len(keys), 500):
            ids |= set(
                session.scalars(
                    select(EvidenceLink.evidence_id).where(
                        EvidenceLink.target_type == kind,
                        EvidenceLink.target_id.in_(keys[start : start + 500]),
                    )
                )
            )
    return sorted(ids)


def _segments(
    connection, entries: list[AuditRecord], checkpoints: list[Checkpoint]
) -> tuple[list[dict], list[Checkpoint]]:
    """Chain rows from each entry to the first checkpoint at or after it; those checkpoints."""
    by_seq = sorted(checkpoints, key=lambda c: c.seq)
    ranges: dict[int, int] = {}
    used: dict[int, Checkpoint] = {}
    for entry in entries:
        covering = next((c for c in by_seq if c.seq >= entry.seq), None)
        if covering is None:
            raise IntegrityError(f"no signed checkpoint covers audit entry {entry.seq}")
        used[covering.seq] = covering
        ranges[entry.seq] = covering.seq
    rows: dict[int, dict] = {}
    for first, last in ranges.items():
        if first in rows:  # an earlier entry's segment already runs through this one
            continue
        for row in chain_segment(connection, first, last):
            rows[row["seq"]] = row
    return [rows[s] for s in sorted(rows)], [used[s] for s in sorted(used)]


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


README = """This is a case export of Reckon {version} (BagIt, RFC 8493).

Check it:
  bagit.py --validate {name}          the files are exactly those the manifests list
  reckon export verify-case {name}    also the audit chain, the signed checkpoints, and that
                                      every file is the one its acquisition entry names

Signing key fingerprint(s): {fingerprints}
Compare them with the fingerprint the organisation published or gave you separately.

data/files/      the evidence files, named by SHA-256
data/metadata/   one JSON per file: origin, links, custody history
data/custody.json, data/audit/   custody events, audit entries, chain and signed checkpoints
"""


def export_case(
    project: Project,
    actor: Actor,
    out: Path | str,
    *,
    event_id: int | None = None,
    person_id: int | None = None,
    include_restricted: bool = False,
    keyring: KeyringOrFactory = None,
    purpose: str | None = None,
) -> CaseExportResult:
    """Write the evidence of one event or person to a new BagIt bag at `out` (analysts+)."""
    require_role(actor, Role.ANALYST, "export a case")
    if (event_id is None) == (person_id is None):
        raise ConfigError("export a case by --event ID or by --person ID (one of them)")
    if include_restricted:
        require_role(actor, Role.INVESTIGATOR, "export restricted material")
    out = Path(out)
    if out.exists():
        raise EvidenceError(f"{out} exists; choose a new directory for the bag")
    stage = out.parent / f".{out.name}.partial-{os.getpid()}"
    if stage.exists():
        shutil.rmtree(stage)
    try:
        return _export(
            project, actor, out, stage, event_id, person_id, include_restricted, keyring, purpose
        )
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def _export(
    project: Project,
    actor: Actor,
    out: Path,
    stage: Path,
    event_id: int | None,
    person_id: int | None,
    include_restricted: bool,
    keyring: KeyringOrFactory,
    purpose: str | None,
) -> CaseExportResult:
    stage.mkdir(parents=True)
    with project.transaction() as session:
        case, targets = _scope(session, event_id, person_id)
        item_ids = _items_for(session, targets)
        rows = session.execute(
            select(EvidenceItem, Source.name)
            .outerjoin(Source, EvidenceItem.source_id == Source.id)
            .where(EvidenceItem.id.in_(item_ids))
            .order_by(EvidenceItem.id)
        ).all()
        chosen = [
            (item, source)
            for item, source in rows
            if item.sensitivity != Sensitivity.RESTRICTED.value or include_restricted
        ]
        withheld = len(rows) - len(chosen)
        keyring = resolve_keyring(keyring) if any(i.encrypted for i, _ in chosen) else None
        if any(item.encrypted for item, _ in chosen) and keyring is None:
            raise EvidenceError("restricted files are encrypted: unlock the project's key first")
        total = 0
        for item, _source in chosen:
            name = item.sha256 + (mimetypes.guess_extension(item.media_type, strict=False) or "")
            copy_out(project, item, stage / "files" / name, keyring)
            total += item.size_bytes
            record_custody(
                session,
                item.id,
                CustodyAction.EXPORT,
                actor.username,
                purpose=purpose,
                details={
                    "case": {"event_id": event_id, "person_id": person_id},
                    "bag": out.name,
                    "restricted": item.sensitivity == Sensitivity.RESTRICTED.value,
                },
            )
        audit.append(
            session,
            actor=actor.username,
            action="export.case",
            object_type="event" if event_id is not None else "person",
            object_id=event_id if event_id is not None else person_id,  # type: ignore[arg-type]
            change={
                "evidence": [item.id for item, _ in chosen],
                "withheld": withheld,
                "include_restricted": include_restricted,
                "bag": out.name,
            },
        )
        details = [
            (item, evidence_detail(session, item, source, actor, keyring))
            for item, source in chosen
        ]
    checkpoint = audit.create_checkpoint(project)
    with project.engine.connect() as connection:
        entries = entries_for(connection, [("evidence_item", item.id) for item, _ in chosen])
        entries = [e for e in entries if e.seq <= checkpoint.seq]
        checkpoints = [c for c in list_checkpoints(project) if c.seq <= checkpoint.seq]
        chain, used = _segments(connection, entries, checkpoints)
        log_id = project_log_id(project)
    custody_all = []
    for item, detail in details:
        metadata = detail.to_dict()
        metadata["stored_file"] = f"files/{item.sha256}" + (
            mimetypes.guess_extension(item.media_type, strict=False) or ""
        )
        _write_json(stage / "metadata" / f"{item.sha256}.json", metadata)
        custody_all.extend(metadata["custody"])
    _write_json(stage / "custody.json", custody_all)
    (stage / "audit").mkdir(exist_ok=True)
    with open(stage / "audit" / "entries.jsonl", "w", encoding="utf-8") as handle:
        for entry in entries:
            handle.write(json.dumps(entry.to_dict(), ensure_ascii=False) + "\n")
    with open(stage / "audit" / "chain.jsonl", "w", encoding="utf-8") as handle:
        for row in chain:
            handle.write(json.dumps(row) + "\n")
    keys = sorted({c.public_key for c in used})
    _write_json(
        stage / "audit" / "checkpoints.json",
        {
            "log_id": log_id,
            "public_keys": {k: fingerprint(k) for k in keys},
            "checkpoints": [c.to_dict() for c in used],
        },
    )
    _write_json(
        stage / "case.json",
        {
            **case,
            "exported_at": now_text(),
            "exported_by": actor.username,
            "reckon_version": __version__,
            "files": len(chosen),
            "restricted_withheld": withheld,
            "include_restricted": include_restricted,
            "checkpoint_seq": checkpoint.seq,
        },
    )
    (stage / "README.txt").write_text(
        README.format(
            version=__version__,
            name=out.name,
            fingerprints=", ".join(fingerprint(k) for k in keys) or "none",
        ),
        encoding="utf-8",
    )
    bag_info = {
        "Source-Organization": "Reckon case export",
        "External-Description": (
            f"Evidence of {'event' if event_id is not None else 'person'} "
            f"{event_id if event_id is not None else person_id}"
        ),
        "External-Identifier": f"reckon-log-{log_id}-seq-{checkpoint.seq}",
        "Bag-Software-Agent": f"reckon {__version__} with bagit-python",
    }
    bagit.make_bag(str(stage), bag_info, checksums=["sha256", "sha512"])
    os.rename(stage, out)
    return CaseExportResult(out, len(chosen), withheld, total, checkpoint.seq)


@dataclass
class BagCheck:
    """What `verify_case_bag` found; intact only without problems."""

    problems: list[str] = field(default_factory=list)
    files: int = 0
    entries: int = 0
    fingerprints: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_case_bag(path: Path | str, *, trust_keys: Iterable[str] = ()) -> BagCheck:
    """Validate a case bag: BagIt manifests, chain, checkpoint signatures, file ↔ entry."""
    path = Path(path)
    result = BagCheck()
    try:
        bagit.Bag(str(path)).validate()
    except bagit.BagError as error:
        result.problems.append(f"BagIt validation failed: {error}")
        return result
    data = path / "data"
    try:
        checkpoint_doc = json.loads((data / "audit" / "checkpoints.json").read_text("utf-8"))
        entries = [
            AuditRecord(**json.loads(line))
            for line in (data / "audit" / "entries.jsonl").read_text("utf-8").splitlines()
            if line
        ]
        chain = [
            json.loads(line)
            for line in (data / "audit" / "chain.jsonl").read_text("utf-8").splitlines()
            if line
        ]
    except (OSError, ValueError, TypeError) as error:
        result.problems.append(f"audit files unreadable: {error}")
        return result
    log_id = checkpoint_doc["log_id"]
    checkpoints = {c["seq"]: Checkpoint(**c) for c in checkpoint_doc["checkpoints"]}
    trusted = trusted_keys(trust_keys)
    for checkpoint in checkpoints.values():
        result.fingerprints.append(checkpoint.fingerprint)
        if not signature_valid(checkpoint, log_id):
            result.problems.append(f"checkpoint at seq {checkpoint.seq}: invalid signature")
        elif checkpoint.public_key not in trusted:
            result.problems.append(
                f"checkpoint at seq {checkpoint.seq} is signed by {checkpoint.fingerprint}, "
                "not a trusted key (compare it with the published fingerprint; --trust-key)"
            )
    result.fingerprints = sorted(set(result.fingerprints))
    rows = {row["seq"]: row for row in chain}
    for row in chain:
        if chain_hash(row["seq"], row["prev_hash"], row["body_digest"]) != row["entry_hash"]:
            result.problems.append(f"chain entry {row['seq']} does not match its hash")
        before = rows.get(row["seq"] - 1)
        if before is not None and row["prev_hash"] != before["entry_hash"]:
            result.problems.append(f"chain entry {row['seq']} does not link to {row['seq'] - 1}")
    for seq, checkpoint in checkpoints.items():
        if rows.get(seq, {}).get("entry_hash") != checkpoint.entry_hash:
            result.problems.append(f"checkpoint at seq {seq} does not match the chain")
    acquired: dict[str, str] = {}
    for entry in entries:
        result.entries += 1
        row = rows.get(entry.seq)
        if hashlib.sha256(entry.change.encode("utf-8")).hexdigest() != entry.change_digest:
            result.problems.append(f"entry {entry.seq}: change does not match its digest")
        if row is None or row["body_digest"] != entry.body_digest:
            result.problems.append(f"entry {entry.seq} is not the one in the chain")
            continue
        seq = entry.seq
        while seq in rows and seq not in checkpoints:
            seq += 1
        if seq not in checkpoints:
            result.problems.append(f"entry {entry.seq} is not chained to a signed checkpoint")
        change = entry.change_data
        if entry.action == "evidence.acquisition" and "sha256" in change:
            acquired[change["sha256"]] = entry.object_id
    for metadata_path in sorted((data / "metadata").glob("*.json")):
        metadata = json.loads(metadata_path.read_text("utf-8"))
        stored = data / metadata["stored_file"]
        result.files += 1
        if sha256_file(stored) != metadata["sha256"]:
            result.problems.append(f"{metadata['stored_file']}: SHA-256 differs from its metadata")
        if acquired.get(metadata["sha256"]) != str(metadata["id"]):
            result.problems.append(
                f"{metadata['stored_file']}: no audited acquisition of this content as evidence "
                f"{metadata['id']}"
            )
    return result
