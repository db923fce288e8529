"""Reading the audit log: recent entries, and the entries that concern given objects."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, or_, select, tuple_

from reckon.audit.canonical import canonical_json
from reckon.audit.findings import LoggedCover
from reckon.audit.log import RowSet, body_digest
from reckon.model import AuditEntry
from reckon.store.project import Project


@dataclass(frozen=True)
class AuditRecord:
    """One audit entry as stored."""

    seq: int
    recorded_at: str
    actor: str
    action: str
    object_type: str
    object_id: str
    change: str  # canonical JSON text, as hashed
    change_digest: str
    prev_hash: str
    entry_hash: str

    @property
    def change_data(self) -> dict[str, Any]:
        return json.loads(self.change)

    @property
    def body_digest(self) -> str:
        return body_digest(
            self.recorded_at,
            self.actor,
            self.action,
            self.object_type,
            self.object_id,
            self.change_digest,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "recorded_at": self.recorded_at,
            "actor": self.actor,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "change": self.change,
            "change_digest": self.change_digest,
            "prev_hash": self.prev_hash,
            "entry_hash": self.entry_hash,
        }


_COLUMNS = [
    AuditEntry.seq,
    AuditEntry.recorded_at,
    AuditEntry.actor,
    AuditEntry.action,
    AuditEntry.object_type,
    AuditEntry.object_id,
    AuditEntry.change,
    AuditEntry.change_digest,
    AuditEntry.prev_hash,
    AuditEntry.entry_hash,
]


def list_entries(
    project: Project,
    *,
    object_type: str | None = None,
    object_id: str | int | None = None,
    action: str | None = None,
    limit: int = 50,
    before: int | None = None,
) -> list[AuditRecord]:
    """The newest entries (optionally of one object or action), newest first."""
    query = select(*_COLUMNS)
    if object_type:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEntry.object_id == str(object_id))
    if action:
        query = query.where(AuditEntry.action == action)
    if before is not None:
        query = query.where(AuditEntry.seq < before)
    with project.session() as session:
        rows = session.execute(query.order_by(AuditEntry.seq.desc()).limit(limit)).all()
    return [AuditRecord(*row) for row in rows]


def entries_for(
    connection: Connection, objects: Iterable[tuple[str, str | int]]
) -> list[AuditRecord]:
    """Every entry about any of the given (object type, object id) pairs, in chain order."""
    keys = sorted({(kind, str(key)) for kind, key in objects})
    found: dict[int, AuditRecord] = {}
    for start in range(0, len(keys), 400):
        chunk = keys[start : start + 400]
        rows = connection.execute(
            select(*_COLUMNS).where(tuple_(AuditEntry.object_type, AuditEntry.object_id).in_(chunk))
        ).all()
        for row in rows:
            found[row[0]] = AuditRecord(*row)
    return [found[seq] for seq in sorted(found)]


def chain_segment(connection: Connection, first: int, last: int) -> list[dict[str, Any]]:
    """Seq, previous hash, body digest and hash of entries first..last: enough to recompute
    the chain between them without disclosing what the entries say."""
    rows = connection.execute(
        select(*_COLUMNS)
        .where(AuditEntry.seq >= first, AuditEntry.seq <= last)
        .order_by(AuditEntry.seq)
    ).all()
    segment = []
    for row in rows:
        record = AuditRecord(*row)
        segment.append(
            {
                "seq": record.seq,
                "prev_hash": record.prev_hash,
                "body_digest": record.body_digest,
                "entry_hash": record.entry_hash,
            }
        )
    return segment


def latest_covers(connection: Connection, rowsets: Iterable[RowSet]) -> dict[str, LoggedCover]:
    """The latest cover logged for each row set, by :attr:`RowSet.key`; a row set that no entry
    covers is left out. Its `data` holds the rows' count and combined digest as logged.

    For a writer about to re-cover rows it changes: comparing the rows as they are now with
    their latest cover first keeps a change made behind the log's back from being vouched for
    anew. (Like `reckon verify`, it trusts the entries' text; verify also checks their chain.)
    """
    wanted = {rowset.key for rowset in rowsets}
    if not wanted:
        return {}
    tables = sorted({key.split("|", 1)[0] for key in wanted})
    # Canonical JSON sorts a cover's keys, so "table" is followed by "where"; the patterns only
    # narrow the scan (a "_" in a LIKE pattern matches any character): every match is parsed.
    patterns = [f'%"table":{canonical_json(table)},"where":%' for table in tables]
    query = (
        select(AuditEntry.seq, AuditEntry.change)
        .where(or_(*(AuditEntry.change.like(pattern) for pattern in patterns)))
        .order_by(AuditEntry.seq)
        .execution_options(yield_per=1000)
    )
    found: dict[str, LoggedCover] = {}
    for seq, change in connection.execute(query):
        for number, data in enumerate(json.loads(change).get("covers", ())):
            rowset = RowSet.from_dict(data)
            if rowset.key in wanted:
                found[rowset.key] = LoggedCover(seq, number, rowset, data)
    return found
