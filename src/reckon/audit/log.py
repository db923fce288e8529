"""The append-only, hash-chained audit log.

Every service that writes calls :func:`append` inside its own transaction, so the entry commits
or rolls back with the change it describes::

    with project.transaction() as session:
        decision = LinkDecision(...)
        session.add(decision)
        session.flush()
        audit.append(
            session, actor=actor, action="link.decide", object_type="link_decision",
            object_id=decision.id, change={"decision": "same"},
            covers=[audit.RowSet.row("link_decision", decision.id)],
        )

An entry's hash is ``sha256(canonical_json(["reckon.audit/1", seq, prev_hash, body_digest]))``
where ``body_digest = sha256(canonical_json([recorded_at, actor, action, object_type,
object_id, change_digest]))`` and ``change_digest = sha256(change)``; ``change`` is stored as
the exact canonical JSON text that was hashed. The body digest lets a case export prove the
chain between two entries without disclosing what the entries in between say.

``covers`` names the database rows the entry vouches for (a :class:`RowSet`: a table, equality
conditions and an order). The entry's change then records how many rows there were and a digest
over their canonical serializations in that order, plus a per-row index (inline for a few rows,
in ``audit_row_index`` for many), so ``reckon verify`` can recompute it and name the row that
was altered, deleted or inserted. An import of a million rows is one entry. The latest entry
covering a row set (same table, conditions and order) supersedes earlier ones; a later
single-row cover supersedes a large cover for that row. Never put a restricted value in
``change``: put its digest.

Writers serialize on the ``audit_head`` row (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite an
``UPDATE`` takes the database's single write lock), and ``seq`` is the primary key, so two
writers can never fork the chain. Every :data:`CHECKPOINT_INTERVAL` entries the chain head is
signed with the installation's Ed25519 key in the same transaction.
"""

from __future__ import annotations

import hashlib
import zlib
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

from sqlalchemy import Connection, Table, insert, select, update
from sqlalchemy.orm import Session

from reckon.audit.canonical import RowCodec, canonical_json, sha256_hex
from reckon.model import AuditEntry, AuditHead, AuditRowIndex, Base

CHAIN_VERSION = "reckon.audit/1"
CHECKPOINT_INTERVAL = 1000  # entries between automatic signed checkpoints
INLINE_ROWS = 64  # covers of up to this many rows keep their row index in the entry itself
SHORT_DIGEST = 8  # bytes of each row's digest kept in a row index
RESERVED_CHANGE_KEYS = frozenset({"covers"})


def genesis_hash(log_id: str) -> str:
    """The `prev_hash` of entry 1: binds the chain to this log's random id."""
    return sha256_hex(f"reckon-audit-genesis:{log_id}")


def now_text() -> str:
    """The current UTC time as it is stored and hashed (ISO 8601, microseconds)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def body_digest(
    recorded_at: str,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    change_digest: str,
) -> str:
    """Digest of what an entry says (everything but its place in the chain)."""
    return sha256_hex(
        canonical_json([recorded_at, actor, action, object_type, object_id, change_digest])
    )


def chain_hash(seq: int, prev_hash: str, body: str) -> str:
    """An entry's hash from its sequence number, the previous hash and its body digest."""
    return sha256_hex(canonical_json([CHAIN_VERSION, seq, prev_hash, body]))


@dataclass(frozen=True)
class RowSet:
    """Rows of one table selected by equality conditions, in a stable order.

    `order_by` must be unique within the set (the primary key by default).

    Example:
        >>> RowSet("record", {"batch_id": 3}, "row_number").key
        'record|{"batch_id":3}|row_number'
    """

    table: str
    where: Mapping[str, int | str] = field(default_factory=dict)
    order_by: str | None = None

    @classmethod
    def row(cls, table: str, key: int | str) -> RowSet:
        """One row by its primary key."""
        return cls(table, {_primary_key(_table(table)).name: key})

    @property
    def key(self) -> str:
        """Identifies the set: a later cover with the same key supersedes an earlier one."""
        return f"{self.table}|{canonical_json(dict(self.where))}|{self.order_by or ''}"

    def to_dict(self) -> dict[str, Any]:
        return {"table": self.table, "where": dict(self.where), "order_by": self.order_by}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RowSet:
        return cls(data["table"], dict(data.get("where") or {}), data.get("order_by"))


