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

A writer that inserts many rows can digest them as it writes them, instead of having them read
back: it passes a :class:`WrittenRows` (fed each chunk's ids and stored values, in the set's
order) in place of the :class:`RowSet`; one that rewrites rows it has read passes a
:class:`DigestedRows` (fed the rows' digests). Either way a cover is built as a stream
(:class:`CoverDigest`): running hashes, the compressed ids and 8 bytes per row.

Writers serialize on the ``audit_head`` row (``SELECT … FOR UPDATE`` on PostgreSQL; on SQLite an
``UPDATE`` takes the database's single write lock), and ``seq`` is the primary key, so two
writers can never fork the chain. Every :data:`CHECKPOINT_INTERVAL` entries the chain head is
signed with the installation's Ed25519 key in the same transaction.
"""

from __future__ import annotations

import hashlib
import tempfile
import zlib
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import pairwise
from operator import itemgetter, lt
from typing import IO, Any

import orjson
from sqlalchemy import Connection, Table, insert, select, update
from sqlalchemy.orm import Session

from reckon.audit.canonical import _ROW_ENCODER, RowCodec, canonical_json, sha256_hex
from reckon.model import AuditEntry, AuditHead, AuditRowIndex, Base

CHAIN_VERSION = "reckon.audit/1"
CHECKPOINT_INTERVAL = 1000  # entries between automatic signed checkpoints
INLINE_ROWS = 64  # covers of up to this many rows keep their row index in the entry itself
SHORT_DIGEST = 8  # bytes of each row's digest kept in a row index
SPOOL_BYTES = 1 << 20  # a row index's digests beyond this wait in a temporary file, not memory
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


class CoverDigest:
    """A cover's count, combined digest and row index, built a chunk of rows at a time, in order.

    What `digest_rowset` computes, in memory that does not grow with the rows: the ids go into
    the compressed row index as they come (delta-encoded int64, zlib, as `pack_index` writes
    them) and the short digests into a temporary file, streamed into the database at the end.
    """

    def __init__(self) -> None:
        self.count = 0
        self._outer = hashlib.sha256()
        self._shorts = bytearray()  # moved to a temporary file when it outgrows SPOOL_BYTES
        self._spool: IO[bytes] | None = None
        self._inline: list[tuple[int | str, bytes]] = []
        self._compress = zlib.compressobj(6)
        self._ids_blob = bytearray()
        self._last_id = 0
        self._integer_ids = True

    def add(self, row_id: int | str, digest: bytes) -> None:
        """The next row of the set: its primary key and its 32-byte digest."""
        self.extend([row_id], [digest])

    def extend(self, ids: Sequence[int | str], digests: Sequence[bytes]) -> None:
        """The next rows of the set, in order: their primary keys and 32-byte digests."""
        if len(ids) != len(digests):
            raise ValueError(f"{len(ids)} ids for {len(digests)} digests")
        if not ids:
            return
        self._outer.update(b"".join(digests))
        shorts = [digest[:SHORT_DIGEST] for digest in digests]
        self._shorts += b"".join(shorts)
        if len(self._shorts) > SPOOL_BYTES:
            if self._spool is None:
                self._spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
            self._spool.write(self._shorts)
            self._shorts.clear()
        if self.count < INLINE_ROWS:
            self._inline.extend(zip(ids, shorts, strict=True))
            del self._inline[INLINE_ROWS:]
        self.count += len(ids)
        if self._integer_ids and all(isinstance(i, int) for i in ids):
            deltas = array("q", [ids[0] - self._last_id])
            deltas.extend(b - a for a, b in pairwise(ids))
            self._ids_blob += self._compress.compress(deltas.tobytes())
            self._last_id = ids[-1]
        else:
            self._integer_ids = False

    @property
    def digest(self) -> str:
        """The combined digest (hex) of the rows added so far."""
        return self._outer.hexdigest()

    def cover(self, connection: Connection, seq: int, number: int) -> dict[str, Any]:
        """The cover's facts for entry `seq`; a large cover's row index is written here."""
        cover: dict[str, Any] = {"count": self.count, "digest": self.digest}
        if self.count <= INLINE_ROWS:
            cover["rows"] = [[row_id, short.hex()] for row_id, short in self._inline]
            return cover
        if not self._integer_ids:
            raise ValueError("large covers need integer primary keys")
        ids_blob = bytes(self._ids_blob + self._compress.flush())
        index = hashlib.sha256(hashlib.sha256(ids_blob).digest())  # see index_digest
        for chunk in self._short_chunks():
            index.update(chunk)
        self._write_index(connection, seq, number, ids_blob)
        self.close()
        cover["index"] = index.hexdigest()
        return cover

    def close(self) -> None:
        """Remove the temporary file of a large cover (done by `cover`; call it on failure)."""
        if self._spool is not None:
            self._spool.close()

    def _short_chunks(self) -> Iterator[bytes]:
        if self._spool is not None:
            self._spool.seek(0)
            yield from iter(lambda: self._spool.read(SPOOL_BYTES), b"")
        yield bytes(self._shorts)

    def _write_index(self, connection: Connection, seq: int, number: int, ids_blob: bytes) -> None:
        """Insert the row index, its short digests streamed from the spool in chunks."""
        table = AuditRowIndex.__table__
        driver = connection.connection.driver_connection
        if connection.dialect.name == "sqlite":
            cursor = driver.execute(
                f"INSERT INTO {table.name} (seq, cover, ids, digests) VALUES (?, ?, ?, zeroblob(?))",
                (seq, number, ids_blob, self.count * SHORT_DIGEST),
            )
            row = cursor.lastrowid
            cursor.close()
            with driver.blobopen(table.name, "digests", row) as blob:
                for chunk in self._short_chunks():
                    blob.write(chunk)
        elif connection.dialect.name == "postgresql":
            copy_sql = f"COPY {table.name} (seq, cover, ids, digests) FROM STDIN"
            with driver.cursor() as cursor, cursor.copy(copy_sql) as copy:
                # One row in COPY's text format: bytea in hex, its backslash escaped.
                copy.write(f"{seq}\t{number}\t\\\\x{ids_blob.hex()}\t\\\\x")
                for chunk in self._short_chunks():
                    copy.write(chunk.hex())
                copy.write("\n")
        else:
            digests = b"".join(self._short_chunks())
            connection.execute(
                insert(table).values(seq=seq, cover=number, ids=ids_blob, digests=digests)
            )


_PLAIN = frozenset({str, int, type(None)})  # values orjson writes exactly as _ROW_ENCODER does
RowText = tuple[bytes, bytes]  # a row's canonical JSON before and after its primary key's value


class RowEncoder:
    """Rows' canonical JSON (what :meth:`RowCodec.digest` hashes), made before their primary
    keys are known: the text before and after the key's value.

    Pure and picklable, so worker processes can do this part of an import's digests.
    """

    def __init__(self, key: str, columns: Sequence[str]) -> None:
        self.key = key
        self.columns = tuple(columns)
        self.names = sorted([*self.columns, key])
        position = {name: i for i, name in enumerate([key, *self.columns])}
        self._order = itemgetter(*(position[name] for name in self.names))  # (key, *values)
        self._mark = orjson.dumps(key) + b":"

    def __call__(self, rows: Sequence[Sequence]) -> list[RowText]:
        """Each row's text before and after its primary key's value."""
        return [self._split(text) for text in self.texts(rows)]

    def texts(
        self, rows: Sequence[Sequence], ids: Sequence[int | str] | None = None
    ) -> list[bytes]:
        """Each row's canonical JSON, with its primary key from `ids` (a placeholder 0 if None)."""
        if not rows:
            return []
        keys = ids if ids is not None else [0] * len(rows)
        kinds = [set(map(type, values)) for values in zip(*rows, strict=True)]
        if not (set(map(type, keys)) <= _PLAIN and all(k <= _PLAIN for k in kinds)):
            return [self._encode(i, values) for i, values in zip(keys, rows, strict=True)]
        # str, int and None only: orjson writes the same bytes as the canonical encoder, and
        # about ten times faster (tests/audit/test_written_rows.py checks every character).
        columns, key = self.columns, self.key
        nullable = [name for name, k in zip(columns, kinds, strict=True) if type(None) in k]
        dumps, sort = orjson.dumps, orjson.OPT_SORT_KEYS
        texts = []
        for row_id, values in zip(keys, rows):  # noqa: B905
            payload = dict(zip(columns, values))  # noqa: B905
            for name in nullable:
                if payload[name] is None:
                    del payload[name]
            payload[key] = row_id
            try:
                texts.append(dumps(payload, option=sort))
            except orjson.JSONEncodeError:  # an int beyond 64 bits
                texts.append(self._encode(row_id, values))
        return texts

    def _encode(self, row_id: int | str, values: Sequence) -> bytes:
        """The canonical JSON of a row of any types (RowCodec.digest's payload)."""
        ordered = self._order((row_id, *values))
        payload = {n: v for n, v in zip(self.names, ordered) if v is not None}  # noqa: B905
        return _ROW_ENCODER.encode(payload).encode("utf-8")

    def _split(self, text: bytes) -> RowText:
        # `"id":` can only be the key itself: inside a JSON string every quote is escaped.
        at = text.index(self._mark) + len(self._mark)
        return text[:at], text[at + 1 :]  # around the placeholder 0

    @staticmethod
    def join(row_id: int | str, text: RowText) -> bytes:
        """The row's canonical JSON with its primary key in place."""
        value = str(row_id) if type(row_id) is int else _ROW_ENCODER.encode(row_id)
        return text[0] + value.encode("utf-8") + text[1]


class WrittenRows:
    """The cover of rows the caller is writing, digested from the values it writes.

    Each row's digest is :meth:`RowCodec.digest` of the row as the database will return it,
    so `columns` must name every column that is not NULL, and each value must be what the
    driver returns for it (text for SQLite's dates and times and for JSON, as stored). Rows
    are added in the row set's order, after each chunk is written, with their primary keys.
    :attr:`encoder` may run elsewhere (in a worker) and its texts be passed to :meth:`add`.

    Example:
        >>> rows = WrittenRows(RowSet("record", {"batch_id": 1}, "row_number"), ["row_number"])
        >>> rows.add([7], [(1,)])
        >>> rows.digest.count
        1
    """

    def __init__(self, rowset: RowSet, columns: Sequence[str]) -> None:
        table = _table(rowset.table)
        key = _primary_key(table).name
        self.rowset = rowset
        self.encoder = RowEncoder(key, columns)
        names = self.encoder.names
        if len(set(names)) != len(names) or any(name not in table.c for name in names):
            raise ValueError(f"columns {list(columns)} do not name distinct columns of {table}")
        order_by = rowset.order_by or key
        self._order_at = None if order_by == key else list(columns).index(order_by)
        self._last_order: Any = None
        self.digest = CoverDigest()

    def add(
        self,
        ids: Sequence[int | str],
        rows: Sequence[Sequence],
        texts: Sequence[RowText] | None = None,
    ) -> None:
        """Rows just written (values in `columns` order), the primary keys they got, and
        their `encoder` texts if these were made already."""
        if len(ids) != len(rows):
            raise ValueError(f"{len(rows)} rows written but {len(ids)} ids found")
        if not rows:
            return
        at = self._order_at
        order = list(ids) if at is None else [values[at] for values in rows]
        if self._last_order is not None:
            order = [self._last_order, *order]
        if not all(map(lt, order[:-1], order[1:])):
            raise ValueError(f"rows must be added in {self.rowset.key} order")
        self._last_order = order[-1]
        sha256 = hashlib.sha256
        if texts is None:
            digests = [sha256(text).digest() for text in self.encoder.texts(rows, ids)]
        else:
            join = RowEncoder.join
            digests = [sha256(join(i, t)).digest() for i, t in zip(ids, texts, strict=True)]
        self.digest.extend(ids, digests)

    def close(self) -> None:
        """Release the temporary file of an unfinished cover (`append` releases it itself)."""
        self.digest.close()


class DigestedRows:
    """The cover of rows the caller digested itself: :meth:`RowCodec.digest` of each row as the
    database will return it once the caller's changes are written, added in the row set's order.

    For a writer that reads rows, changes some and writes them back in one pass (it has each
    row in hand, so reading the set again only to digest it would double the work).

    Example:
        >>> rows = DigestedRows(RowSet("record", {"batch_id": 1}, "row_number"))
        >>> rows.add([7], [bytes(32)])
        >>> rows.digest.count
        1
    """

    def __init__(self, rowset: RowSet) -> None:
        self.rowset = rowset
        self.digest = CoverDigest()

    def add(self, ids: Sequence[int | str], digests: Sequence[bytes]) -> None:
        """The next rows of the set, in its order: their primary keys and 32-byte digests."""
        self.digest.extend(ids, digests)

    def close(self) -> None:
        """Release the temporary file of an unfinished cover (`append` releases it itself)."""
        self.digest.close()


def _cover(
    connection: Connection, seq: int, number: int, cover: RowSet | WrittenRows | DigestedRows
) -> dict[str, Any]:
    if isinstance(cover, WrittenRows | DigestedRows):
        rowset, state = cover.rowset, cover.digest
    else:
        rowset, state = cover, CoverDigest()
        table = _table(rowset.table)
        _primary_key(table)
        codec = RowCodec(table, connection.dialect.name)
        query = rowset_select(rowset, codec).execution_options(yield_per=5000)
        for rows in connection.execute(query).partitions():
            state.extend([row[codec.key_index] for row in rows], [codec.digest(r) for r in rows])
    return {**rowset.to_dict(), **state.cover(connection, seq, number)}


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
    covers: Iterable[RowSet | WrittenRows | DigestedRows] = (),
) -> LoggedEntry:
    """Append one entry to the audit chain, inside the caller's transaction.

    Parameters:
        session: the session of the transaction that makes the change (flushed first).
        actor: who acts (a username).
        action: what was done, dotted: ``import``, ``evidence.add``, ``link.decide``, …
        object_type, object_id: what it was done to (a table name and primary key).
        change: JSON-able facts about the change (no restricted values; digests instead).
        covers: row sets this entry vouches for; `reckon verify` re-checks them. A
            :class:`WrittenRows` or :class:`DigestedRows` covers rows the caller digested as it
            wrote them.

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
    cover_list = [_cover(connection, seq, n, cover) for n, cover in enumerate(covers)]
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


def import_records(batch_id: int, columns: Sequence[str]) -> WrittenRows:
    """The cover of an import's records, to be fed as they are inserted (see `record_import`)."""
    return WrittenRows(_records_of(batch_id), columns)


def _records_of(batch_id: int) -> RowSet:
    return RowSet("record", {"batch_id": batch_id}, "row_number")


def record_import(
    session: Session, batch: Any, *, actor: str, records: WrittenRows | None = None
) -> LoggedEntry:
    """The audit entry of one import: covers its source, batch row and every record, in order.

    `records` is the records' cover as the import wrote them (`import_records`); without it
    the records are read back and digested here.
    """
    if records is not None and records.rowset != _records_of(batch.id):
        raise ValueError(f"the records cover {records.rowset.key} is not batch {batch.id}'s")
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
            records if records is not None else _records_of(batch.id),
        ],
    )
