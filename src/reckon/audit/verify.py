"""`reckon verify`: prove the log, the rows it covers and the stored files are intact.

Three passes, each reporting what exactly is wrong (entry seq, table and row id, file hash):

1. The chain: every entry's change digest and hash are recomputed in sequence order; a gap is a
   deleted entry, an entry whose hash matches another position was reordered, any other mismatch
   is an alteration; the head row must point at the last entry. Signed checkpoints (stored, and
   from an exported file) must carry valid signatures by trusted keys and match the chain, and
   there must be one every `CHECKPOINT_INTERVAL` entries — so a chain rewritten and re-hashed
   consistently is still caught.
2. The rows: the latest cover of every row set is recomputed; a mismatch is resolved to the rows
   that were altered, deleted or inserted using the entry's row index. Rows of a covered table
   that no entry covers were inserted behind the log's back.
3. The files: every file in the store is re-hashed (streaming) and every file the database refers
   to must be present.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy import Connection, select

from reckon.audit import log as audit_log
from reckon.audit.checkpoints import Checkpoint, read_checkpoint_file, signature_valid, trusted_keys
from reckon.audit.findings import Finding, FindingCollector, LoggedCover, VerifyResult
from reckon.audit.log import RowSet, body_digest, chain_hash, genesis_hash
from reckon.audit.verify_files import check_files
from reckon.audit.verify_rows import check_rows
from reckon.errors import ConfigError
from reckon.model import AuditCheckpoint, AuditEntry, AuditHead
from reckon.store.project import Project

REORDER_WINDOW = 64  # how far from its place a moved entry is recognised as reordered

Progress = Callable[[str, int, int | None], None]  # (stage, done, total)

__all__ = ["Finding", "VerifyResult", "verify_project"]


# ---------------------------------------------------------------------------------------- chain


def _check_chain(
    connection: Connection,
    found: FindingCollector,
    result: VerifyResult,
    checkpoint_seqs: set[int],
    progress: Progress | None,
) -> tuple[dict[int, str], list[LoggedCover], int]:
    """Recompute the chain; return stored hashes at checkpoint seqs, the covers, the last seq."""
    head = connection.execute(
        select(AuditHead.log_id, AuditHead.seq, AuditHead.entry_hash).where(AuditHead.id == 1)
    ).one_or_none()
    if head is None:
        found.add(Finding("deleted", "audit_head", "the audit log's head row is missing"))
        return {}, [], 0
    table = AuditEntry.__table__
    c = table.c
    total = head.seq
    rows = connection.execute(
        select(
            c.seq,
            c.recorded_at,
            c.actor,
            c.action,
            c.object_type,
            c.object_id,
            c.change,
            c.change_digest,
            c.prev_hash,
            c.entry_hash,
        )
        .order_by(c.seq)
        .execution_options(yield_per=20000)
    )
    stored_at_checkpoints: dict[int, str] = {}
    covers: list[LoggedCover] = []
    last_hash = genesis_hash(head.log_id)
    expected = 1
    previous_ok = True
    sha256 = hashlib.sha256
    for seq, at, actor, action, otype, oid, change, change_digest, prev, stored in rows:
        result.entries += 1
        if progress and result.entries % 50000 == 0:
            progress("chain", result.entries, total)
        gap = seq != expected
        if gap:
            missing = (
                f"entry {expected}" if seq == expected + 1 else f"entries {expected}–{seq - 1}"
            )
            found.add(
                Finding("deleted", "audit_entry", f"{missing} missing from the log", seq=expected)
            )
        change_ok = sha256(change.encode("utf-8")).hexdigest() == change_digest
        body = body_digest(at, actor, action, otype, oid, change_digest)
        hash_ok = chain_hash(seq, prev, body) == stored
        if not hash_ok:
            moved_from = next(
                (
                    other
                    for distance in range(1, REORDER_WINDOW + 1)
                    for other in (seq - distance, seq + distance)
                    if other > 0 and chain_hash(other, prev, body) == stored
                ),
                None,
            )
            if moved_from is not None:
                found.add(
                    Finding(
                        "reordered",
                        "audit_entry",
                        f"entry stored at seq {seq} was written as seq {moved_from} "
                        f"({action} {otype} {oid})",
                        seq=seq,
                    )
                )
            else:
                found.add(
                    Finding(
                        "altered",
                        "audit_entry",
                        f"entry {seq} does not match its hash "
                        "(actor, time, action, object or change edited)",
                        seq=seq,
                    )
                )
        elif not change_ok:
            found.add(
                Finding(
                    "altered", "audit_entry", f"entry {seq}: change does not match its digest", seq
                )
            )
        elif prev != last_hash and not gap and previous_ok:
            found.add(
                Finding(
                    "altered",
                    "audit_entry",
                    f"entry {seq} does not link to entry {seq - 1}: the chain was broken or "
                    f"entry {seq - 1} replaced",
                    seq=seq,
                )
            )
        previous_ok = hash_ok and change_ok
        last_hash = stored
        expected = seq + 1
        if seq in checkpoint_seqs:
            stored_at_checkpoints[seq] = stored
        if change_ok and '"covers"' in change:
            for number, data in enumerate(json.loads(change).get("covers", ())):
                covers.append(LoggedCover(seq, number, RowSet.from_dict(data), data))
    last_seq = expected - 1
    if head.seq > last_seq:
        missing = f"entry {head.seq}" if head.seq == last_seq + 1 else f"entries {last_seq + 1}–"
        found.add(
            Finding(
                "deleted",
                "audit_entry",
                f"{missing}{'' if head.seq == last_seq + 1 else head.seq} missing: the log ends "
                f"at {last_seq} but its head records {head.seq}",
                seq=last_seq + 1,
            )
        )
    elif head.seq != last_seq or head.entry_hash != last_hash:
        found.add(
            Finding(
                "altered",
                "audit_head",
                f"the head row (seq {head.seq}) does not point at the last entry ({last_seq})",
                seq=last_seq,
            )
        )
    return stored_at_checkpoints, covers, last_seq


def _check_checkpoints(
    found: FindingCollector,
    result: VerifyResult,
    log_id: str,
    checkpoints: list[tuple[str, Checkpoint]],
    stored_at: dict[int, str],
    last_seq: int,
    trusted: set[str],
) -> None:
    valid_interval_seqs: set[int] = set()
    for origin, checkpoint in checkpoints:
        where = f"{origin} checkpoint at seq {checkpoint.seq} ({checkpoint.created_at})"
        if origin == "stored":
            result.checkpoints += 1
            result.signing_keys[checkpoint.fingerprint] = (
                result.signing_keys.get(checkpoint.fingerprint, 0) + 1
            )
        if not signature_valid(checkpoint, log_id):
            found.add(
                Finding("forged", "checkpoint", f"{where}: invalid signature", checkpoint.seq)
            )
            continue
        if checkpoint.public_key.lower() not in trusted:
            found.add(
                Finding(
                    "untrusted",
                    "checkpoint",
                    f"{where}: signed by key {checkpoint.fingerprint}, which this installation "
                    "does not trust (`reckon keys trust`, or pass --checkpoints/--trust-key)",
                    checkpoint.seq,
                )
            )
            continue
        if checkpoint.seq > last_seq:
            found.add(
                Finding(
                    "deleted",
                    "audit_entry",
                    f"{where} signs entries up to {checkpoint.seq} but the log ends at {last_seq}",
                    checkpoint.seq,
                )
            )
        elif stored_at.get(checkpoint.seq) != checkpoint.entry_hash:
            found.add(
                Finding(
                    "altered",
                    "audit_entry",
                    f"{where} does not match entry {checkpoint.seq}: the log up to entry "
                    f"{checkpoint.seq} was rewritten since it was signed",
                    checkpoint.seq,
                )
            )
        elif origin == "stored":
            valid_interval_seqs.add(checkpoint.seq)
    interval = audit_log.CHECKPOINT_INTERVAL
    for seq in range(interval, last_seq + 1, interval):
        if seq not in valid_interval_seqs and not any(
            f.target == "checkpoint" and f.seq == seq for f in result.findings
        ):
            found.add(
                Finding(
                    "deleted",
                    "checkpoint",
                    f"no valid signed checkpoint at seq {seq} (one is made every {interval} "
                    "entries): checkpoints were removed or the log was rebuilt",
                    seq,
                )
            )


# ----------------------------------------------------------------------------------------- main


def verify_project(
    project: Project,
    *,
    rows: bool = True,
    files: bool = True,
    checkpoint_file: Path | str | None = None,
    trust_keys: Iterable[str] = (),
    decrypt: Callable[[Connection], Iterable[Finding]] | None = None,
    progress: Progress | None = None,
) -> VerifyResult:
    """Check the audit chain, its checkpoints, the rows it covers and every stored file.

    Parameters:
        rows: re-check the database rows the log covers.
        files: re-hash every stored file.
        checkpoint_file: an exported checkpoint file kept elsewhere; its checkpoints (and keys)
            must match the log too.
        trust_keys: further public keys (hex) whose checkpoints are accepted.
        decrypt: optional further check that yields findings about encrypted files
            (`reckon.evidence.plaintext_check(project, keyring)` decrypts and re-hashes them).

    Returns:
        A VerifyResult; `result.ok` is True only when nothing was found.
    """
    started = time.perf_counter()
    result = VerifyResult()
    found = FindingCollector(result)
    extra_keys = set(trust_keys)
    external: list[Checkpoint] = []
    external_log_id: str | None = None
    if checkpoint_file is not None:
        external_log_id, external = read_checkpoint_file(checkpoint_file)
        extra_keys |= {c.public_key for c in external}
    trusted = trusted_keys(extra_keys)
    with project.engine.connect() as connection:
        log_id = connection.execute(
            select(AuditHead.log_id).where(AuditHead.id == 1)
        ).scalar_one_or_none()
        if external_log_id is not None and log_id is not None and external_log_id != log_id:
            raise ConfigError(
                f"{checkpoint_file} holds checkpoints of another log ({external_log_id}); "
                f"this project's log is {log_id}"
            )
        cp_table = AuditCheckpoint.__table__
        stored = [
            (
                "stored",
                Checkpoint(r.seq, r.entry_hash, r.created_at, r.kind, r.public_key, r.signature),
            )
            for r in connection.execute(select(cp_table).order_by(cp_table.c.seq, cp_table.c.id))
        ]
        all_checkpoints = stored + [("exported", c) for c in external]
        seqs = {c.seq for _, c in all_checkpoints}
        stored_at, covers, last_seq = _check_chain(connection, found, result, seqs, progress)
        if log_id is not None:
            _check_checkpoints(found, result, log_id, all_checkpoints, stored_at, last_seq, trusted)
        if last_seq and not any(c.seq == last_seq for _, c in all_checkpoints):
            covered_to = max((c.seq for _, c in all_checkpoints if c.seq <= last_seq), default=0)
            span = (
                f"entry {last_seq} is"
                if covered_to + 1 == last_seq
                else f"entries {covered_to + 1}–{last_seq} are"
            )
            result.notes.append(
                f"{span} not yet covered by a signed checkpoint "
                "(`reckon audit checkpoint` signs the head now)"
            )
        if rows:
            check_rows(connection, covers, found, result)
        if files:
            check_files(project, connection, found, result, progress, decrypt)
    result.seconds = time.perf_counter() - started
    return result