@dataclass(frozen=True)
class LoggedEntry:
    """What `append` wrote."""

    seq: int
    entry_hash: str
    recorded_at: str


def _table(name: str) -> Table:
    try:
        return Base.metadata.tables[name]
    except KeyError:
        raise ValueError(f"no table named {name!r} to cover") from None


def _primary_key(table: Table):
    columns = list(table.primary_key.columns)
    if len(columns) != 1:
        raise ValueError(f"table {table.name!r} has no single-column primary key")
    return columns[0]


def rowset_select(rowset: RowSet, codec: RowCodec):
    """The SELECT that reads a row set as stored (the codec's columns), in its order."""
    table = codec.table
    for name in rowset.where:
        if name not in table.c:
            raise ValueError(f"table {table.name!r} has no column {name!r}")
    order = table.c[rowset.order_by] if rowset.order_by else _primary_key(table)
    return (
        select(*codec.columns)
        .select_from(table)
        .where(*(table.c[name] == value for name, value in rowset.where.items()))
        .order_by(order)
    )


@dataclass
class RowsetDigest:
    """Count, combined digest, ids and short row digests of a row set as it is now."""

    count: int
    digest: str
    ids: list[int | str]
    short_digests: bytes  # SHORT_DIGEST bytes per row, in order

    def rows(self) -> dict[int | str, bytes]:
        """Row id → short digest."""
        n = SHORT_DIGEST
        return {
            row_id: self.short_digests[i * n : (i + 1) * n] for i, row_id in enumerate(self.ids)
        }


def digest_rowset(connection: Connection, rowset: RowSet) -> RowsetDigest:
    """Read a row set in its order and digest it (streaming)."""
    table = _table(rowset.table)
    _primary_key(table)
    codec = RowCodec(table, connection.dialect.name)
    pk_index = codec.key_index
    outer = hashlib.sha256()
    ids: list[int | str] = []
    shorts = bytearray()
    digest_of = codec.digest
    result = connection.execute(rowset_select(rowset, codec).execution_options(yield_per=5000))
    for row in result:
        digest = digest_of(row)
        outer.update(digest)
        ids.append(row[pk_index])
        shorts += digest[:SHORT_DIGEST]
    return RowsetDigest(len(ids), outer.hexdigest(), ids, bytes(shorts))


def pack_index(ids: list[int | str]) -> bytes:
    """Compress the ids of a row index: delta-encoded int64, zlib."""
    if any(not isinstance(i, int) for i in ids):
        raise ValueError("large covers need integer primary keys")
    deltas = array("q", [ids[0]] if ids else [])
    deltas.extend(b - a for a, b in pairwise(ids))
    return zlib.compress(deltas.tobytes(), 6)


def unpack_index(ids_blob: bytes, digests_blob: bytes) -> dict[int, bytes]:
    """Row id → short digest from a stored row index."""
    deltas = array("q")
    deltas.frombytes(zlib.decompress(ids_blob))
    index: dict[int, bytes] = {}
    total = 0
    for n, delta in enumerate(deltas):
        total += delta
        index[total] = digests_blob[n * SHORT_DIGEST : (n + 1) * SHORT_DIGEST]
    return index


def index_digest(ids_blob: bytes, digests_blob: bytes) -> str:
    """What the entry records about its stored row index (so the index is in the chain too)."""
    return hashlib.sha256(hashlib.sha256(ids_blob).digest() + digests_blob).hexdigest()


def _cover(connection: Connection, seq: int, number: int, rowset: RowSet) -> dict[str, Any]:
    state = digest_rowset(connection, rowset)
    cover = {**rowset.to_dict(), "count": state.count, "digest": state.digest}
    if state.count <= INLINE_ROWS:
        cover["rows"] = [[row_id, short.hex()] for row_id, short in state.rows().items()]
    else:
        ids_blob = pack_index(state.ids)
        connection.execute(
            insert(AuditRowIndex.__table__).values(
                seq=seq, cover=number, ids=ids_blob, digests=state.short_digests
            )
        )
        cover["index"] = index_digest(ids_blob, state.short_digests)
    return cover


def _lock_head(connection: Connection) -> tuple[int, str, str]:
    head = AuditHead.__table__
    if connection.dialect.name == "sqlite":
        # A write takes SQLite's single write lock (waiting up to busy_timeout) before we read.
        connection.execute(update(head).where(head.c.id == 1).values(seq=head.c.seq))
    row = connection.execute(
        select(head.c.seq, head.c.entry_hash, head.c.log_id).where(head.c.id == 1).with_for_update()
    ).one_or_none()
    if row is None:
        from reckon.errors import IntegrityError

        raise IntegrityError("the audit log has no head row: the database was tampered with")
    return row.seq, row.entry_hash, row.log_id


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: int | str,
    change: Mapping[str, Any] | None = None,
    covers: Iterable[RowSet] = (),
) -> LoggedEntry:
    """Append one entry to the audit chain, inside the caller's transaction.

    Parameters:
        session: the session of the transaction that makes the change (flushed first).
        actor: who acts (a username).
        action: what was done, dotted: ``import``, ``evidence.add``, ``link.decide``, …
        object_type, object_id: what it was done to (a table name and primary key).
        change: JSON-able facts about the change (no restricted values; digests instead).
        covers: row sets this entry vouches for; `reckon verify` re-checks them.

    Returns:
        The entry's sequence number, hash and time.
    """
    change_doc = dict(change or {})
    reserved = RESERVED_CHANGE_KEYS & change_doc.keys()
    if reserved:
        raise ValueError(f"change keys {sorted(reserved)} are reserved")
    session.flush()
    connection = session.connection()
    last_seq, prev_hash, log_id = _lock_head(connection)
    seq = last_seq + 1
    cover_list = [_cover(connection, seq, n, rowset) for n, rowset in enumerate(covers)]
    if cover_list:
        change_doc["covers"] = cover_list
    change_text = canonical_json(change_doc)
    change_digest = sha256_hex(change_text)
    recorded_at = now_text()
    object_key = str(object_id)
    body = body_digest(recorded_at, actor, action, object_type, object_key, change_digest)
    entry_hash = chain_hash(seq, prev_hash, body)
    connection.execute(
        insert(AuditEntry.__table__).values(
            seq=seq,
            recorded_at=recorded_at,
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_key,
            change=change_text,
            change_digest=change_digest,
            prev_hash=prev_hash,
            entry_hash=entry_hash,
        )
    )
    head = AuditHead.__table__
    connection.execute(update(head).where(head.c.id == 1).values(seq=seq, entry_hash=entry_hash))
    if seq % CHECKPOINT_INTERVAL == 0:
        from reckon.audit.checkpoints import sign_checkpoint

        sign_checkpoint(connection, log_id, seq, entry_hash, kind="interval")
    return LoggedEntry(seq, entry_hash, recorded_at)


def record_import(session: Session, batch: Any, *, actor: str) -> LoggedEntry:
    """The audit entry of one import: covers its source, batch row and every record, in order."""
    return append(
        session,
        actor=actor,
        action="import",
        object_type="import_batch",
        object_id=batch.id,
        change={
            "source_id": batch.source_id,
            "file_sha256": batch.sha256,
            "rows_read": batch.rows_read,
            "rows_imported": batch.rows_imported,
            "rows_rejected": batch.rows_rejected,
        },
        covers=[
            RowSet.row("source", batch.source_id),
            RowSet.row("import_batch", batch.id),
            RowSet("record", {"batch_id": batch.id}, "row_number"),
        ],
    )
